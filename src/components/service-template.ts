import { Component, JsonFile, Project, YamlFile } from 'projen';
import { logGroupPrefix, permissionsBoundaryName, PRODUCTION_STAGE_NAMES, release1LogGroupName, rolePath, SourceFile, stackName, STAGE_TAG, STOP_TIMEOUT_SECONDS, TemplateOutput, TemplateParameter } from '../contract';
import { EXTRA_RESOURCE_TYPES, extraResourcePrefix } from '../extra-resource-types';
import { advancedConfiguration, DEPLOYMENT_CONTROLLER, deploymentConfiguration, productionTargetGroupArn, StrategyTemplateIds, strategyConditions, strategyParameters, trafficShiftingResources } from './deployment-strategy';
import { requireInteger } from '../option-checks';
import { ServiceSettings } from '../options';
import { CLUSTER_CAPACITY_PROVIDERS, CLUSTER_DEFAULT_CAPACITY_PROVIDER_STRATEGY, platformConditions, platformParameters, platformRules, servicePlacement } from './compute-platform';
import { executeCommandPolicies } from './execute-command';
import { alarmConditions, alarmIds, alarmResources, deploymentAlarms, notificationTopicParameter } from './service-alarms';
import { DomainId, domainConditions, domainParameters, domainResources, domainRules, listenerCertificateArn } from './stage-domain';
import { containerVariables, secretReadingPolicies, sizesDiffer, stageEgress, stageSizeSettings, StageSwitch } from './stage-template';
import type { HealthCheckFacts } from '../runtimes/runtime';

/**
 * Options for `ServiceTemplate`.
 */
export interface ServiceTemplateOptions {
  /** The values every generated artifact agrees on (names, port, health path, size, stages). */
  readonly settings: ServiceSettings;
  /** How the runtime's app reports health: grace and start periods, container check command. */
  readonly healthCheck: HealthCheckFacts;
}

/**
 * Writes `template.yml`, the CloudFormation template of one stage of the
 * Fargate service (deployable on its own with `aws cloudformation deploy`),
 * and `template-configuration.json`, the stack tags CodePipeline applies.
 */
export class ServiceTemplate extends Component {
  /** `template.yml`; use `addOverride` for changes the options do not cover. */
  public readonly template: YamlFile;
  /** `template-configuration.json` in CodePipeline's template configuration format. */
  public readonly configuration: JsonFile;

  constructor(project: Project, options: ServiceTemplateOptions) {
    super(project);
    // The target group attribute accepts 0 to 3600 seconds.
    requireInteger('deregistrationDelaySeconds', options.healthCheck.deregistrationDelaySeconds, 0, 3600);

    this.template = new YamlFile(project, SourceFile.TEMPLATE, {
      obj: serviceTemplate(options),
    });
    this.configuration = new JsonFile(project, SourceFile.TEMPLATE_CONFIGURATION, {
      obj: templateConfiguration(options.settings),
      // CodePipeline reads only Parameters, Tags and StackPolicy; projen's "//" marker key would be an unknown field.
      marker: false,
    });
  }
}

/** The package name, recorded on every resource so a reader knows where the stack came from. */
const MANAGED_BY = 'projen-codestar-fargate';

/** Logical ids, named once so references cannot drift. */
const Id = {
  CLUSTER: 'Cluster',
  LOG_GROUP: 'LogGroup',
  KEEPS_RELEASE1_LOG_GROUP: 'KeepsRelease1LogGroup',
  EXECUTION_ROLE: 'TaskExecutionRole',
  TASK_ROLE: 'TaskRole',
  TASK_DEFINITION: 'TaskDefinition',
  SERVICE: 'Service',
  LOAD_BALANCER: 'LoadBalancer',
  LOAD_BALANCER_SECURITY_GROUP: 'LoadBalancerSecurityGroup',
  SERVICE_SECURITY_GROUP: 'ServiceSecurityGroup',
  SERVICE_INGRESS_FROM_LOAD_BALANCER: 'ServiceSecurityGroupIngressFromLoadBalancer',
  TARGET_GROUP: 'TargetGroup',
  HTTP_LISTENER: 'HttpListener',
  HTTPS_LISTENER: 'HttpsListener',
  HTTPS_LISTENER_READY: 'HttpsListenerReady',
  SCALABLE_TARGET: 'ScalableTarget',
  SCALING_POLICY: 'CpuScalingPolicy',
  STAGE_SETTINGS: 'StageSettings',
  HAS_CERTIFICATE: 'HasCertificate',
} as const;

