/**
 * Names that the generated files and the pipeline construct must agree on:
 * template parameters, build artifacts, CodeBuild variables. Kept in one place
 * so the buildspec, template.yml and CodeStarFargatePipeline cannot drift.
 */

/** Parameters of the generated `template.yml`. */
export const TemplateParameter = {
  /** The stage being deployed; selects per-stage settings in the template's mappings. */
  STAGE: 'Stage',
  /** The container image to run, `<repository-uri>:<tag>`. */
  IMAGE_URI: 'ImageUri',
  /** The VPC of the stage. */
  VPC_ID: 'VpcId',
  /** Public subnets (two or more AZs) for the internet-facing load balancer. */
  LOAD_BALANCER_SUBNET_IDS: 'LoadBalancerSubnetIds',
  /** The tasks' subnets: private ones with egress (NAT), or the public ones where the stage's tasks run in public subnets. */
  SERVICE_SUBNET_IDS: 'ServiceSubnetIds',
  /** `ENABLED` where the stage's tasks run in public subnets (a public IP each, no NAT gateway), else `DISABLED` (the default). */
  ASSIGN_PUBLIC_IP: 'AssignPublicIp',
  /** The fewest tasks autoscaling keeps. */
  MIN_CONTAINERS: 'MinContainers',
  /** The most tasks autoscaling starts. */
  MAX_CONTAINERS: 'MaxContainers',
  /** ACM certificate for HTTPS on the load balancer; empty for HTTP only. */
  CERTIFICATE_ARN: 'CertificateArn',
  /** Whether the load balancer refuses deletion; the pipeline turns it on only once the stack has been created. */
  LOAD_BALANCER_DELETION_PROTECTION: 'LoadBalancerDeletionProtection',
  /**
   * The stage's SNS topic, which the toolchain creates: the template's alarms and deployment events publish to it,
   * and the pipeline's notifications for the stage go to it.
   */
  NOTIFICATION_TOPIC_ARN: 'NotificationTopicArn',
  /** How ECS releases a new version: ROLLING, BLUE_GREEN, CANARY or LINEAR (the pipeline passes the stage's). */
  DEPLOYMENT_STRATEGY: 'DeploymentStrategy',
  /** Minutes the old tasks keep running after all traffic has moved (not for ROLLING). */
  BAKE_TIME_MINUTES: 'BakeTimeMinutes',
  /** Percent of traffic the canary gets (CANARY). */
  CANARY_PERCENT: 'CanaryPercent',
  /** Minutes the canary serves that share before the rest moves (CANARY). */
  CANARY_BAKE_TIME_MINUTES: 'CanaryBakeTimeMinutes',
  /** Percent of traffic each step moves (LINEAR). */
  LINEAR_STEP_PERCENT: 'LinearStepPercent',
  /** Minutes between two steps (LINEAR). */
  LINEAR_STEP_BAKE_TIME_MINUTES: 'LinearStepBakeTimeMinutes',
  /**
   * The target group production traffic is on: `TargetGroup`, or `AlternateTargetGroup` where ECS's last blue/green,
   * canary or linear release left it. The stage's Prepare step reads it from the deployed production listener rule.
   */
  PRODUCTION_TARGET_GROUP: 'ProductionTargetGroup',
  /** The IPv4 range that may reach the test listener of the traffic-shifting strategies; empty: nobody. */
  TEST_TRAFFIC_CIDR: 'TestTrafficCidr',
  /** The stage's own domain name; with `HostedZoneId` the template creates its certificate and alias record. Empty: none. */
  DOMAIN_NAME: 'DomainName',
  /** The Route 53 hosted zone `DomainName` is in; CloudFormation validates the certificate there. */
  HOSTED_ZONE_ID: 'HostedZoneId',
  /** The processor the tasks run on, X86_64 or ARM64: the architecture the pipeline built the image for. */
  CPU_ARCHITECTURE: 'CpuArchitecture',
  /** Whether the stage's tasks run on Fargate Spot ("true") or regular Fargate ("false"). */
  FARGATE_SPOT: 'FargateSpot',
  /**
   * How the deployed service places its tasks, as the stage's Prepare step read it: `LaunchType` for a service that
   * release 1.0 created with `LaunchType: FARGATE`, which keeps it; `CapacityProviderStrategy` for every other.
   */
  SERVICE_PLACEMENT: 'ServicePlacement',
  /**
   * How the stage's log group is named, as the stage's Prepare step read it: `Release1` for one release 1.0 created as
   * `/ecs/<service>/<stage>`, which keeps that name; `WithStackId` (`/ecs/<service>/<stage>/<stack id>`) for every other.
   */
  LOG_GROUP_NAMING: 'LogGroupNaming',
  /** Only with the CodeStar transform: the CodeStar project id. */
  PROJECT_ID: 'ProjectId',
} as const;

