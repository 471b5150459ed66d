// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CodeStarFargatePipeline } from 'projen-codestar-fargate';
import { serviceName, toolchainProps } from './toolchain.generated';

// aws-cdk-lib's CloudFormation validation takes two thirds of a synth: `projen build` and `projen deploy` set
// CDK_VALIDATION=true and fail on its findings; a quick `cdk synth` or `cdk diff` skips it.
const app = new App({ builtinCloudFormationValidation: process.env.CDK_VALIDATION === 'true' });
// Every synth checks the toolchain against cdk-nag's AWS Solutions rules and fails on a finding.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

// No account or region here: synth needs no credentials and no context lookups.
const stack = new Stack(app, `${serviceName}-toolchain`, {
  description: `CI/CD toolchain of ${serviceName}: source, build, and a CloudFormation deploy per stage`,
});
new CodeStarFargatePipeline(stack, 'Pipeline', toolchainProps(stack));

app.synth();