/** Keys of the per-stage mapping. */
const StageSetting = {
  LOG_RETENTION_DAYS: 'LogRetentionDays',
} as const;

/** Container health check cadence; a task is replaced after about 45 s of failures. */
const CONTAINER_HEALTH_CHECK = { Interval: 15, Timeout: 5, Retries: 3 };

/** TLS 1.3 and 1.2 only: AWS's recommended policy for new HTTPS listeners. */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

type Json = Record<string, unknown>;

function ref(name: string): Json {
  return { Ref: name };
}

function sub(text: string): Json {
  return { 'Fn::Sub': text };
}

function getAtt(resource: string, attribute: string): Json {
  return { 'Fn::GetAtt': [resource, attribute] };
}

function ifCertificate(whenSet: unknown, whenEmpty: unknown): Json {
  return { 'Fn::If': [Id.HAS_CERTIFICATE, whenSet, whenEmpty] };
}

/** Metadata that tells checkov why a finding does not apply; the reason ships in the template. */
function checkovSkip(id: string, comment: string): Json {
  return { checkov: { skip: [{ id, comment }] } };
}

function stageSetting(key: string): Json {
  return { 'Fn::FindInMap': [Id.STAGE_SETTINGS, ref(TemplateParameter.STAGE), key] };
}

/** `<serviceName>-<Stage>`: the cluster and load balancer name, unique per stage in an account. */
function nameWithStage(settings: ServiceSettings): Json {
  return sub(`${settings.serviceName}-\${${TemplateParameter.STAGE}}`);
}

/** The tags that scope the deploy role's permissions on resources whose names are generated. */
function stageTags(settings: ServiceSettings): Json[] {
  return [
    { Key: STAGE_TAG.service, Value: settings.serviceName },
    { Key: STAGE_TAG.stage, Value: ref(TemplateParameter.STAGE) },
  ];
}

/** `${Stage}` inside a `Fn::Sub` string. */
const STAGE_VARIABLE = `\${${TemplateParameter.STAGE}}`;