/** The values of template.yml's `AssignPublicIp` parameter, as ECS's `AwsvpcConfiguration.AssignPublicIp` takes them. */
export const AssignPublicIp = {
  /** The stage's tasks run in public subnets, each with a public IP: no NAT gateway. */
  ENABLED: 'ENABLED',
  /** The stage's tasks run in private subnets with egress through a NAT gateway (the default). */
  DISABLED: 'DISABLED',
} as const;

/** Outputs of the generated `template.yml` the pipeline reads (`#{<deploy action namespace>.<output>}`). */
export const TemplateOutput = {
  /** The stage's base URL, `http(s)://<load balancer DNS name>`, without a trailing slash. */
  SERVICE_URL: 'LoadBalancerUrl',
} as const;

/** Environment variables the CodeBuild project gives the buildspec. */
export const BuildEnvironment = {
  /** The ECR repository's URI, without tag. */
  REPOSITORY_URI: 'REPOSITORY_URI',
  /**
   * The digest of each toolchain setting the deployed toolchain was synthesized from (JSON, setting name to digest):
   * the build compares it with the committed `.projen/toolchain-settings.json` and names the settings that wait.
   */
  DEPLOYED_TOOLCHAIN_SETTINGS: 'DEPLOYED_TOOLCHAIN_SETTINGS',
  /** `true` in the pull-request check: tests, checks and `docker build` run, and nothing is pushed or exported. */
  PULL_REQUEST_CHECK: 'PULL_REQUEST_CHECK',
  /** CodeCommit's pull request the check reports to (with its source and destination commits); unset elsewhere. */
  PULL_REQUEST_ID: 'PULL_REQUEST_ID',
  SOURCE_COMMIT: 'SOURCE_COMMIT',
  DESTINATION_COMMIT: 'DESTINATION_COMMIT',
  REPOSITORY_NAME: 'REPOSITORY_NAME',
} as const;

/** Variables the buildspec exports for the deploy actions (`#{Build.IMAGE_URI}`). */
export const BuildVariable = {
  /** `<repository-uri>@sha256:<digest>`: what every stage deploys, immutable whatever happens to tags. */
  IMAGE_URI: 'IMAGE_URI',
  /** The commit's tag the image was pushed with. */
  IMAGE_TAG: 'IMAGE_TAG',
} as const;

/**
 * The generated source files the pipeline reads. The deploy stages read the
 * template and its configuration from the source artifact, which no build can
 * write, so what waits for approval is exactly the commit that was built.
 */
export const SourceFile = {
  BUILDSPEC: 'buildspec.yml',
  TEMPLATE: 'template.yml',
  /** Stack tags shared by every stage, in CodePipeline's template configuration format. */
  TEMPLATE_CONFIGURATION: 'template-configuration.json',
  /** The team's smoke test, `bash smoke-test.sh <base URL>`: the pipeline runs it after each stage's deploy. */
  SMOKE_TEST: 'smoke-test.sh',
} as const;

/** What the smoke test reads besides its base URL argument; the projen task and the pipeline's action set it. */
export const SmokeTestEnvironment = {
  /** The service's health path, from `.projenrc.ts`, so the user-owned script follows a changed path. */
  HEALTH_CHECK_PATH: 'HEALTH_CHECK_PATH',
} as const;

