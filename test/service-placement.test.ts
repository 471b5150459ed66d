import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { fakeCommand, runAsCodeBuild } from './codebuild-shell';
import { PREPARED_IMAGE } from './guarded-image';
import { assetPath } from '../src/assets';
import { CodeStarFargatePipeline } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';

/*
 * Release 1.0 created every service with `LaunchType: FARGATE` and named its log group `/ecs/<service>/<stage>`; this release places tasks by a capacity provider
 * strategy. LaunchType is conditionally create-only, so moving a deployed service from one to the other would replace
 * it, and its fixed ServiceName makes that replacement fail; a new log group name replaces the group. The Prepare
 * step reads both and passes `ServicePlacement` and `LogGroupNaming`, so such a stage keeps them (template.yml's side: test/stage-platform.test.ts,
 * and the cross-release rehearsal in test/change-rehearsal.test.ts).
 */

const script = fs.readFileSync(assetPath('toolchain', 'stage-guard.sh'), 'utf-8');
const STACK = 'orders-api-dev';
const SERVICE_ARN = 'arn:aws:ecs:eu-west-1:123456789012:service/orders-api-dev/orders-api';
const NO_RESOURCE = (id: string) => `An error occurred (ValidationError) when calling the DescribeStackResource operation: Resource ${id} does not exist for stack ${STACK}`;

interface Deployed {
  /** What describe-services says of the deployed service: `FARGATE` for a 1.0 service, `None` for a strategy. */
  readonly launchType?: string;
  /** How many capacity providers its strategy names: none for a 1.0 service, one for this release's. */
  readonly strategyLength?: number;
  /** Whether the stack has its Service yet (a stack whose update failed before creating it has none). */
  readonly hasService?: boolean;
  /** The deployed log group's name. */
  readonly logGroup?: string;
}

const STACK_ID = '0a1b2c3d-4e5f-11ef-8a9b-0e1f2a3b4c5d';
const SCALABLE_TARGET = 'arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2e';
const ENVIRONMENT = {
  ...PREPARED_IMAGE,
  STAGE_GUARD_STEP: 'prepare',
  STACK_NAME: STACK,
  SERVICE_TAG: 'orders-api',
  STAGE_TAG: 'dev',
  PROTECT_LOAD_BALANCER: 'false',
  DEPLOYMENT_STRATEGY: 'ROLLING',
  RELEASE1_LOG_GROUP_NAME: '/ecs/orders-api/dev',
};

function prepare(deployed: Deployed | undefined, fargateSpot: 'true' | 'false') {
  return runAsCodeBuild([script], { ...ENVIRONMENT, FARGATE_SPOT: fargateSpot }, (bin, log) => {
    fakeCommand(bin, 'aws', log, [
      [/describe-stacks/, deployed === undefined
        ? { stderr: `An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id ${STACK} does not exist`, status: 254 }
        : { stdout: 'UPDATE_COMPLETE' }],
      [/describe-stack-resource .*ProductionListenerRule/, { stderr: NO_RESOURCE('ProductionListenerRule'), status: 254 }],
      [/describe-stack-resource .*logical-resource-id Service /, deployed?.hasService === false ? { stderr: NO_RESOURCE('Service'), status: 254 } : { stdout: SERVICE_ARN }],
      [/describe-stack-resource .*logical-resource-id Cluster /, { stdout: STACK }],
      [/ecs describe-services/, { stdout: `${deployed?.launchType ?? 'None'}\t${deployed?.strategyLength ?? (deployed?.launchType === 'FARGATE' ? 0 : 1)}` }],
      [/describe-stack-resource .*logical-resource-id LogGroup /, { stdout: deployed?.logGroup ?? `/ecs/orders-api/dev/${STACK_ID}` }],
      [/describe-scalable-targets/, { stdout: SCALABLE_TARGET }],
      [/tag-resource/, {}],
    ]);
  }, ['SERVICE_PLACEMENT', 'LOG_GROUP_NAMING']);
}

