import { awscdk, typescript } from 'projen';
import { PlatformService, PlatformStage } from './platform-options';

/**
 * Options for `CodeStarFargatePlatformProject`.
 */
export interface CodeStarFargatePlatformProjectOptions
  extends typescript.TypeScriptProjectOptions, awscdk.CdkConfigCommonOptions {
  /**
   * The platform's name, which services give as their `platformName`: lowercase letters, digits and single
   * hyphens, a letter first; with `-<stage>` at most 32 characters, as a service's name.
   *
   * @default - the project name (the folder name for `projen new`), lowercased, other characters as hyphens
   * @featured
   */
  readonly platformName?: string;

  /**
   * The platform's stages, names only: each gets a new VPC with one NAT gateway, no domain, and an
   * internet-facing load balancer. Use either `stages` or `stageOptions`, not both.
   *
   * @default ["dev","production"]
   * @featured
   */
  readonly stages?: string[];

  /**
   * The platform's stages as objects, for stages that differ: an existing network, NAT gateways, public task
   * subnets, a hosted zone and domain, the load balancer's scheme, the test listener's range. A separate option
   * rather than objects in `stages`, because jsii cannot type a list of "name or object".
   *
   * @default - the stages of `stages`, each with the defaults of `PlatformStage`
   */
  readonly stageOptions?: PlatformStage[];

  /**
   * The services allowed to join, each with the listener rule priority the platform gives it (1 to 50000,
   * unique, never given to another service once used).
   *
   * @default - none yet
   */
  readonly services?: PlatformService[];

  /**
   * Minimum AWS CDK version for the platform app.
   *
   * @default - the version this release of projen-codestar-fargate was tested with
   */
  readonly cdkVersion?: string;

  /**
   * Version range of the AWS CDK CLI.
   *
   * @default "^2"
   */
  readonly cdkCliVersion?: string;
}
