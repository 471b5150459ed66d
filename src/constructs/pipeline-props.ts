import { Duration } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CpuArchitecture, DeploymentStrategy, HostedZoneReference, SecretReference, StageDomainNaming, TaskSubnets } from '../options';
import { PipelineSource } from './source';

/**
 * One deployment stage of the service: one CloudFormation stack of
 * `template.yml` with its own cluster, load balancer and network.
 */
export interface PipelineStage {
  /**
   * The stage's name, passed to the template as `Stage`; the stack is
   * `<serviceName>-<name>`. Lowercase letters and digits, at most 16
   * characters, starting with a letter.
   */
  readonly name: string;

  /**
   * Whether someone must approve in the pipeline before this stage deploys.
   *
   * @default - true for a stage named `production` or `prod`, otherwise false
   */
  readonly approvalRequired?: boolean;

  /**
   * The fewest tasks autoscaling keeps in this stage. Give it with
   * `maxContainers` to change the range.
   *
   * @default - the template's default (the project's `minContainers`)
   */
  readonly minContainers?: number;

  /**
   * The most tasks autoscaling starts in this stage.
   *
   * @default - the template's default (the project's `maxContainers`)
   */
  readonly maxContainers?: number;

  /**
   * An existing network to run the stage in, with public subnets in at least
   * two Availability Zones (load balancer) and private subnets with egress
   * (tasks). With `taskSubnets` PUBLIC it needs the public subnets alone.
   *
   * @default - a new VPC across two Availability Zones with one NAT gateway and flow logs (public subnets only and no NAT gateway with `taskSubnets` PUBLIC)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Which subnets the stage's tasks run in: private ones with egress through a NAT gateway, or the public ones with a
   * public IP per task and no NAT gateway. Public is cheaper, and only the load balancer's security group reaches the tasks.
   *
   * @default TaskSubnets.PRIVATE
   */
  readonly taskSubnets?: TaskSubnets;

  /**
   * An ACM certificate for HTTPS on the stage's load balancer, in the
   * pipeline's region.
   *
   * @default - HTTP only
   */
  readonly certificateArn?: string;

  /**
   * The stage's own domain name in the pipeline's `hostedZone`: the stage's template creates a DNS-validated
   * certificate for it (unless `certificateArn` is given) and an alias record to the load balancer, and serves
   * HTTPS. Lowercase RFC 1035 labels, the zone's name or a name inside it, at most 64 characters (ACM's limit).
   *
   * @default - with a `hostedZone`: `<serviceName>.<zone>` for `production` and `prod`; for other stages
   * `<name>.<serviceName>.<zone>`, or `<serviceName>-<name>.<zone>` with `stageDomainNames` SIBLING; without one, no domain
   */
  readonly domainName?: string;

  /**
   * Whether this stage's tasks run on Fargate Spot; overrides the pipeline's `fargateSpot`. Asking for Spot on a
   * stage with an approval is allowed but warned about at synth: AWS may stop Spot tasks with two minutes' notice.
   *
   * @default - the pipeline's `fargateSpot` for stages without an approval; regular Fargate for stages with one
   */
  readonly fargateSpot?: boolean;

  /**
   * The AWS account the stage deploys to. Its stack, deploy role, permissions
   * boundary and stage guard then live in that account, in a stack of their
   * own (`<serviceName>-<name>-access`) that `cdk deploy` puts there through
   * the account's CDK bootstrap, which must trust the pipeline's account
   * (`cdk bootstrap --trust <pipeline account> aws://<account>/<region>`).
   * Needs an explicit `env` on the pipeline's stack and an existing `vpc`
   * in that account given by its ids; on a platform (`platformName`), the
   * platform's stage of that name deployed in that account and region instead.
   *
   * @default - the pipeline's account
   */
  readonly account?: string;

  /**
   * The AWS region the stage deploys to; with `account`.
   *
   * @default - the pipeline's region
   */
  readonly region?: string;

  /**
   * What this stage's tasks may do besides pulling the image and writing
   * logs, added to the stage's permissions boundary (with the pipeline's
   * `taskPermissions`). Give the task role the same statements in
   * `template.yml`. Actions of IAM and STS are refused: the boundary denies them.
   *
   * @default - nothing more
   */
  readonly taskPermissions?: iam.PolicyStatement[];