/** The stage's permissions boundary, created by the toolchain; the deploy role creates no role without it. */
function permissionsBoundaryArn(settings: ServiceSettings): Json {
  return sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy${rolePath(settings.serviceName, STAGE_VARIABLE)}${permissionsBoundaryName(settings.serviceName, STAGE_VARIABLE)}`);
}

/** Only the service's own ECR repository, in any account (production may run in another), by tag or digest. */
export function imageUriPattern(serviceName: string): string {
  return `^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/${serviceName}(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$`;
}

/** A part of `ImageUri` split at its dots: 0 is the registry's account, 3 its region. */
function imageUriPart(index: number): Json {
  return { 'Fn::Select': [index, { 'Fn::Split': ['.', ref(TemplateParameter.IMAGE_URI)] }] };
}

/** What the deployment strategy module refers to. */
const STRATEGY_IDS: StrategyTemplateIds = {
  loadBalancer: Id.LOAD_BALANCER,
  loadBalancerSecurityGroup: Id.LOAD_BALANCER_SECURITY_GROUP,
  targetGroup: Id.TARGET_GROUP,
  httpListener: Id.HTTP_LISTENER,
  httpsListener: Id.HTTPS_LISTENER,
  hasCertificate: Id.HAS_CERTIFICATE,
  certificateArn: listenerCertificateArn(),
  tlsPolicy: TLS_POLICY,
};

/** The whole template as an object; YamlFile writes it in long-form intrinsics. */
function serviceTemplate(options: ServiceTemplateOptions): Json {
  const { settings } = options;
  const loadBalancing = loadBalancerResources(options);
  // Before Conditions: the resources record which stage conditions they use.
  const stages = new StageSwitch(settings);
  const resources = withAlarms(settings, {
    ...clusterResources(settings),
    ...roleResources(settings, stages),
    ...taskDefinitionResources(options, stages),
    ...securityGroupResources(settings, stages),
    ...loadBalancing,
    ...domainResources(settings, Id.LOAD_BALANCER),
    ...trafficShiftingResources(settings, (loadBalancing[Id.TARGET_GROUP] as Json).Properties as Json, STRATEGY_IDS),
    ...serviceResources(options, stages),
    ...autoScalingResources(settings),
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    // CodeStar's transform needs its ProjectId parameter; new services run without CodeStar.
    ...(settings.codeStarTransform ? { Transform: 'AWS::CodeStar' } : {}),
    Description: `${settings.serviceName}: one stage of the ECS Fargate service behind an Application Load Balancer. Managed by ${MANAGED_BY}; edit .projenrc.ts instead.`,
    Parameters: { ...parameters(settings), ...domainParameters(), ...platformParameters(settings), ...strategyParameters() },
    Rules: { ...domainRules(), ...platformRules() },
    Mappings: { [Id.STAGE_SETTINGS]: stageSettings(settings) },
    Conditions: {
      ...domainConditions(Id.HAS_CERTIFICATE),
      [Id.KEEPS_RELEASE1_LOG_GROUP]: { 'Fn::Equals': [ref(TemplateParameter.LOG_GROUP_NAMING), LogGroupNaming.RELEASE1] },
      ...platformConditions(),
      ...strategyConditions(),
      ...alarmConditions(),
      ...stages.conditions(),
    },
    Resources: resources,
    Outputs: outputs(),
  };
}

/** Adds the stage's alarms, deployment events and dashboard (service-alarms.ts), which watch the resources already there. */
function withAlarms(settings: ServiceSettings, resources: Json): Json {
  return { ...resources, ...alarmResources(settings, resources) };
}

/** The values of the `LogGroupNaming` parameter. */
export const LogGroupNaming = {
  /** `/ecs/<service>/<stage>/<stack id>`: every log group this release creates. */
  WITH_STACK_ID: 'WithStackId',
  /** `/ecs/<service>/<stage>`: a log group release 1.0 created, kept so that no update replaces it. */
  RELEASE1: 'Release1',
} as const;

function parameters(settings: ServiceSettings): Json {
  return {
    [TemplateParameter.LOG_GROUP_NAMING]: {
      Type: 'String',
      Description: 'How the stage\'s log group is named, as the Prepare step read it: Release1 for one release 1.0 created as /ecs/<service>/<stage>, which keeps that name (a new name would replace it); WithStackId otherwise.',
      AllowedValues: [LogGroupNaming.WITH_STACK_ID, LogGroupNaming.RELEASE1],
      Default: LogGroupNaming.WITH_STACK_ID,
    },
    [TemplateParameter.STAGE]: {
      Type: 'String',
      Description: 'The stage being deployed; selects per-stage settings and names resources.',
      AllowedValues: settings.stages,
      Default: settings.stages[0],
    },
    [TemplateParameter.IMAGE_URI]: {
      Type: 'String',
      Description: `The container image to run: ${settings.serviceName}'s ECR repository URI with @<digest> (what the pipeline passes) or :<tag>.`,
      AllowedPattern: imageUriPattern(settings.serviceName),
      ConstraintDescription: `must be an image of the ECR repository ${settings.serviceName}, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/${settings.serviceName}@sha256:<64 hex digits>`,
    },
    [TemplateParameter.VPC_ID]: {
      Type: 'AWS::EC2::VPC::Id',
      Description: 'The VPC of the stage.',
    },
    [TemplateParameter.LOAD_BALANCER_SUBNET_IDS]: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description: 'Public subnets in two or more Availability Zones for the internet-facing load balancer.',
    },
    [TemplateParameter.SERVICE_SUBNET_IDS]: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description: 'Private subnets with outbound internet access (NAT) for the tasks.',
    },
    [TemplateParameter.MIN_CONTAINERS]: {
      Type: 'Number',
      Description: 'The fewest tasks autoscaling keeps running.',
      Default: settings.minContainers,
      MinValue: 0,
    },
    [TemplateParameter.MAX_CONTAINERS]: {
      Type: 'Number',
      Description: 'The most tasks autoscaling starts.',
      Default: settings.maxContainers,
      MinValue: 1,
    },
    [TemplateParameter.CERTIFICATE_ARN]: {
      Type: 'String',
      Description: 'ACM certificate ARN for HTTPS on port 443 (HTTP then redirects to HTTPS); empty: the certificate created for DomainName, or HTTP only without a domain.',
      Default: '',
      AllowedPattern: '^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+)?$',
      ConstraintDescription: 'must be an ACM certificate ARN or empty',
    },
    ...notificationTopicParameter(),
    [TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION]: {
      Type: 'String',
      Description: 'Whether the load balancer refuses deletion. The pipeline turns it on for production once the stack exists: on during the first create, it would make that create\'s rollback fail.',
      AllowedValues: ['true', 'false'],
      Default: 'false',
    },
    ...(settings.codeStarTransform
      ? {
        [TemplateParameter.PROJECT_ID]: {
          Type: 'String',
          Description: 'The CodeStar project id, read by the AWS::CodeStar transform.',
          AllowedPattern: '^[a-z][a-z0-9-]{1,14}$',
          ConstraintDescription: 'must be a CodeStar project id: 2 to 15 lowercase letters, digits and hyphens, starting with a letter',
        },
      }
      : {}),
  };
}