/** The stack name of one stage of a service. */
export function stackName(serviceName: string, stage: string): string {
  return `${serviceName}-${stage}`;
}

/** The toolchain's stack in a stage's own account or region: its deploy role, permissions boundary and stage guard. */
export function accessStackName(serviceName: string, stage: string): string {
  return `${stackName(serviceName, stage)}-access`;
}

/**
 * IAM path of every role a stage's template creates, so that stage's deploy
 * role can create and pass exactly those roles, and no role of another stage.
 */
export function rolePath(serviceName: string, stage: string): string {
  return `/${serviceName}/${stage}/`;
}

/**
 * IAM path of the role ECS uses to move traffic between the target groups of a blue/green, canary or linear
 * release: under the stage's `rolePath`, so the stage's deploy role may pass exactly it to ECS and nothing else.
 */
export function infrastructureRolePath(serviceName: string, stage: string): string {
  return `${rolePath(serviceName, stage)}infrastructure/`;
}

/**
 * Seconds between SIGTERM and SIGKILL when ECS stops a task (the container's `StopTimeout`). ECS deregisters the task
 * from the target group (the drain) before SIGTERM, so this only bounds the app's own shutdown: 45 s outlasts the
 * skeletons' graceful shutdown (APP_SHUTDOWN_SECONDS) with room to spare, and stays below Fargate's 120 s limit.
 */
export const STOP_TIMEOUT_SECONDS = 45;

/** Seconds the skeletons give in-flight requests when they shut down; well inside STOP_TIMEOUT_SECONDS, so ECS never kills a task mid-answer. */
export const APP_SHUTDOWN_SECONDS = 20;

/** The load balancer port of the test listener, where a new release answers before production traffic moves. */
export const TEST_LISTENER_PORT = 8443;

/**
 * Name of the permissions boundary the toolchain creates per stage, under the
 * stage's `rolePath`; every role the stage's template creates must carry it.
 */
export function permissionsBoundaryName(serviceName: string, stage: string): string {
  return `${serviceName}-${stage}-boundary`;
}

/**
 * The stage's log group names start with this; the rest is the stack's id, so a
 * retained log group never blocks a stack that is created again.
 */
export function logGroupPrefix(serviceName: string, stage: string): string {
  return `/ecs/${serviceName}/${stage}/`;
}

/** The name release 1.0 gave a stage's log group; a stage it created keeps it, as renaming replaces the group. */
export function release1LogGroupName(serviceName: string, stage: string): string {
  return `/ecs/${serviceName}/${stage}`;
}

/**
 * ECR tag the pipeline adds to an image once a stage runs it, followed by the UTC time and the pipeline execution
 * (`deployed-<stage>-<yyyymmddThhmmssZ>-<execution id>`). The stage guard keeps it on the last images the stage ran
 * only, and the repository's rule for the stage keeps every image that carries it.
 */
export function deployedTagPrefix(stage: string): string {
  return `deployed-${stage}-`;
}

/** Stage names that get a manual approval before them by default. */
export const PRODUCTION_STAGE_NAMES = ['production', 'prod'];

/**
 * Tags template.yml puts on the target group and the scalable target: their
 * names are generated, so the deploy role scopes its permissions by these tags.
 */
export const STAGE_TAG = { service: 'service', stage: 'stage' } as const;

/**
 * The only principals a role of template.yml may trust: ECS tasks (task and execution roles, service-resources.ts) and ECS
 * itself (the infrastructure role that shifts traffic, deployment-strategy.ts). The stage guard refuses any other.
 */
export const ROLE_TRUSTED_SERVICES: readonly string[] = ['ecs-tasks.amazonaws.com', 'ecs.amazonaws.com'];

/** IAM condition keys for a stage's tags on a request or a resource, with the stage's values. */
export function stageTagConditions(key: 'aws:RequestTag' | 'aws:ResourceTag', serviceName: string, stage: string): Record<string, string> {
  return { [`${key}/${STAGE_TAG.service}`]: serviceName, [`${key}/${STAGE_TAG.stage}`]: stage };
}

