// Managed by projen-codestar-fargate: edit .projenrc.ts instead.
import { App, CloudFormationValidatePlugin, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CodeStarFargatePlatform, CodeStarFargatePlatformProps{{taskSubnetsImport}} } from 'projen-codestar-fargate';

/** The platform this app deploys; services join it with `platformName: {{platformName}}`. */
export const platformName = {{platformName}};

/** The platform's CDK app and the platform in it: one stack per stage. */
export interface PlatformApp {
  readonly app: App;
  readonly platform: CodeStarFargatePlatform;
}

/**
 * The platform as this release of projen-codestar-fargate builds it: an app with its checks, and stacks with no
 * account or region (synth needs no credentials and no context lookups).
 */
export function createPlatform(): PlatformApp {
  // The built-in validation is registered below, only when the build or a deploy asks for it.
  const app = new App({ builtinCloudFormationValidation: false });
  // cdk-nag's AWS Solutions rules: a finding fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // CDK_VALIDATION=true (`projen build`, `projen deploy`): aws-cdk-lib's CloudFormation validation, whose findings fail the synth too.
  if (process.env.CDK_VALIDATION === 'true') {
    Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
  }
  const platform = new CodeStarFargatePlatform(app, 'Platform', platformProps());
  return { app, platform };
}

/** The platform's settings from .projenrc.ts. */
export function platformProps(): CodeStarFargatePlatformProps {
  return {
    platformName,
    stages: [{{stages}}],
    services: [{{services}}],
  };
}
