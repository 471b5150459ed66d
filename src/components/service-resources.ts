import { logGroupPrefix, permissionsBoundaryName, PRODUCTION_STAGE_NAMES, release1LogGroupName, rolePath, stackName, STAGE_TAG, STOP_TIMEOUT_SECONDS, TemplateParameter } from '../contract';
import { EXTRA_RESOURCE_TYPES, extraResourcePrefix } from '../extra-resource-types';
import { ServiceSettings } from '../options';
import { servicePlacement } from './compute-platform';
import { advancedConfiguration, DEPLOYMENT_CONTROLLER, deploymentConfiguration } from './deployment-strategy';
import { executeCommandPolicies } from './execute-command';
import { alarmIds, deploymentAlarms } from './service-alarms';
import { containerVariables, secretReadingPolicies, sizesDiffer, stageEgress, stageSizeSettings, StageSwitch } from './stage-template';
import { TemplateEnvironment } from './template-environment';
import { checkovSkip, getAtt, Json, nameWithStage, ref, STAGE_VARIABLE, stageTags, sub } from './template-json';
import type { HealthCheckFacts } from '../runtimes/runtime';

/**
 * What a service is in template.yml, whatever environment it runs in: its log group, roles and task definition, its
 * security group, target group, ECS service and scaling. The environment (template-environment.ts) gives the VPC,
 * subnets, cluster and the load balancer's security group it refers to.
 */

/** Logical ids, named once so references cannot drift. */
export const ServiceId = {
  LOG_GROUP: 'LogGroup',
  KEEPS_RELEASE1_LOG_GROUP: 'KeepsRelease1LogGroup',
  EXECUTION_ROLE: 'TaskExecutionRole',
  TASK_ROLE: 'TaskRole',
  TASK_DEFINITION: 'TaskDefinition',
  SERVICE: 'Service',
  SERVICE_SECURITY_GROUP: 'ServiceSecurityGroup',
  SERVICE_INGRESS_FROM_LOAD_BALANCER: 'ServiceSecurityGroupIngressFromLoadBalancer',
  TARGET_GROUP: 'TargetGroup',
  SCALABLE_TARGET: 'ScalableTarget',
  SCALING_POLICY: 'CpuScalingPolicy',
  STAGE_SETTINGS: 'StageSettings',
} as const;

const Id = ServiceId;

/** What the service's resources are built from. */
export interface ServiceResourceOptions {
  readonly settings: ServiceSettings;
  readonly healthCheck: HealthCheckFacts;
  readonly environment: TemplateEnvironment;
  readonly stages: StageSwitch;
}

/** Keys of the per-stage mapping. */
const StageSetting = {
  LOG_RETENTION_DAYS: 'LogRetentionDays',
} as const;

/** Container health check cadence; a task is replaced after about 45 s of failures. */
const CONTAINER_HEALTH_CHECK = { Interval: 15, Timeout: 5, Retries: 3 };

/** The values of the `LogGroupNaming` parameter. */
export const LogGroupNaming = {
  /** `/ecs/<service>/<stage>/<stack id>`: every log group this release creates. */
  WITH_STACK_ID: 'WithStackId',
  /** `/ecs/<service>/<stage>`: a log group release 1.0 created, kept so that no update replaces it. */
  RELEASE1: 'Release1',
} as const;

/** The service's resources; the target group is `TargetGroup`, whose properties the traffic-shifting strategies copy. */
export function serviceResources(options: ServiceResourceOptions): Json {
  const { settings, stages } = options;
  return {
    ...logGroupResources(settings),
    ...roleResources(settings, stages),
    ...taskDefinitionResources(options),
    ...securityGroupResources(options),
    ...targetGroupResources(options),
    ...ecsServiceResources(options),
    ...autoScalingResources(options),
  };
}

export function serviceConditions(): Json {
  return { [Id.KEEPS_RELEASE1_LOG_GROUP]: { 'Fn::Equals': [ref(TemplateParameter.LOG_GROUP_NAMING), LogGroupNaming.RELEASE1] } };
}