/** Per-stage values: production keeps logs a year; sizes and scaling targets when stages differ in them. */
function stageSettings(settings: ServiceSettings): Json {
  const mapping: Json = {};
  for (const stage of settings.stageSettings) {
    mapping[stage.name] = {
      [StageSetting.LOG_RETENTION_DAYS]: PRODUCTION_STAGE_NAMES.includes(stage.name) ? 365 : 30,
      ...(sizesDiffer(settings) ? stageSizeSettings(stage) : {}),
    };
  }
  return mapping;
}

/** A size or scaling value: written once when every stage has the same, else looked up for the stage. */
function stageSize(settings: ServiceSettings, key: keyof ReturnType<typeof stageSizeSettings>): unknown {
  return sizesDiffer(settings) ? stageSetting(key) : stageSizeSettings(settings.stageSettings[0])[key];
}

function clusterResources(settings: ServiceSettings): Json {
  return {
    [Id.CLUSTER]: {
      Type: 'AWS::ECS::Cluster',
      Properties: {
        ClusterName: nameWithStage(settings),
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
        // ECS Exec sessions are logged through the task definition's awslogs settings: the stage's log group.
        Configuration: { ExecuteCommandConfiguration: { Logging: 'DEFAULT' } },
        // The service names its capacity provider, which must be the cluster's; the default serves anything that names none.
        CapacityProviders: CLUSTER_CAPACITY_PROVIDERS,
        DefaultCapacityProviderStrategy: CLUSTER_DEFAULT_CAPACITY_PROVIDER_STRATEGY,
        ...(settings.codeStarTransform
          ? { Tags: [{ Key: 'codestar-project-id', Value: ref(TemplateParameter.PROJECT_ID) }] }
          : {}),
      },
    },
    // Logs outlive the stack; a failed first create still cleans up. The stack's id in the name
    // keeps a retained group from blocking the stack when it is created again.
    [Id.LOG_GROUP]: {
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Metadata: checkovSkip('CKV_AWS_158', 'CloudWatch Logs encrypts every log group at rest by default; a customer managed key would add cost and a key policy, not protection from anyone who can read the logs.'),
      Properties: {
        LogGroupName: {
          'Fn::If': [Id.KEEPS_RELEASE1_LOG_GROUP, sub(release1LogGroupName(settings.serviceName, STAGE_VARIABLE)), {
            'Fn::Join': ['', [
              sub(logGroupPrefix(settings.serviceName, STAGE_VARIABLE)),
              { 'Fn::Select': [2, { 'Fn::Split': ['/', ref('AWS::StackId')] }] },
            ]],
          }],
        },
        RetentionInDays: stageSetting(StageSetting.LOG_RETENTION_DAYS),
      },
    },
  };
}

