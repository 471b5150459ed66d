import { Annotations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { Construct } from 'constructs';
import { PRODUCTION_STAGE_NAMES, TemplateParameter } from '../contract';
import { defaultStageDomainName, validateHostedZone, validateStageDomainName, validateStageDomainNaming } from '../domain';
import { refuseSpotOnArchitecture, validateArchitecture } from '../fargate';
import { requireBoolean } from '../option-checks';
import { CpuArchitecture } from '../options';
import { StageDomain } from './domain-permissions';
import type { CodeStarFargatePipelineProps, PipelineStage } from './pipeline-props';

/**
 * Where a stage runs and how it is reached, for the pipeline: the build image of the architecture, the stage's
 * domain in the pipeline's hosted zone, Fargate Spot, the template parameters they set and the synth warnings.
 */

/** The build image of the architecture: CodeBuild's standard image, or its ARM one for Graviton. */
export function defaultBuildImage(architecture: CpuArchitecture | undefined): codebuild.IBuildImage {
  return architecture === CpuArchitecture.ARM64
    ? codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0
    : codebuild.LinuxBuildImage.STANDARD_7_0;
}

/** The stage's domain in the pipeline's zone: its own name, else the default for its name; none without a zone. */
export function stageDomain(props: CodeStarFargatePipelineProps, stage: PipelineStage): StageDomain | undefined {
  if (!props.hostedZone) {
    return undefined;
  }
  const { hostedZoneId, zoneName } = props.hostedZone;
  return { hostedZoneId, domainName: stage.domainName ?? defaultStageDomainName(props.serviceName, stage.name, zoneName, props.stageDomainNames) };
}

/** Whether the stage runs on Fargate Spot: its own choice, else the pipeline's for stages without an approval. */
function stageUsesFargateSpot(props: CodeStarFargatePipelineProps, stage: PipelineStage, approvalRequired: boolean): boolean {
  return stage.fargateSpot ?? ((props.fargateSpot ?? false) && !approvalRequired);
}

/** The template's domain, architecture and Spot parameters for a stage. */
export function platformParameterOverrides(
  props: CodeStarFargatePipelineProps,
  stage: PipelineStage,
  approvalRequired: boolean,
): { [name: string]: string } {
  const domain = stageDomain(props, stage);
  return {
    [TemplateParameter.CPU_ARCHITECTURE]: props.architecture ?? CpuArchitecture.X86_64,
    [TemplateParameter.FARGATE_SPOT]: String(stageUsesFargateSpot(props, stage, approvalRequired)),
    ...(domain ? { [TemplateParameter.DOMAIN_NAME]: domain.domainName, [TemplateParameter.HOSTED_ZONE_ID]: domain.hostedZoneId } : {}),
  };
}

/**
 * Warnings `cdk synth` shows on the stage: a stage with an approval that would serve plain HTTP (no domain, no
 * certificate), and one asked to run on Spot.
 */
export function warnAboutStagePlatform(
  stageScope: Construct,
  props: CodeStarFargatePipelineProps,
  stage: PipelineStage,
  approvalRequired: boolean,
): void {
  const production = approvalRequired || PRODUCTION_STAGE_NAMES.includes(stage.name);
  // On a platform, the platform's certificate decides.
  if (production && !stageDomain(props, stage) && stage.certificateArn === undefined && props.platformName === undefined) {
    Annotations.of(stageScope).addWarningV2('projen-codestar-fargate:production-without-https',
      `Stage "${stage.name}" serves plain HTTP: give the pipeline a hostedZone (a domain and certificate per stage) or the stage a certificateArn.`);
  }
  if (approvalRequired && stage.fargateSpot === true) {
    Annotations.of(stageScope).addWarningV2('projen-codestar-fargate:spot-with-approval',
      `Stage "${stage.name}" has an approval and runs on Fargate Spot: AWS may stop its tasks with two minutes' notice.`);
  }
}

/** Checks the pipeline's architecture, hosted zone and Spot choice; errors name the prop, the value and what is allowed. */
export function validatePlatformProps(props: CodeStarFargatePipelineProps): void {
  if (props.architecture !== undefined) {
    validateArchitecture('architecture', props.architecture);
  }
  if (props.hostedZone !== undefined) {
    validateHostedZone('hostedZone', props.hostedZone);
  }
  if (props.stageDomainNames !== undefined) {
    validateStageDomainNaming('stageDomainNames', props.stageDomainNames);
    if (props.hostedZone === undefined) {
      throw new Error(`stageDomainNames ${JSON.stringify(props.stageDomainNames)} is not allowed without the pipeline's hostedZone: stages get domain names only in a hosted zone.`);
    }
  }
  if (props.fargateSpot !== undefined) {
    requireBoolean('fargateSpot', props.fargateSpot);
    refuseSpotOnArchitecture('fargateSpot', props.fargateSpot, props.architecture);
  }
}

/** Checks a stage's domain name against the zone and its Spot choice. */
export function validateStagePlatform(props: CodeStarFargatePipelineProps, stage: PipelineStage, path: string): void {
  if (stage.fargateSpot !== undefined) {
    requireBoolean(`${path}.fargateSpot`, stage.fargateSpot);
    refuseSpotOnArchitecture(`${path}.fargateSpot`, stage.fargateSpot, props.architecture);
  }
  if (stage.domainName !== undefined && props.hostedZone === undefined) {
    throw new Error(`${path}.domainName ${JSON.stringify(stage.domainName)} is not allowed without the pipeline's hostedZone: give hostedZone: { hostedZoneId, zoneName } for the zone the name is in.`);
  }
  const domain = stageDomain(props, stage);
  if (domain) {
    const option = stage.domainName !== undefined ? `${path}.domainName` : `hostedZone.zoneName (the domain of stage "${stage.name}")`;
    validateStageDomainName(option, domain.domainName, stage.name, props.hostedZone!.zoneName);
  }
}

