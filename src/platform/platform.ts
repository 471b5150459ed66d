import { Stack, Tags } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { PLATFORM_TAG, platformParameterPath, platformStackName } from '../contract';
import { PlatformLoadBalancer } from './platform-load-balancer';
import { platformStageNetwork } from './platform-network';
import { CodeStarFargatePlatformProps } from './platform-options';
import { publishedValues, publishPlatformParameters } from './platform-parameters';
import { PlatformSettings, PlatformStageSettings, resolvePlatformSettings } from './platform-validation';

/**
 * What a platform team deploys once per stage and services join: per stage one stack (`<platform>-platform-<stage>`)
 * with the network, an ECS cluster, one load balancer with its production and test listeners, its access logs,
 * the wildcard certificate and record where the stage has a domain, and SSM parameters under
 * `/codestar-fargate/platforms/<platform>/<stage>/` that the services read at deploy time.
 *
 * The stacks have no account or region, so synth needs no credentials and no context lookups.
 */
export class CodeStarFargatePlatform extends Construct {
  /** The platform's name, as services give it in `platformName`. */
  public readonly platformName: string;
  /** One stack per stage, in the order of `stages`. */
  public readonly stacks: Stack[];

  constructor(scope: Construct, id: string, props: CodeStarFargatePlatformProps) {
    super(scope, id);
    const settings = resolvePlatformSettings(props);
    this.platformName = settings.platformName;
    this.stacks = settings.stages.map(stage => this.createStageStack(settings, stage));
  }

  private createStageStack(settings: PlatformSettings, stage: PlatformStageSettings): Stack {
    const { platformName } = settings;
    const stack = new Stack(this, stage.name, {
      stackName: platformStackName(platformName, stage.name),
      description: `Platform ${platformName}, stage ${stage.name}: the network, cluster and load balancer its services share; its values under ${platformParameterPath(platformName, stage.name)}`,
    });
    Tags.of(stack).add(PLATFORM_TAG.platform, platformName);
    Tags.of(stack).add(PLATFORM_TAG.stage, stage.name);

    const network = platformStageNetwork(stack, stage);
    const clusterName = platformStackName(platformName, stage.name);
    const cluster = new ecs.Cluster(stack, 'Cluster', {
      vpc: network.vpc,
      clusterName,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      // Services place their tasks on FARGATE or FARGATE_SPOT by capacity provider strategy.
      enableFargateCapacityProviders: true,
    });
    const balancer = new PlatformLoadBalancer(stack, 'LoadBalancer', stage, network);
    const values = publishedValues(stage, network, cluster.clusterName, cluster.clusterArn, balancer);
    publishPlatformParameters(stack, platformName, stage, values, settings.services);
    return stack;
  }
}