/** Trust policy for ECS tasks; `condition` limits it to this account's ECS (confused-deputy guard). */
function ecsTasksTrust(condition?: Json): Json {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
      ...(condition ? { Condition: condition } : {}),
    }],
  };
}

/**
 * Roles without names (so CloudFormation may replace them) under the stage's
 * path, the only path the stage's deploy role may create and pass roles in,
 * each with the stage's permissions boundary, without which it may create none.
 */
function roleResources(settings: ServiceSettings, stages: StageSwitch): Json {
  // The repository the image comes from, read from ImageUri: production may pull from the toolchain's account.
  const repositoryArn = {
    'Fn::Sub': [
      `arn:\${AWS::Partition}:ecr:\${ImageRegion}:\${ImageAccount}:repository/${settings.serviceName}`,
      { ImageRegion: imageUriPart(3), ImageAccount: imageUriPart(0) },
    ],
  };
  const path = sub(rolePath(settings.serviceName, STAGE_VARIABLE));
  return {
    [Id.EXECUTION_ROLE]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `Lets ECS pull ${settings.serviceName}'s image and write its logs.`,
        Path: path,
        PermissionsBoundary: permissionsBoundaryArn(settings),
        AssumeRolePolicyDocument: ecsTasksTrust(),
        Policies: [{
          PolicyName: 'PullImageAndWriteLogs',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
                Resource: repositoryArn,
              },
              {
                // GetAuthorizationToken has no resource-level permissions.
                Effect: 'Allow',
                Action: 'ecr:GetAuthorizationToken',
                Resource: '*',
              },
              {
                // The log group's Arn attribute ends in ":*", which covers its streams.
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: getAtt(Id.LOG_GROUP, 'Arn'),
              },
            ],
          },
        }, ...secretReadingPolicies(stages)],
      },
    },
    [Id.TASK_ROLE]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `The identity of ${settings.serviceName}'s code; it has no permissions until the app adds its own.`,
        Path: path,
        PermissionsBoundary: permissionsBoundaryArn(settings),
        AssumeRolePolicyDocument: ecsTasksTrust({
          ArnLike: { 'aws:SourceArn': sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*') },
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
        }),
        ...taskRolePolicies(settings, executeCommandPolicies(stages, getAtt(Id.LOG_GROUP, 'Arn'))),
      },
    },
  };
}

/**
 * The task role's policies: ECS Exec's, and what the app may do with the `extraResourceTypes` under the stage's
 * own names, the same statements the toolchain puts in the stage's boundary (src/constructs/deploy-permissions.ts).
 */
function taskRolePolicies(settings: ServiceSettings, executeCommand: Json): Json {
  const types = settings.extraResourceTypes ?? [];
  if (types.length === 0) {
    return executeCommand;
  }
  const prefix = extraResourcePrefix(stackName(settings.serviceName, STAGE_VARIABLE));
  const statements = types.map(type => {
    const extra = EXTRA_RESOURCE_TYPES[type];
    return {
      Sid: `UseExtra${type.split('::').slice(1).join('')}`,
      Effect: 'Allow',
      Action: extra.taskActions,
      Resource: extra.resourceNames(prefix).map(name => sub(`arn:\${AWS::Partition}:${extra.service}:\${AWS::Region}:\${AWS::AccountId}:${name}`)),
      // The name alone scopes nothing (service names have hyphens): the stage's tags, which each such resource carries.
      Condition: { StringEquals: { [`aws:ResourceTag/${STAGE_TAG.service}`]: settings.serviceName, [`aws:ResourceTag/${STAGE_TAG.stage}`]: ref(TemplateParameter.STAGE) } },
    };
  });
  const extraPolicy = { PolicyName: 'UseExtraResources', PolicyDocument: { Version: '2012-10-17', Statement: statements } };
  return { Policies: [extraPolicy, ...((executeCommand.Policies as Json[] | undefined) ?? [])] };
}

