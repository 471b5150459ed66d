import { DeploymentStrategy } from './deployment-strategy';
import { EgressRule, SecretReference } from './secrets-egress';

/* A stage's own options, where it differs from the project. */

/**
 * Which subnets a stage's tasks run in.
 */
export enum TaskSubnets {
  /** Private subnets with a NAT gateway for egress: tasks have no public address. */
  PRIVATE = 'PRIVATE',
  /** Public subnets with a public IP per task and no NAT gateway (Copilot's default): cheaper; only the load balancer's security group reaches the tasks. */
  PUBLIC = 'PUBLIC',
}

/**
 * One deployment stage as an object in `stageOptions`: its name and what it
 * changes from the project-wide values. Anything left out takes the
 * project's option of the same name (`cpu`, `memory`, `minContainers`, ...).
 */
export interface StageOptions {
  /** The stage's name: lowercase letters and digits, at most 16 characters, starting with a letter. */
  readonly name: string;

  /**
   * CPU units of one task in this stage; with `memory` a valid Fargate size.
   *
   * @default - the project's `cpu`
   */
  readonly cpu?: number;

  /**
   * Memory of one task in this stage, in MiB; with `cpu` a valid Fargate size.
   *
   * @default - the project's memory
   */
  readonly memory?: number;

  /**
   * The fewest tasks autoscaling keeps in this stage.
   *
   * @default - the project's `minContainers`
   */
  readonly minContainers?: number;

  /**
   * The most tasks autoscaling starts in this stage.
   *
   * @default - the project's `maxContainers`
   */
  readonly maxContainers?: number;

  /**
   * Average CPU utilisation (percent) autoscaling holds this stage at.
   *
   * @default - the project's `autoScalingTargetCpu`
   */
  readonly autoScalingTargetCpu?: number;

  /**
   * Environment variables of this stage's container, on top of the project's
   * `environment` (a name given in both takes this stage's value).
   *
   * @default - only the project's `environment`
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets of this stage's container, as environment variables, on top of the
   * project's `secrets` (a name given in both takes this stage's secret). Only
   * this stage's task execution role may read them.
   *
   * @default - only the project's `secrets`
   */
  readonly secrets?: { [name: string]: SecretReference };

  /**
   * Whether someone must approve in the pipeline before this stage deploys.
   *
   * @default - true for a stage named `production` or `prod`, otherwise false
   */
  readonly approval?: boolean;

  /**
   * An existing network to run this stage in.
   *
   * @default - a new VPC for the stage (two public and two private subnets, one NAT gateway; two public subnets only with `taskSubnets` PUBLIC)
   */
  readonly network?: StageNetwork;

  /**
   * Which subnets this stage's tasks run in: private ones with a NAT gateway, or public ones with a public IP per
   * task and no NAT gateway. Public is Copilot's default and cheaper; only the load balancer's security group reaches the tasks.
   *
   * @default TaskSubnets.PRIVATE
   */
  readonly taskSubnets?: TaskSubnets;

  /**
   * How this stage releases a new version; overrides the project's `deploymentStrategy`.
   *
   * @default - the project's `deploymentStrategy`, else a canary for `production` and `prod` and rolling elsewhere
   */
  readonly deploymentStrategy?: DeploymentStrategy;

  /**
   * Email addresses subscribed to this stage's topic, besides the project's `notificationEmails`.
   *
   * @default - only the project's `notificationEmails`
   */
  readonly notificationEmails?: string[];

  /**
   * What this stage's tasks may reach besides HTTPS (443) anywhere, e.g. a
   * database on 5432. Added to the project's `egress`.
   *
   * @default - only the project's `egress`
   */
  readonly egress?: EgressRule[];

  /**
   * The AWS account the stage deploys to, when not the toolchain's; needs
   * `network` (a VPC in that account) and `region`, or on a platform
   * (`platformName`) the platform's stage of this name in that account and region.
   *
   * @default - the toolchain's account
   */
  readonly account?: string;

  /**
   * The AWS region the stage deploys to, when not the toolchain's.
   *
   * @default - the toolchain's region
   */
  readonly region?: string;

  /**
   * This stage's domain name in the project's hosted zone (`hostedZoneId`, `hostedZoneName`): the zone's name or
   * a name inside it, lowercase RFC 1035 labels, at most 64 characters (ACM's limit for a certificate's name).
   *
   * @default - `<serviceName>.<zone>` for `production` and `prod`; for other stages `<name>.<serviceName>.<zone>`, or
   * `<serviceName>-<name>.<zone>` with `stageDomainNames` SIBLING; no domain without a hosted zone
   */
  readonly domain?: string;

  /**
   * Whether this stage's tasks run on Fargate Spot; overrides the project's `fargateSpot`. Asking for Spot on a
   * stage with an approval is allowed, and warned about at every synth.
   *
   * @default - the project's `fargateSpot` for stages without an approval; regular Fargate for stages with one
   */
  readonly fargateSpot?: boolean;

  /**
   * Whether `npx projen exec <stage>` may open a shell in this stage's tasks (ECS Exec): the service allows
   * execute-command, its task role gets the Session Manager channel permissions, and each session's output is
   * logged to the stage's log group.
   *
   * @default - true, except for stages named `production` or `prod`
   */
  readonly enableExecuteCommand?: boolean;
}

/** An existing VPC a stage runs in, by id; the subnets must be in that VPC. */
export interface StageNetwork {
  /** The VPC's id, e.g. `vpc-0123456789abcdef0`. */
  readonly vpcId: string;

  /** Public subnets in two or more Availability Zones, for the internet-facing load balancer. */
  readonly publicSubnetIds: string[];

  /**
   * Private subnets with outbound internet access (NAT), for the tasks.
   *
   * @default - none: allowed only with the stage's `taskSubnets` PUBLIC, whose tasks run in the public subnets
   */
  readonly privateSubnetIds?: string[];
}