  /**
   * How this stage releases a new version; overrides the pipeline's `deploymentStrategy`.
   *
   * @default - the pipeline's `deploymentStrategy`, else a canary for `production` and `prod` and rolling elsewhere
   */
  readonly deploymentStrategy?: DeploymentStrategy;

  /**
   * Email addresses subscribed to this stage's topic, besides the pipeline's
   * `notificationEmails`. Each receives a confirmation mail from SNS first.
   *
   * @default - only the pipeline's `notificationEmails`
   */
  readonly notificationEmails?: string[];

  /**
   * The secrets this stage's template gives its tasks (`.projenrc.ts` `secrets`), by environment variable name.
   * The stage's permissions boundary lets its roles read exactly these (and decrypt with a named key only
   * through Secrets Manager or SSM), so no other stage's template can reach them.
   *
   * @default - none: the stage's roles may read no secret
   */
  readonly secrets?: { [name: string]: SecretReference };
}

/**
 * Properties of a `CodeStarFargatePipeline`.
 */
export interface CodeStarFargatePipelineProps {
  /**
   * The service's name: the ECR repository, the pipeline and every stage's
   * stack (`<serviceName>-<stage>`) are named after it. Lowercase letters,
   * digits and single hyphens; with `-<stage>` at most 32 characters.
   */
  readonly serviceName: string;

  /**
   * Where the service's source comes from, e.g.
   * `PipelineSource.connection({ connectionArn, owner, repository })`.
   */
  readonly source: PipelineSource;

  /**
   * The deployment stages, in pipeline order.
   *
   * @default - `dev`, then `production` behind a manual approval
   */
  readonly stages?: PipelineStage[];

  /**
   * The CodeBuild image the build runs on; it must run Docker.
   *
   * @default codebuild.LinuxBuildImage.STANDARD_7_0
   */
  readonly buildImage?: codebuild.IBuildImage;

  /**
   * The processor the tasks run on and the image is built for. With `ARM64` the build runs on an ARM CodeBuild
   * image (`LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0`), so the image is built natively, without emulation.
   *
   * @default CpuArchitecture.X86_64
   */
  readonly architecture?: CpuArchitecture;

  /**
   * The Route 53 public hosted zone the stages' domains are in, in each stage's account. Every stage then gets a
   * domain (see `PipelineStage.domainName`), a DNS-validated certificate and HTTPS; its deploy role may create only
   * that certificate and change only the records of that name in this zone.
   *
   * @default - no domains: HTTPS only for stages given a `certificateArn`
   */
  readonly hostedZone?: HostedZoneReference;

  /**
   * How stages other than `production` and `prod` are named in the `hostedZone`: below production's name
   * (`<stage>.<serviceName>.<zone>`) or beside it (`<serviceName>-<stage>.<zone>`), so a stage's code cannot reach
   * the cookies production scopes to its domain. Each deploy role may create only its stage's name.
   *
   * @default StageDomainNaming.SUBDOMAIN
   */
  readonly stageDomainNames?: StageDomainNaming;

  /**
   * Run the tasks of every stage without a manual approval on Fargate Spot; stages with an approval stay on
   * regular Fargate unless they ask by `PipelineStage.fargateSpot`. All of a stage's tasks run on Spot: an
   * on-demand base task would cost as much as no Spot for a one-task stage.
   *
   * @default false
   */
  readonly fargateSpot?: boolean;

  /**
   * The size of the machine that builds the image.
   *
   * @default codebuild.ComputeType.SMALL
   */
  readonly buildComputeType?: codebuild.ComputeType;

  /**
   * How long a build may run before CodeBuild stops it.
   *
   * @default Duration.minutes(30)
   */
  readonly buildTimeout?: Duration;

  /**
   * How many images the ECR repository keeps besides those the stages run;
   * older ones expire. The last three images each stage ran never expire.
   *
   * @default 30
   */
  readonly imageRetentionCount?: number;