/**
 * The root filesystem stays writable: a read-only one needs a writable /tmp
 * volume, and Fargate mounts such a volume root-owned 0755 unless the image
 * declares `VOLUME /tmp`, so the non-root app (Tomcat, the JVM) could not write.
 */
function taskDefinitionResources(options: ServiceTemplateOptions, stages: StageSwitch): Json {
  const { settings, healthCheck } = options;
  return {
    // Old revisions stay registered, as ECS keeps them for rollbacks anyway: deregistering would
    // need ecs:DeregisterTaskDefinition, which IAM grants only on every task definition of the account.
    [Id.TASK_DEFINITION]: {
      Type: 'AWS::ECS::TaskDefinition',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Family: nameWithStage(settings),
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        Cpu: stageSize(settings, 'Cpu'),
        Memory: stageSize(settings, 'Memory'),
        RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: ref(TemplateParameter.CPU_ARCHITECTURE) },
        ExecutionRoleArn: getAtt(Id.EXECUTION_ROLE, 'Arn'),
        TaskRoleArn: getAtt(Id.TASK_ROLE, 'Arn'),
        ContainerDefinitions: [{
          Name: settings.serviceName,
          Image: ref(TemplateParameter.IMAGE_URI),
          Essential: true,
          PortMappings: [{ ContainerPort: settings.containerPort, Protocol: 'tcp' }],
          ...containerVariables(stages),
          // The team's own image may have no tool to run a check: the load balancer's checks decide alone then.
          ...(healthCheck.containerHealthCheckCommand && {
            HealthCheck: { Command: ['CMD-SHELL', healthCheck.containerHealthCheckCommand(settings)], ...CONTAINER_HEALTH_CHECK, StartPeriod: healthCheck.startPeriodSeconds },
          }),
          StopTimeout: STOP_TIMEOUT_SECONDS,
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: {
              'awslogs-group': ref(Id.LOG_GROUP),
              'awslogs-region': ref('AWS::Region'),
              'awslogs-stream-prefix': 'ecs',
              // A slow CloudWatch Logs must not block the app's stdout; the buffer absorbs bursts.
              'mode': 'non-blocking',
              'max-buffer-size': '25m',
            },
          },
        }],
      },
    },
  };
}

/**
 * Two groups: the internet reaches only the load balancer, and only the load
 * balancer reaches the tasks. The tasks' ingress is a separate resource because
 * the load balancer group's egress already refers to the tasks' group.
 */