/**
 * What each of a stage's CloudWatch alarms watches. Each alarm is named
 * `<service>-<stage>-<what>` (`stageAlarmName`), so the stage's deploy role is
 * granted exactly these names and the service's deployment rolls back on them.
 */
export const StageAlarm = {
  /** 5xx responses (the tasks' and the load balancer's) per request, over all target groups. */
  ERROR_RATE: 'error-rate',
  /** The 99th percentile of the tasks' response time, over all target groups. */
  P99_LATENCY: 'p99-latency',
  /** Targets failing the load balancer's health check, in any of the stage's target groups. */
  UNHEALTHY_TARGETS: 'unhealthy-targets',
  /** The service's average CPU utilisation. */
  CPU: 'cpu-high',
  /** The service's average memory utilisation. */
  MEMORY: 'memory-high',
  /** Tasks of the service that stay pending: a release whose tasks never start (the canary's and linear's circuit breaker). */
  TASKS_NOT_STARTING: 'tasks-not-starting',
} as const;

/** The name of one of a stage's alarms: `<service>-<stage>-<what>`. */
export function stageAlarmName(serviceName: string, stage: string, what: string): string {
  return `${serviceName}-${stage}-${what}`;
}

/** The stage's CloudWatch dashboard, named like its stack. */
export function stageDashboardName(serviceName: string, stage: string): string {
  return stackName(serviceName, stage);
}

/** The EventBridge rule that sends the stage's ECS deployment and service events to its topic. */
export function deploymentEventsRuleName(serviceName: string, stage: string): string {
  return `${serviceName}-${stage}-deployment-events`;
}

/**
 * What a task needs for ECS Exec and its session log, from AWS's ECS Exec guide
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html): template.yml's task role gets them
 * where the stage enables execute-command, and the stage's permissions boundary allows them.
 * The Session Manager channels, which IAM scopes to no resource:
 */
export const EXECUTE_COMMAND_CHANNEL_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

/** Writing the session to the log group the task definition's awslogs settings name: the stage's own. */
export const EXECUTE_COMMAND_LOG_ACTIONS = ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'];

/**
 * What a platform (`CodeStarFargatePlatform`) publishes per stage for the services that join it, as SSM parameters
 * under `platformParameterPath(platform, stage)`: services read them at deploy time (SSM parameter types in
 * template.yml, `valueForStringParameter` in the toolchain), so neither synth needs AWS.
 */
export const PlatformParameter = {
  /** The stage's VPC id. */
  VPC_ID: 'vpc-id',
  /** The subnets the services' tasks run in (a StringList): private ones with egress, or public ones without NAT. */
  SERVICE_SUBNET_IDS: 'service-subnet-ids',
  /** `ENABLED` where the tasks run in public subnets (no NAT gateway), else `DISABLED`: the service's AssignPublicIp. */
  ASSIGN_PUBLIC_IP: 'assign-public-ip',
  /** The shared ECS cluster's name and ARN. */
  CLUSTER_NAME: 'cluster-name',
  CLUSTER_ARN: 'cluster-arn',
  /** The shared load balancer: its ARN, its CloudWatch dimension (`app/<name>/<id>`), DNS name and its zone. */
  LOAD_BALANCER_ARN: 'load-balancer-arn',
  LOAD_BALANCER_FULL_NAME: 'load-balancer-full-name',
  LOAD_BALANCER_DNS_NAME: 'load-balancer-dns-name',
  LOAD_BALANCER_HOSTED_ZONE_ID: 'load-balancer-hosted-zone-id',
  /** The load balancer's security group: a service's own group allows its port from exactly this one. */
  LOAD_BALANCER_SECURITY_GROUP_ID: 'load-balancer-security-group-id',
  /** The listener production traffic arrives on (HTTPS with the wildcard certificate, else HTTP). */
  PRODUCTION_LISTENER_ARN: 'production-listener-arn',
  /** The test listener (TEST_LISTENER_PORT) where blue/green, canary and linear releases answer first. */
  TEST_LISTENER_ARN: 'test-listener-arn',
  /** `https` or `http`: how the stage's URLs start. */
  URL_SCHEME: 'url-scheme',
  /** The stage's domain (services are `<service>.<domain>`, under its wildcard certificate and record), or `none`. */
  DOMAIN_NAME: 'domain-name',
} as const;

