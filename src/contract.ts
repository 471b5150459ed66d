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
  /** Private subnets with egress for the tasks. */
  SERVICE_SUBNET_IDS: 'ServiceSubnetIds',
  /** The fewest tasks autoscaling keeps. */
  MIN_CONTAINERS: 'MinContainers',
  /** The most tasks autoscaling starts. */
  MAX_CONTAINERS: 'MaxContainers',
  /** ACM certificate for HTTPS on the load balancer; empty for HTTP only. */
  CERTIFICATE_ARN: 'CertificateArn',
  /** Only with the CodeStar transform: the CodeStar project id. */
  PROJECT_ID: 'ProjectId',
} as const;

/** Files the build stage hands to the deploy stages. */
export const BuildArtifact = {
  /** ECS standard deployment action input: `[{"name": ..., "imageUri": ...}]`. */
  IMAGE_DEFINITIONS: 'imagedefinitions.json',
  /** `template.yml` after `aws cloudformation package`. */
  PACKAGED_TEMPLATE: 'packaged-template.yml',
  /** Stack tags and parameters shared by every stage. */
  TEMPLATE_CONFIGURATION: 'template-configuration.json',
} as const;

/** Environment variables the CodeBuild project gives the buildspec. */
export const BuildEnvironment = {
  /** The ECR repository's URI, without tag. */
  REPOSITORY_URI: 'REPOSITORY_URI',
  /** The bucket `aws cloudformation package` uploads to. */
  ARTIFACT_BUCKET: 'ARTIFACT_BUCKET',
} as const;

/** Variables the buildspec exports for the deploy actions (`#{Build.IMAGE_URI}`). */
export const BuildVariable = {
  IMAGE_URI: 'IMAGE_URI',
  IMAGE_TAG: 'IMAGE_TAG',
} as const;

/** The generated source files the pipeline reads. */
export const SourceFile = {
  BUILDSPEC: 'buildspec.yml',
  TEMPLATE: 'template.yml',
} as const;

/** The stack name of one stage of a service. */
export function stackName(serviceName: string, stage: string): string {
  return `${serviceName}-${stage}`;
}

/**
 * IAM path of every role template.yml creates, so the pipeline's deploy role
 * can create and pass exactly those roles and no others.
 */
export function rolePath(serviceName: string): string {
  return `/${serviceName}/`;
}

/** Stage names that get a manual approval before them by default. */
export const PRODUCTION_STAGE_NAMES = ['production', 'prod'];

/**
 * Tags template.yml puts on the target group: its name is generated, so the
 * deploy role scopes target-group permissions by these tags instead.
 */
export const TARGET_GROUP_TAG = { service: 'service', stage: 'stage' } as const;