  /**
   * What the tasks of every stage may do besides pulling the image and
   * writing logs, added to each stage's permissions boundary, dev's too: give
   * what one stage may do in that stage's `taskPermissions` (synth warns when a
   * statement here names a resource that looks like a stage's). Give the task
   * role the same statements in `template.yml`. Actions of IAM and STS are
   * refused: the boundary denies them.
   *
   * @default - nothing more
   */
  readonly taskPermissions?: iam.PolicyStatement[];

  /**
   * Resource types a team adds to `template.yml` beyond its own, such as
   * `['AWS::DynamoDB::Table']`: each stage's deploy role may manage them, and
   * its tasks use them, only under the stage's own names (`<service>-<stage>-...`,
   * as CloudFormation names them) and with the stage's `service` and `stage` tags. Only the types
   * docs/security.md lists are taken; IAM, Lambda and the like are refused.
   *
   * @default - only template.yml's own types
   */
  readonly extraResourceTypes?: string[];

  /**
   * Whether every pull request to the source branch gets a check: a CodeBuild
   * project runs `buildspec.yml` with `PULL_REQUEST_CHECK=true` (the tests,
   * checks and `docker build`; no push, no deploy) and reports back: the
   * commit status on GitHub, GitLab or Bitbucket (a webhook through the
   * connection), a comment on a CodeCommit pull request. Its role gets no
   * secret and nothing production uses.
   *
   * @default true
   */
  readonly pullRequestChecks?: boolean;

  /**
   * How every stage releases a new version, unless the stage says otherwise. Blue/green, canary and
   * linear start a full new fleet and move traffic to it, keeping the old one for the bake time so a
   * rollback is only a traffic move; rolling replaces tasks in place and is the quickest.
   *
   * @default - a canary (10% for 10 minutes, 5 minutes' bake) for stages named `production` or `prod`,
   * where a bad release should reach few users and roll back without starting tasks; rolling elsewhere,
   * where a quick deploy matters more
   */
  readonly deploymentStrategy?: DeploymentStrategy;

  /**
   * Email addresses subscribed to every stage's SNS topic: they hear of failed
   * pipeline runs, approvals waiting, the stage's deploys and what the stage's
   * template publishes (alarms, deployment events). Each receives a
   * confirmation mail from SNS first.
   *
   * @default - no subscriptions; subscribe to the topics (`<serviceName>-<stage>`) yourself
   */
  readonly notificationEmails?: string[];

  /**
   * Whether each stage's deploy is followed by the source's `smoke-test.sh`,
   * run with the stage's URL, failing the pipeline when it fails.
   *
   * @default true
   */
  readonly smokeTest?: boolean;

  /**
   * The service's health path, which the smoke test calls (`HEALTH_CHECK_PATH`).
   *
   * @default "/health"
   */
  readonly healthCheckPath?: string;

  /**
   * The digest of each setting this toolchain is synthesized from, by name, given to the build as
   * `DEPLOYED_TOOLCHAIN_SETTINGS`: a build whose commit has other settings fails, naming those that take effect only
   * when someone deploys the toolchain. The generated `infra/toolchain.generated.ts` passes them.
   *
   * @default - the build is not told the toolchain's settings; the generated buildspec fails until they are given
   */
  readonly toolchainSettings?: { [name: string]: string };

  /**
   * The platform (`CodeStarFargatePlatform`) whose shared network, cluster and load balancer every stage joins, e.g.
   * `acme`. Stages then get no VPC (a stage's `vpc` is refused), and each stage's deploy passes template.yml the names
   * of the SSM parameters the platform's stage publishes. The platform's domain names the service, so `hostedZone`,
   * `stageDomainNames` and a stage's `domainName` and `certificateArn` are refused too. The stage's deploy role may
   * change only the service's own part of the platform (docs/security.md, "On a platform").
   *
   * @default - each stage has its own network, cluster and load balancer
   */
  readonly platformName?: string;

  /**
   * The path the service is routed by on its platform (`/<serviceName>` or under it, e.g. `/orders`), as the project's
   * `platformPath`: its listener rules match it (with `<service>.<domain>` where the stage has a domain), and the stage
   * guard accepts exactly those. `healthCheckPath` must sit under it. Only with `platformName`.
   *
   * @default - routed by the host header `<serviceName>.<platform domain>`
   */
  readonly platformPath?: string;
}