/** The value a platform publishes for a setting it does not have (SSM parameters cannot be empty). */
export const PLATFORM_NONE = 'none';

/** Under which every platform publishes its values. */
export const PLATFORMS_PARAMETER_ROOT = '/codestar-fargate/platforms/';

/** Where a platform's stage publishes its PlatformParameter values: `/codestar-fargate/platforms/<platform>/<stage>/`. */
export function platformParameterPath(platformName: string, stage: string): string {
  return `${PLATFORMS_PARAMETER_ROOT}${platformName}/${stage}/`;
}

/**
 * The listener rule priority the platform gave a service (the platform's `services` list), under
 * `<platform path>services/<service>/rule-priority`: one per service, unique on the platform, the same on the
 * production and the test listener. The platform allocates it so services in different repositories never collide.
 */
export function platformRulePriorityParameter(platformName: string, stage: string, serviceName: string): string {
  return `${platformParameterPath(platformName, stage)}services/${serviceName}/rule-priority`;
}

/** Stack name of one stage of a platform. */
export function platformStackName(platformName: string, stage: string): string {
  return `${platformName}-platform-${stage}`;
}

/**
 * Parameters of a platform service's `template.yml` (one per PlatformParameter, plus the rule priority), typed
 * `AWS::SSM::Parameter::Value<...>`: the pipeline passes each stage's SSM parameter name, CloudFormation reads the value.
 */
export const PlatformTemplateParameter = {
  VPC_ID: 'PlatformVpcId',
  SERVICE_SUBNET_IDS: 'PlatformServiceSubnetIds',
  ASSIGN_PUBLIC_IP: 'PlatformAssignPublicIp',
  CLUSTER_NAME: 'PlatformClusterName',
  CLUSTER_ARN: 'PlatformClusterArn',
  LOAD_BALANCER_ARN: 'PlatformLoadBalancerArn',
  LOAD_BALANCER_FULL_NAME: 'PlatformLoadBalancerFullName',
  LOAD_BALANCER_DNS_NAME: 'PlatformLoadBalancerDnsName',
  LOAD_BALANCER_HOSTED_ZONE_ID: 'PlatformLoadBalancerHostedZoneId',
  LOAD_BALANCER_SECURITY_GROUP_ID: 'PlatformLoadBalancerSecurityGroupId',
  PRODUCTION_LISTENER_ARN: 'PlatformProductionListenerArn',
  TEST_LISTENER_ARN: 'PlatformTestListenerArn',
  URL_SCHEME: 'PlatformUrlScheme',
  DOMAIN_NAME: 'PlatformDomainName',
  /** The service's rule priority on the platform (platformRulePriorityParameter). */
  RULE_PRIORITY: 'PlatformRulePriority',
} as const;

/** Tags on everything a platform's stage stack creates: `platform=<name>`, `stage=<stage>`. */
export const PLATFORM_TAG = { platform: 'platform', stage: 'stage' } as const;

/**
 * The host header a platform service's listener rules match, as template.yml writes it in `Fn::Sub`:
 * `<service>.${PlatformDomainName}`. IAM has no key for a rule's host or priority, so the stage guard refuses a
 * template whose rules match anything else.
 */
export function platformServiceHostHeader(serviceName: string): string {
  return `${serviceName}.\${${PlatformTemplateParameter.DOMAIN_NAME}}`;
}

/** What decides a path-routed service's rules: `<service>.<domain>` and the path where the stage has a domain, the path alone where it has none. */
export const PLATFORM_HAS_DOMAIN_CONDITION = 'PlatformHasDomain';

