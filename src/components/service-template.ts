import { Component, JsonFile, Project, YamlFile } from 'projen';
import { SourceFile, TemplateOutput, TemplateParameter } from '../contract';
import { requireInteger } from '../option-checks';
import { ServiceSettings } from '../options';
import { platformConditions, platformParameters, platformRules } from './compute-platform';
import { StrategyId, strategyConditions, strategyParameters } from './deployment-strategy';
import { ownEnvironment, OwnEnvironmentId } from './own-environment';
import { platformEnvironment } from './platform-environment';
import { alarmConditions, alarmResources, notificationTopicParameter } from './service-alarms';
import { imageUriPattern, LogGroupNaming, serviceConditions, ServiceId, serviceResources, stageSettingsMapping } from './service-resources';
import { DomainId } from './stage-domain';
import { StageSwitch } from './stage-template';
import { TemplateEnvironment } from './template-environment';
import { getAtt, inOrder, Json, ref } from './template-json';
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

/** The order release 1.x wrote parameters and resources in (see `inOrder`); alarms follow the resources they watch. */
const PARAMETER_ORDER = [
  TemplateParameter.LOG_GROUP_NAMING, TemplateParameter.STAGE, TemplateParameter.IMAGE_URI, TemplateParameter.VPC_ID,
  TemplateParameter.LOAD_BALANCER_SUBNET_IDS, TemplateParameter.SERVICE_SUBNET_IDS, TemplateParameter.ASSIGN_PUBLIC_IP,
  TemplateParameter.MIN_CONTAINERS,
  TemplateParameter.MAX_CONTAINERS, TemplateParameter.CERTIFICATE_ARN, TemplateParameter.NOTIFICATION_TOPIC_ARN,
  TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION, TemplateParameter.PROJECT_ID, TemplateParameter.DOMAIN_NAME, TemplateParameter.HOSTED_ZONE_ID,
];
const RESOURCE_ORDER = [
  OwnEnvironmentId.CLUSTER, ServiceId.LOG_GROUP, ServiceId.EXECUTION_ROLE, ServiceId.TASK_ROLE, ServiceId.TASK_DEFINITION,
  OwnEnvironmentId.LOAD_BALANCER_SECURITY_GROUP, ServiceId.SERVICE_SECURITY_GROUP, ServiceId.SERVICE_INGRESS_FROM_LOAD_BALANCER,
  OwnEnvironmentId.LOAD_BALANCER, ServiceId.TARGET_GROUP, OwnEnvironmentId.HTTP_LISTENER, OwnEnvironmentId.HTTPS_LISTENER,
  OwnEnvironmentId.HTTPS_LISTENER_READY, DomainId.CERTIFICATE, DomainId.RECORD,
  StrategyId.ALTERNATE_TARGET_GROUP, StrategyId.PRODUCTION_LISTENER_RULE, StrategyId.TEST_LISTENER, StrategyId.TEST_LISTENER_RULE,
  StrategyId.TEST_TRAFFIC_INGRESS, StrategyId.INFRASTRUCTURE_ROLE, ServiceId.SERVICE, ServiceId.SCALABLE_TARGET, ServiceId.SCALING_POLICY,
];

/** The whole template as an object; YamlFile writes it in long-form intrinsics. */
function serviceTemplate(options: ServiceTemplateOptions): Json {
  const { settings } = options;
  const serviceIds = { targetGroup: ServiceId.TARGET_GROUP, serviceSecurityGroup: ServiceId.SERVICE_SECURITY_GROUP };
  // One code path: a service with its own environment, or on a platform's shared one.
  const environment = settings.platformName !== undefined ? platformEnvironment(settings, serviceIds) : ownEnvironment(settings, serviceIds);
  const ownTestListener = settings.platformName === undefined;
  // Before Conditions: the resources record which stage conditions they use.
  const stages = new StageSwitch(settings);
  const service = serviceResources({ ...options, environment, stages });
  const listenerRules = environment.listenerRules((service[ServiceId.TARGET_GROUP] as Json).Properties as Json);
  const resources = inOrder(RESOURCE_ORDER, { ...environment.resources, ...service, ...listenerRules });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    // CodeStar's transform needs its ProjectId parameter; new services run without CodeStar.
    ...(settings.codeStarTransform ? { Transform: 'AWS::CodeStar' } : {}),
    Description: `${settings.serviceName}: one stage of the ECS Fargate service behind ${settings.platformName !== undefined ? `the platform ${settings.platformName}'s shared` : 'an'} Application Load Balancer. Managed by ${MANAGED_BY}; edit .projenrc.ts instead.`,
    Parameters: {
      ...inOrder(PARAMETER_ORDER, { ...parameters(settings), ...environment.parameters }),
      ...platformParameters(settings),
      ...strategyParameters(ownTestListener),
    },
    Rules: { ...environment.rules, ...platformRules() },
    Mappings: { [ServiceId.STAGE_SETTINGS]: stageSettingsMapping(settings) },
    Conditions: {
      ...environment.conditions,
      ...serviceConditions(),
      ...platformConditions(),
      ...strategyConditions(ownTestListener),
      ...alarmConditions(),
      ...stages.conditions(),
    },
    Resources: { ...resources, ...alarmResources(settings, resources, environment) },
    Outputs: outputs(environment),
  };
}

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
    ...notificationTopicParameter(),
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

function outputs(environment: TemplateEnvironment): Json {
  return {
    [TemplateOutput.SERVICE_URL]: {
      Description: environment.serviceUrlDescription,
      Value: environment.serviceUrl,
    },
    ClusterName: {
      Description: 'The ECS cluster of this stage.',
      Value: ref(environment.clusterReference),
    },
    ServiceName: {
      Description: 'The ECS service of this stage.',
      Value: getAtt(ServiceId.SERVICE, 'Name'),
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
