/* What to do instead, for each Copilot manifest field this package has no option for. */

const ESCAPE_HATCH = 'change template.yml through project.serviceTemplate.addOverride in .projenrc.ts';

/** Advice by field path without the `environments.<name>.` prefix; `*` stands for one name (a sidecar's, a variable's). */
const ADVICE: Record<string, string> = {
  'sidecars.*': `add the container to the task definition: ${ESCAPE_HATCH}`,
  'storage': `volumes (EFS, bind mounts), ephemeral storage and a read-only root file system are not options: ${ESCAPE_HATCH}`,
  'publish': 'this package creates no SNS topics: create them in a stack of their own and give the topic ARNs in environment',
  'network': 'a stage\'s network is stageOptions[].network (an existing VPC) and taskSubnets',
  'network.connect': 'Service Connect is not set up: reach other services by their load balancer or domain, and allow it with egress',
  'network.vpc': 'a stage\'s network is stageOptions[].network (an existing VPC by id)',
  'network.vpc.placement': 'set stageOptions[].taskSubnets (TaskSubnets.PUBLIC or TaskSubnets.PRIVATE, the default here)',
  'network.vpc.security_groups': 'allow what the tasks reach with egress rules ({ port, securityGroupId })',
  'nlb': 'this package serves HTTP and HTTPS through an Application Load Balancer only',
  'taskdef_overrides': `apply each override to the task definition: ${ESCAPE_HATCH}`,
  'logging': 'the container logs to the stage\'s CloudWatch log group (awslogs); FireLens routing is not an option',
  'observability': 'tracing is not set up for a container service: instrument the app and add a collector as a sidecar',
  'deployment': 'set deploymentStrategy (rolling, canary or blue/green; a canary for production by default)',
  'deployment.rollback_alarms': 'every alarm of alarms is a deployment alarm that rolls a release back',
  'entrypoint': 'set ENTRYPOINT in your Dockerfile',
  'command': 'set CMD in your Dockerfile',
  'env_file': 'give the variables in environment (or stageOptions[].environment), and secrets in secrets',
  'variables.*.from_cfn': 'give the value itself in environment: this package reads no CloudFormation exports',
  'secrets.*.from_cfn': 'give the parameter\'s or secret\'s name in secrets: this package reads no CloudFormation exports',
  'image.location': 'this package builds the image from your Dockerfile in the pipeline; a prebuilt image is not an option',
  'image.build.args': 'build arguments are not options: give them defaults in the Dockerfile (ARG NAME=value)',
  'image.build.target': 'a build target is not an option: make the stage you deploy the Dockerfile\'s last',
  'image.build.cache_from': 'the build caches by itself; cache_from is not an option',
  'image.healthcheck': 'the container health check requests healthCheckPath; a command of your own is not an option',
  'image.credentials': 'the image comes from the toolchain\'s own ECR repository; registry credentials are not needed',
  'image.depends_on': `container start order applies to sidecars, which are not options: ${ESCAPE_HATCH}`,
  'image.labels': 'set LABEL in your Dockerfile',
  'image.docker_labels': 'set LABEL in your Dockerfile',
  'http': 'this package always serves HTTP through a load balancer',
  'http.path': 'a service here has its own load balancer and answers every path: serve the app at /, or join a platform (--platform-name), where http.path becomes platformPath',
  'http.healthcheck.healthy_threshold': `the target group's health check counts are this package's: ${ESCAPE_HATCH}`,
  'http.healthcheck.unhealthy_threshold': `the target group's health check counts are this package's: ${ESCAPE_HATCH}`,
  'http.healthcheck.interval': `the target group's health check interval is this package's: ${ESCAPE_HATCH}`,
  'http.healthcheck.timeout': `the target group's health check timeout is this package's: ${ESCAPE_HATCH}`,
  'http.healthcheck.grace_period': 'the health check grace period is this package\'s (long enough for the runtime to start)',
  'http.healthcheck.success_codes': `the target group accepts 200-399: ${ESCAPE_HATCH}`,
  'http.healthcheck.port': 'the health check uses containerPort',
  'http.alias': 'a stage\'s domain needs the hosted zone: give hostedZoneId and hostedZoneName, and the name in stageOptions[].domain',
  'http.alias[*]': 'this package gives each stage one domain name: the first alias is the stage\'s domain',
  'http.stickiness': `sticky sessions are not an option: ${ESCAPE_HATCH}`,
  'http.deregistration_delay': `the target group's deregistration delay is this package's: ${ESCAPE_HATCH}`,
  'http.allowed_source_ips': `the load balancer accepts every address: ${ESCAPE_HATCH}`,
  'http.redirect_to_https': 'with a hosted zone, HTTP always redirects to HTTPS',
  'http.additional_rules': 'one service answers on one listener rule: deploy another service for another path or host',
  'http.target_container': 'the load balancer sends traffic to the service\'s own container; sidecars are not options',
  'http.target_port': 'the load balancer sends traffic to containerPort',
  'http.alb': 'each stage has its own load balancer, or joins a platform\'s (platformName)',
  'http.protocol': 'the load balancer forwards HTTP/1.1 to the container',
  'http.version': 'the load balancer forwards HTTP/1.1 to the container',
  'http.main': 'give the main listener rule\'s values directly under http',
  'count.cooldown': 'autoscaling cooldowns are this package\'s',
  'count.cpu_percentage.cooldown': 'autoscaling cooldowns are this package\'s',
  'count.memory_percentage': 'autoscaling here tracks CPU only (autoScalingTargetCpu)',
  'count.requests': 'autoscaling here tracks CPU only (autoScalingTargetCpu)',
  'count.response_time': 'autoscaling here tracks CPU only (autoScalingTargetCpu)',
  'count.spot': 'set fargateSpot (every task of a stage without an approval on Fargate Spot)',
  'count.range.spot_from': 'set fargateSpot (every task of a stage without an approval on Fargate Spot)',
  'platform': 'the architecture is the project\'s (architecture), the same in every stage',
  'image': 'the image is the project\'s, the same in every stage',
  'name': 'the service name is the project\'s (serviceName)',
  'tags': 'every resource is tagged with the service and stage; more tags are not an option',
};

const DEFAULT_ADVICE = 'this package has no option for it (docs/copilot.md lists what maps)';

/** What to do instead of a field at `path` (with or without `environments.<name>.`). */
export function adviceFor(path: string): string {
  const general = path.replace(/^environments\.[^.]+\./, '').replace(/\[\d+\]/g, '[*]');
  const candidates = [general, general.replace(/^(sidecars|variables|secrets)\.[^.]+/, '$1.*')];
  for (const candidate of candidates) {
    if (ADVICE[candidate]) {
      return ADVICE[candidate];
    }
  }
  return DEFAULT_ADVICE;
}