/** The template condition PLATFORM_HAS_DOMAIN_CONDITION, exactly as the stage guard accepts it: the stage's domain is not PLATFORM_NONE. */
export function platformHasDomainCondition(): Record<string, unknown> {
  return { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: PlatformTemplateParameter.DOMAIN_NAME }, PLATFORM_NONE] }] };
}

/** The two path patterns of a path-routed service (`platformPath`): the path itself and everything under it. */
export function platformPathPatterns(platformPath: string): string[] {
  return [platformPath, `${platformPath}/*`];
}

/** What of a service decides its listener rules on a platform. */
export interface PlatformRouting {
  readonly serviceName: string;
  /** The service's `platformPath`; absent: routed by host header alone. */
  readonly platformPath?: string;
}

/**
 * The one shape of a platform service's listener rules' conditions the stage guard accepts, on the production and the
 * test listener alike (besides priority `{ Ref: PlatformRulePriority }` and listener `{ Ref: PlatformProductionListenerArn }`
 * or `{ Ref: PlatformTestListenerArn }`): host header `<service>.<domain>`; with `platformPath`, that host and the path
 * where the stage has a domain, and the path alone where it has none (no other service there has a host to overlap).
 */
export function platformListenerRuleConditions(routing: PlatformRouting): unknown {
  const host = { Field: 'host-header', HostHeaderConfig: { Values: [{ 'Fn::Sub': platformServiceHostHeader(routing.serviceName) }] } };
  if (routing.platformPath === undefined) {
    return [host];
  }
  const path = { Field: 'path-pattern', PathPatternConfig: { Values: platformPathPatterns(routing.platformPath) } };
  return { 'Fn::If': [PLATFORM_HAS_DOMAIN_CONDITION, [host, path], [path]] };
}

/** The template conditions the accepted rule shape relies on, by name, as the stage guard requires them. */
export function platformRuleTemplateConditions(routing: PlatformRouting): Record<string, unknown> {
  return routing.platformPath === undefined ? {} : { [PLATFORM_HAS_DOMAIN_CONDITION]: platformHasDomainCondition() };
}

/**
 * The platform values a service's template.yml reads (keys of PlatformParameter and PlatformTemplateParameter), besides
 * its rule priority: the template declares exactly these parameters and the pipeline passes exactly these SSM names, as
 * CloudFormation refuses an override the template does not declare and cfn-lint a parameter it does not use.
 */
export const PLATFORM_VALUES_A_SERVICE_READS = [
  'VPC_ID', 'SERVICE_SUBNET_IDS', 'ASSIGN_PUBLIC_IP', 'CLUSTER_NAME', 'LOAD_BALANCER_FULL_NAME',
  'LOAD_BALANCER_SECURITY_GROUP_ID', 'PRODUCTION_LISTENER_ARN', 'TEST_LISTENER_ARN', 'URL_SCHEME', 'DOMAIN_NAME',
] as const satisfies ReadonlyArray<keyof typeof PlatformParameter & keyof typeof PlatformTemplateParameter>;

/** What a path-routed service's template.yml reads besides: its URL is the load balancer's own name where the stage has no domain. */
export const PLATFORM_VALUES_A_PATH_ROUTED_SERVICE_READS = ['LOAD_BALANCER_DNS_NAME'] as const satisfies ReadonlyArray<keyof typeof PlatformParameter & keyof typeof PlatformTemplateParameter>;

/** A platform value a service may read (a key of PlatformParameter and PlatformTemplateParameter). */
export type PlatformValueAServiceReads = typeof PLATFORM_VALUES_A_SERVICE_READS[number] | typeof PLATFORM_VALUES_A_PATH_ROUTED_SERVICE_READS[number];

/** Every platform value a service's template.yml declares and its pipeline passes, besides its rule priority. */
export function platformValuesAServiceReads(platformPath?: string): ReadonlyArray<PlatformValueAServiceReads> {
  return platformPath === undefined
    ? PLATFORM_VALUES_A_SERVICE_READS
    : [...PLATFORM_VALUES_A_SERVICE_READS, ...PLATFORM_VALUES_A_PATH_ROUTED_SERVICE_READS];
}
