import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformParameter, platformParameterPath, platformRulePriorityParameter, PlatformTemplateParameter, platformValuesAServiceReads } from '../contract';
import { defaultHealthCheckPath, validateHealthCheckUnderPlatformPath, validatePlatformName, validatePlatformPath } from '../platform-membership';
import { DEFAULT_HEALTH_CHECK_PATH } from '../validation';
import type { CodeStarFargatePipelineProps, PipelineStage } from './pipeline-props';
import { readPlatformStage } from './platform-permissions';

/**
 * The pipeline's side of a service on a platform: what it refuses (the network, domain and certificate are the
 * platform's), the SSM parameter names it passes template.yml per stage, and the platform's VPC for the deploy role.
 */

/** Checks `platformName` and refuses the props a platform decides; errors name the prop, the value and why. */
export function validatePlatformStages(props: CodeStarFargatePipelineProps, stages: PipelineStage[]): void {
  validatePlatformPath('platformPath', props.platformPath, props.serviceName, props.platformName);
  if (props.platformName === undefined) {
    return;
  }
  const platformName = validatePlatformName('platformName', props.platformName, stages.map(stage => stage.name));
  validateHealthCheckUnderPlatformPath(pipelineHealthCheckPath(props), props.platformPath);
  const on = `with platformName "${platformName}"`;
  if (props.hostedZone !== undefined) {
    throw new Error(`hostedZone ${JSON.stringify(props.hostedZone)} is not allowed ${on}: the platform's domain names each stage's service (<service>.<platform domain>); remove hostedZone.`);
  }
  if (props.stageDomainNames !== undefined) {
    throw new Error(`stageDomainNames ${JSON.stringify(props.stageDomainNames)} is not allowed ${on}: the platform's domain names each stage's service; remove stageDomainNames.`);
  }
  stages.forEach((stage, index) => {
    const path = `stages[${index}]`;
    const refused: Array<[keyof PipelineStage, string]> = [
      ['vpc', 'runs in the platform\'s VPC'],
      ['certificateArn', 'is served under the platform\'s certificate'],
      ['domainName', 'answers on <service>.<platform domain>'],
    ];
    for (const [prop, reason] of refused) {
      if (stage[prop] !== undefined) {
        const value = prop === 'vpc' ? `(${stage.vpc!.node.path})` : JSON.stringify(stage[prop]);
        throw new Error(`${path}.${prop} ${value} is not allowed ${on}: stage "${stage.name}" ${reason}; remove ${prop}.`);
      }
    }
  });
}

/** Each platform value template.yml reads, as the name of the SSM parameter the platform's stage publishes it under. */
export function platformParameterNames(platformName: string, serviceName: string, stage: string, platformPath?: string): { [name: string]: string } {
  const names: { [name: string]: string } = {};
  for (const key of platformValuesAServiceReads(platformPath)) {
    names[PlatformTemplateParameter[key]] = `${platformParameterPath(platformName, stage)}${PlatformParameter[key]}`;
  }
  names[PlatformTemplateParameter.RULE_PRIORITY] = platformRulePriorityParameter(platformName, stage, serviceName);
  return names;
}

/**
 * The platform stage's VPC as far as the toolchain knows it at synth: its id, read from SSM when the toolchain is
 * deployed; its subnets are a list SSM gives only at deploy time, so the VPC has none here. Seam: the deploy role's
 * network grants (deploy-permissions.ts) are scoped by this VPC's subnets, so platform stages need their own grants there.
 */
export function platformStageVpc(scope: Construct, platformName: string, stage: string): ec2.IVpc {
  // The same SSM read as the deploy role's (CDK keeps one parameter per name and stack).
  return ec2.Vpc.fromVpcAttributes(scope, 'PlatformVpc', { vpcId: readPlatformStage(scope, platformName, stage).vpcId, availabilityZones: Fn.getAzs() });
}

/** The health path the pipeline's smoke test and checks use: the prop, or the default under `platformPath`. */
export function pipelineHealthCheckPath(props: CodeStarFargatePipelineProps): string {
  return props.healthCheckPath ?? defaultHealthCheckPath(DEFAULT_HEALTH_CHECK_PATH, props.platformPath);
}