describe('the Prepare step, reading how the deployed service places its tasks', () => {
  it('passes CapacityProviderStrategy for a first create, without reading any service', () => {
    const run = prepare(undefined, 'true');
    expect(run.status).toBe(0);
    expect(run.variables.SERVICE_PLACEMENT).toBe('CapacityProviderStrategy');
    expect(run.calls.filter(call => /describe-services|logical-resource-id (Service|Cluster) /.test(call))).toEqual([]);
  });

  it('passes LaunchType for a service release 1.0 created with LaunchType FARGATE, asking ECS about the stack\'s own service', () => {
    const run = prepare({ launchType: 'FARGATE' }, 'false');
    expect(run.status).toBe(0);
    expect(run.variables.SERVICE_PLACEMENT).toBe('LaunchType');
    expect(run.calls).toContain(`aws ecs describe-services --cluster ${STACK} --services ${SERVICE_ARN} --query services[0].[launchType, length(capacityProviderStrategy || \`[]\`)] --output text`);
  });

  it('tags the scalable target release 1.0 created with the stage, which the deploy role needs to change it', () => {
    const run = prepare({ launchType: 'FARGATE' }, 'false');
    expect(run.calls).toContain(`aws application-autoscaling describe-scalable-targets --service-namespace ecs --resource-ids service/${STACK}/orders-api --query ScalableTargets[0].ScalableTargetARN --output text`);
    expect(run.calls).toContain(`aws application-autoscaling tag-resource --resource-arn ${SCALABLE_TARGET} --tags service=orders-api,stage=dev`);
  });

  it('tags no scalable target of a stage this release created, which tagged its own', () => {
    expect(prepare({}, 'false').calls.filter(call => call.includes('application-autoscaling'))).toEqual([]);
  });

  it('passes CapacityProviderStrategy for a service that names a strategy, even were ECS to report a launch type beside it', () => {
    const run = prepare({ launchType: 'FARGATE', strategyLength: 1 }, 'true');
    expect(run.status).toBe(0);
    expect(run.variables.SERVICE_PLACEMENT).toBe('CapacityProviderStrategy');
  });

  it('passes CapacityProviderStrategy for a service this release created, whose launch type ECS leaves empty', () => {
    for (const fargateSpot of ['true', 'false'] as const) {
      const run = prepare({}, fargateSpot);
      expect(run.status).toBe(0);
      expect(run.variables.SERVICE_PLACEMENT).toBe('CapacityProviderStrategy');
    }
  });

  it('passes CapacityProviderStrategy when the stack has no service yet, which this deploy creates with one', () => {
    const run = prepare({ hasService: false }, 'false');
    expect(run.status).toBe(0);
    expect(run.variables.SERVICE_PLACEMENT).toBe('CapacityProviderStrategy');
    expect(run.calls.filter(call => call.includes('describe-services'))).toEqual([]);
  });

  it('refuses Fargate Spot for a service created with LaunchType FARGATE, before CloudFormation runs, saying what to do', () => {
    const run = prepare({ launchType: 'FARGATE' }, 'true');
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`${STACK}: fargateSpot cannot be turned on for this stage: its service was created with LaunchType FARGATE (release 1.0), and CloudFormation can move it to the FARGATE_SPOT capacity provider only by replacing the service, which its fixed name (${SERVICE_ARN}) does not allow. Keep fargateSpot off for this stage, or create the stage's stack again (docs/upgrades.md: 'A stage deployed by release 1.0').`);
  });

  it('stops, showing the error, when ECS refuses to describe the service', () => {
    const run = runAsCodeBuild([script], { ...ENVIRONMENT, FARGATE_SPOT: 'false' }, (bin, log) => {
      fakeCommand(bin, 'aws', log, [
        [/describe-stacks/, { stdout: 'UPDATE_COMPLETE' }],
        [/describe-stack-resource .*ProductionListenerRule/, { stderr: NO_RESOURCE('ProductionListenerRule'), status: 254 }],
        [/describe-stack-resource .*logical-resource-id Service /, { stdout: SERVICE_ARN }],
        [/describe-stack-resource .*logical-resource-id Cluster /, { stdout: STACK }],
        [/ecs describe-services/, { stderr: 'An error occurred (AccessDeniedException) when calling the DescribeServices operation', status: 254 }],
      ]);
    }, []);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('AccessDeniedException');
  });
});