function securityGroupResources(settings: ServiceSettings, stages: StageSwitch): Json {
  const port = settings.containerPort;
  const egress = stageEgress(stages, getAtt(Id.SERVICE_SECURITY_GROUP, 'GroupId'));
  const fromInternet = (portNumber: number) => [
    { IpProtocol: 'tcp', FromPort: portNumber, ToPort: portNumber, CidrIp: '0.0.0.0/0', Description: `HTTP${portNumber === 443 ? 'S' : ''} from the internet (IPv4)` },
    { IpProtocol: 'tcp', FromPort: portNumber, ToPort: portNumber, CidrIpv6: '::/0', Description: `HTTP${portNumber === 443 ? 'S' : ''} from the internet (IPv6)` },
  ];
  return {
    [Id.LOAD_BALANCER_SECURITY_GROUP]: {
      Type: 'AWS::EC2::SecurityGroup',
      Metadata: checkovSkip('CKV_AWS_260', 'The internet-facing load balancer serves HTTP on port 80 without a certificate and redirects it to HTTPS with one.'),
      Properties: {
        GroupDescription: `${settings.serviceName} load balancer: HTTP and HTTPS from the internet, out only to the tasks`,
        VpcId: ref(TemplateParameter.VPC_ID),
        SecurityGroupIngress: [...fromInternet(80), ...fromInternet(443)],
        // Tagged at creation: the deploy role changes only security groups carrying its stage's tags.
        Tags: stageTags(settings),
        // Listing egress replaces EC2's default allow-all egress rule.
        SecurityGroupEgress: [{
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          DestinationSecurityGroupId: getAtt(Id.SERVICE_SECURITY_GROUP, 'GroupId'),
          Description: 'To the tasks on the container port',
        }],
      },
    },
    [Id.SERVICE_SECURITY_GROUP]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${settings.serviceName} tasks: in only from the load balancer, out only HTTPS${settings.stageSettings.some(stage => stage.egress.length > 0) ? ' and the egress of .projenrc.ts' : ''}`,
        VpcId: ref(TemplateParameter.VPC_ID),
        Tags: stageTags(settings),
        // ECR, S3 (image layers) and CloudWatch Logs are all HTTPS endpoints.
        SecurityGroupEgress: [{
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          CidrIp: '0.0.0.0/0',
          Description: 'HTTPS to AWS APIs (ECR, S3, CloudWatch Logs) and the internet',
        }, ...egress.rules],
      },
    },
    [Id.SERVICE_INGRESS_FROM_LOAD_BALANCER]: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: getAtt(Id.SERVICE_SECURITY_GROUP, 'GroupId'),
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        SourceSecurityGroupId: getAtt(Id.LOAD_BALANCER_SECURITY_GROUP, 'GroupId'),
        Description: 'From the load balancer on the container port',
      },
    },
    ...egress.resources,
  };
}

function loadBalancerResources(options: ServiceTemplateOptions): Json {
  const { settings } = options;
  // Where production is: under a traffic-shifting strategy the production rule answers first, this only while it is replaced.
  const forward = [{ Type: 'forward', TargetGroupArn: productionTargetGroupArn(Id.TARGET_GROUP) }];
  const redirectToHttps = [{
    Type: 'redirect',
    RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
  }];
  return {
    [Id.LOAD_BALANCER]: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Metadata: checkovSkip('CKV_AWS_91', 'Access logs need an S3 bucket whose policy trusts the region\'s load balancer log delivery; such a bucket belongs to the stage\'s shared infrastructure, not to each service.'),
      Properties: {
        Name: nameWithStage(settings),
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: ref(TemplateParameter.LOAD_BALANCER_SUBNET_IDS),
        SecurityGroups: [getAtt(Id.LOAD_BALANCER_SECURITY_GROUP, 'GroupId')],
        LoadBalancerAttributes: [
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'deletion_protection.enabled', Value: ref(TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION) },
        ],
      },
    },
    // No Name: a fixed name would make a port change (which replaces the target
    // group) fail, because CloudFormation creates the new one before deleting the old.
    [Id.TARGET_GROUP]: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: settings.containerPort,
        VpcId: ref(TemplateParameter.VPC_ID),
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: settings.healthCheckPath,
        Matcher: { HttpCode: '200' },
        // Healthy after 2 passes 10 s apart (about 20 s); out after 3 failures, so one slow answer is forgiven.
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        TargetGroupAttributes: [
          { Key: 'deregistration_delay.timeout_seconds', Value: String(options.healthCheck.deregistrationDelaySeconds) },
        ],
        // The pipeline's deploy role may only create and change target groups carrying these tags.
        Tags: stageTags(settings),
      },
    },
    // Redirects to HTTPS only once the HTTPS listener exists (through the handle), not while its certificate is validated.
    [Id.HTTP_LISTENER]: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      DependsOn: [Id.HTTPS_LISTENER_READY],
      Properties: {
        LoadBalancerArn: ref(Id.LOAD_BALANCER),
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: ifCertificate(redirectToHttps, forward),
      },
    },
    [Id.HTTPS_LISTENER]: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Condition: Id.HAS_CERTIFICATE,
      Properties: {
        LoadBalancerArn: ref(Id.LOAD_BALANCER),
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: TLS_POLICY,
        Certificates: [{ CertificateArn: listenerCertificateArn() }],
        DefaultActions: forward,
      },
    },
    // DependsOn cannot name a resource whose condition is false; this handle
    // depends on the HTTPS listener only when it exists, and the HTTP listener and the service on it.
    [Id.HTTPS_LISTENER_READY]: {
      Type: 'AWS::CloudFormation::WaitConditionHandle',
      Metadata: {
        HttpsListener: ifCertificate(ref(Id.HTTPS_LISTENER), ''),
      },
    },
  };
}

function serviceResources(options: ServiceTemplateOptions, stages: StageSwitch): Json {
  const { settings, healthCheck } = options;
  return {
    [Id.SERVICE]: {
      Type: 'AWS::ECS::Service',
      // ECS refuses a target group that no listener forwards to yet, and deploys only once its alarms exist.
      DependsOn: [Id.HTTP_LISTENER, Id.HTTPS_LISTENER_READY, ...alarmIds()],
      Properties: {
        ServiceName: settings.serviceName,
        Cluster: ref(Id.CLUSTER),
        ...servicePlacement(),
        PlatformVersion: 'LATEST',
        TaskDefinition: ref(Id.TASK_DEFINITION),
        // No DesiredCount: ECS starts a new service with 1 task and the scalable
        // target raises it to MinContainers; on updates CloudFormation then leaves
        // the count alone instead of resetting what autoscaling chose.
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            Subnets: ref(TemplateParameter.SERVICE_SUBNET_IDS),
            SecurityGroups: [getAtt(Id.SERVICE_SECURITY_GROUP, 'GroupId')],
            AssignPublicIp: 'DISABLED',
          },
        },
        LoadBalancers: [{
          ContainerName: settings.serviceName,
          ContainerPort: settings.containerPort,
          TargetGroupArn: ref(Id.TARGET_GROUP),
          AdvancedConfiguration: advancedConfiguration(),
        }],
        HealthCheckGracePeriodSeconds: healthCheck.gracePeriodSeconds,
        DeploymentController: DEPLOYMENT_CONTROLLER,
        DeploymentConfiguration: { ...deploymentConfiguration(), Alarms: deploymentAlarms(settings) },
        PropagateTags: 'SERVICE',
        EnableECSManagedTags: true,
        EnableExecuteCommand: stages.choose(stage => stage.enableExecuteCommand),
      },
    },
  };
}

/** Target tracking on CPU; without a RoleARN Application Auto Scaling uses its service-linked role. */
function autoScalingResources(settings: ServiceSettings): Json {
  return {
    [Id.SCALABLE_TARGET]: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: sub(`service/\${${Id.CLUSTER}}/\${${Id.SERVICE}.Name}`),
        MinCapacity: ref(TemplateParameter.MIN_CONTAINERS),
        MaxCapacity: ref(TemplateParameter.MAX_CONTAINERS),
        // The pipeline's deploy role may only create and change scalable targets carrying these tags.
        Tags: stageTags(settings),
      },
    },
    [Id.SCALING_POLICY]: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: sub(`${settings.serviceName}-\${${TemplateParameter.STAGE}}-cpu`),
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: ref(Id.SCALABLE_TARGET),
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: stageSize(settings, 'AutoScalingTargetCpu'),
          // Scale out within a minute of load; scale in slowly so a dip does not drop capacity.
          ScaleOutCooldown: 60,
          ScaleInCooldown: 300,
        },
      },
    },
  };
}

function outputs(): Json {
  return {
    [TemplateOutput.SERVICE_URL]: {
      Description: 'The service\'s URL: https://<DomainName> with a domain; else the load balancer\'s name, HTTPS when a certificate is set (point a DNS name on the certificate at it).',
      Value: {
        'Fn::If': [
          DomainId.HAS_DOMAIN,
          sub(`https://\${${TemplateParameter.DOMAIN_NAME}}`),
          ifCertificate(
            sub(`https://\${${Id.LOAD_BALANCER}.DNSName}`),
            sub(`http://\${${Id.LOAD_BALANCER}.DNSName}`),
          ),
        ],
      },
    },
    ClusterName: {
      Description: 'The ECS cluster of this stage.',
      Value: ref(Id.CLUSTER),
    },
    ServiceName: {
      Description: 'The ECS service of this stage.',
      Value: getAtt(Id.SERVICE, 'Name'),
    },
  };
}

/** CodePipeline's template configuration: tags every resource of every stage's stack. */
function templateConfiguration(settings: ServiceSettings): Json {
  return {
    Parameters: {},
    Tags: {
      'service': settings.serviceName,
      'managed-by': MANAGED_BY,
    },
  };
}
