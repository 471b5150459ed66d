// Managed by projen-codestar-fargate: edit .projenrc.ts instead.
import { App, CloudFormationValidatePlugin{{fnImport}}, Stack, Validations } from 'aws-cdk-lib';
{{ec2Import}}{{repositoryImport}}import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps{{architectureImport}}{{strategyImport}}{{hostImport}}, PipelineSource{{taskSubnetsImport}} } from 'projen-codestar-fargate';

/** The service this toolchain builds and deploys. */
export const serviceName = {{serviceName}};

/** The toolchain's CDK app, its one stack and the pipeline in it. */
export interface Toolchain {
  readonly app: App;
  readonly stack: Stack;
  readonly pipeline: CodeStarFargatePipeline;
}

/**
 * The toolchain as this release of projen-codestar-fargate builds it: an app with its checks, a stack with no
 * account or region (synth needs no credentials and no context lookups), and the pipeline from .projenrc.ts.
 */
export function createToolchain(): Toolchain {
  // The built-in validation is registered by applyToolchainChecks, only when the build or a deploy asks for it.
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, `${serviceName}-toolchain`, {
    description: `CI/CD toolchain of ${serviceName}: source, build, and a CloudFormation deploy per stage`,
  });
  const pipeline = new CodeStarFargatePipeline(stack, 'Pipeline', toolchainProps(stack));
  return { app, stack, pipeline };
}

/**
 * The pipeline's settings from .projenrc.ts. Spread and override them in main.ts if you must. It also applies the
 * toolchain's checks to the app that holds `scope`: entry points written by earlier releases get them this way.
 */
export function toolchainProps(scope: Construct): CodeStarFargatePipelineProps {
  applyToolchainChecks(scope);
  return {
    serviceName,
    source: {{source}},
    stages: [{{stages}}],{{deploymentStrategy}}
    // The smoke test (smoke-test.sh) calls this path after each stage's deploy.
    healthCheckPath: {{healthCheckPath}},
    notificationEmails: [{{notificationEmails}}],{{platform}}
    // What the build compares with .projen/toolchain-settings.json: a commit whose settings differ waits for a deploy of this app.
    toolchainSettings: {{toolchainSettings}},
  };
}

/** Apps that have their checks: an entry point may reach applyToolchainChecks more than once. */
const checkedApps = new WeakSet<IConstruct>();

/**
 * What every synth of the toolchain promises, on the app that holds `scope`: cdk-nag's AWS Solutions rules (a
 * finding fails the synth) and, when CDK_VALIDATION=true (`projen build`, `projen deploy`), aws-cdk-lib's
 * CloudFormation validation, whose findings fail the synth too (cdk.json's `validateAgainstDefaultRules`).
 */
export function applyToolchainChecks(scope: IConstruct): void {
  const app = App.of(scope);
  if (!app || checkedApps.has(app)) {
    return;
  }
  checkedApps.add(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Registered by name, it runs whatever App's own default is; a quick `cdk synth` or `cdk diff` skips it (two thirds of a synth).
  if (process.env.CDK_VALIDATION === 'true') {
    Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
  }
}