describe('the Prepare step, reading how the deployed log group is named', () => {
  it('passes WithStackId for a first create, and for a log group this release named', () => {
    for (const deployed of [undefined, {}]) {
      const run = prepare(deployed, 'false');
      expect(run.status).toBe(0);
      expect(run.variables.LOG_GROUP_NAMING).toBe('WithStackId');
    }
  });

  it('passes Release1 for a log group release 1.0 named /ecs/<service>/<stage>, which keeps its name and its logs', () => {
    const run = prepare({ launchType: 'FARGATE', logGroup: '/ecs/orders-api/dev' }, 'false');
    expect(run.status).toBe(0);
    expect(run.variables.LOG_GROUP_NAMING).toBe('Release1');
    expect(run.calls).toContain(`aws cloudformation describe-stack-resource --stack-name ${STACK} --logical-resource-id LogGroup --query StackResourceDetail.PhysicalResourceId --output text`);
  });

  it('passes WithStackId for any other name, another stage\'s release 1.0 name included', () => {
    const run = prepare({ logGroup: '/ecs/orders-api/production' }, 'false');
    expect(run.variables.LOG_GROUP_NAMING).toBe('WithStackId');
  });
});

describe('the pipeline\'s side of the service placement', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'service-placement-')) });
  const stack = new Stack(app, 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owner: 'acme', repository: 'orders-api' }),
    stages: [{ name: 'dev', fargateSpot: true }, { name: 'production' }],
  });
  const template = Template.fromStack(stack);
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  const action = (stage: string, name: string) => pipeline.Properties.Stages
    .find((candidate: any) => candidate.Name === stage).Actions.find((candidate: any) => candidate.Name === name);

  it('tells each Prepare step the stage\'s Fargate Spot setting and passes what it read to the deploy', () => {
    for (const [stage, spot] of [['dev', 'true'], ['production', 'false']]) {
      expect(JSON.parse(action(stage, 'Prepare').Configuration.EnvironmentVariables)).toContainEqual({ name: 'FARGATE_SPOT', type: 'PLAINTEXT', value: spot });
      const overrides = action(stage, 'Deploy').Configuration.ParameterOverrides['Fn::Join'][1].filter((part: unknown) => typeof part === 'string').join('');
      expect(overrides).toContain(`"ServicePlacement":"#{Prepare-orders-api-${stage}.SERVICE_PLACEMENT}"`);
      expect(overrides).toContain(`"LogGroupNaming":"#{Prepare-orders-api-${stage}.LOG_GROUP_NAMING}"`);
      expect(JSON.parse(action(stage, 'Prepare').Configuration.EnvironmentVariables)).toContainEqual({ name: 'STAGE_GUARD_STEP', type: 'PLAINTEXT', value: 'prepare' });
      expect(overrides).toContain(`"FargateSpot":"${spot}"`);
    }
  });

  it('tells each stage\'s guard the name release 1.0 gave that stage\'s log group', () => {
    const names = Object.values(template.findResources('AWS::CodeBuild::Project'))
      .flatMap((project: any) => project.Properties.Environment.EnvironmentVariables ?? [])
      .filter((variable: any) => variable.Name === 'RELEASE1_LOG_GROUP_NAME').map((variable: any) => variable.Value);
    expect(names).toEqual(['/ecs/orders-api/dev', '/ecs/orders-api/production']);
  });

  it('lets each Prepare step describe only its own stage\'s service', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: any) => statement.Sid === 'ReadServicePlacement');
    expect(statements.map((statement: any) => [statement.Action, JSON.stringify(statement.Resource)])).toEqual([
      ['ecs:DescribeServices', expect.stringContaining(':service/orders-api-dev/orders-api"')],
      ['ecs:DescribeServices', expect.stringContaining(':service/orders-api-production/orders-api"')],
    ]);
  });
});