function stageSetting(key: string): Json {
  return { 'Fn::FindInMap': [Id.STAGE_SETTINGS, ref(TemplateParameter.STAGE), key] };
}

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

/** Per-stage values: production keeps logs a year; sizes and scaling targets when stages differ in them. */
export function stageSettingsMapping(settings: ServiceSettings): Json {
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

function logGroupResources(settings: ServiceSettings): Json {
  return {
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
function taskDefinitionResources(options: ServiceResourceOptions): Json {
  const { settings, healthCheck, stages } = options;
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
            HealthCheck: {
              Command: ['CMD-SHELL', healthCheck.containerHealthCheckCommand(settings)],
              ...CONTAINER_HEALTH_CHECK,
              StartPeriod: healthCheck.startPeriodSeconds,
            },
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
 * The tasks' group: in only from the load balancer's group, out only HTTPS and the stage's egress. The ingress is a
 * separate resource because an own load balancer's group's egress already refers to this group.
 */
function securityGroupResources(options: ServiceResourceOptions): Json {
  const { settings, stages, environment } = options;
  const port = settings.containerPort;
  const egress = stageEgress(stages, getAtt(Id.SERVICE_SECURITY_GROUP, 'GroupId'));
  return {
    [Id.SERVICE_SECURITY_GROUP]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${settings.serviceName} tasks: in only from the load balancer, out only HTTPS${settings.stageSettings.some(stage => stage.egress.length > 0) ? ' and the egress of .projenrc.ts' : ''}`,
        VpcId: environment.vpcId,
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
        SourceSecurityGroupId: environment.loadBalancerSecurityGroupId,
        Description: 'From the load balancer on the container port',
      },
    },
    ...egress.resources,
  };
}

function targetGroupResources(options: ServiceResourceOptions): Json {
  const { settings, environment } = options;
  return {
    // No Name: a fixed name would make a port change (which replaces the target
    // group) fail, because CloudFormation creates the new one before deleting the old.
    [Id.TARGET_GROUP]: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: settings.containerPort,
        VpcId: environment.vpcId,
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
  };
}

function ecsServiceResources(options: ServiceResourceOptions): Json {
  const { settings, healthCheck, stages, environment } = options;
  return {
    [Id.SERVICE]: {
      Type: 'AWS::ECS::Service',
      // ECS refuses a target group that no listener forwards to yet, and deploys only once its alarms exist.
      DependsOn: [...environment.serviceDependsOn, ...alarmIds()],
      ...(environment.serviceMetadata ? { Metadata: environment.serviceMetadata } : {}),
      Properties: {
        ServiceName: settings.serviceName,
        Cluster: ref(environment.clusterReference),
        ...servicePlacement(),
        PlatformVersion: 'LATEST',
        TaskDefinition: ref(Id.TASK_DEFINITION),
        // No DesiredCount: ECS starts a new service with 1 task and the scalable
        // target raises it to MinContainers; on updates CloudFormation then leaves
        // the count alone instead of resetting what autoscaling chose.
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            Subnets: environment.serviceSubnetIds,
            SecurityGroups: [getAtt(Id.SERVICE_SECURITY_GROUP, 'GroupId')],
            AssignPublicIp: environment.assignPublicIp,
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
function autoScalingResources(options: ServiceResourceOptions): Json {
  const { settings, environment } = options;
  return {
    [Id.SCALABLE_TARGET]: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: sub(`service/\${${environment.clusterReference}}/\${${Id.SERVICE}.Name}`),
        MinCapacity: ref(TemplateParameter.MIN_CONTAINERS),
        MaxCapacity: ref(TemplateParameter.MAX_CONTAINERS),
        // The pipeline's deploy role may only create and change scalable targets carrying these tags.
        Tags: stageTags(settings),
      },
    },
    [Id.SCALING_POLICY]: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: sub(`${settings.serviceName}-${STAGE_VARIABLE}-cpu`),
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

