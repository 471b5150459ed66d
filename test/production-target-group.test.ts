import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { fakeCommand, runAsCodeBuild } from './codebuild-shell';
import { PREPARED_IMAGE, PREPARED_IMAGE_CHECK } from './guarded-image';
import { assetPath } from '../src/assets';
import { CodeStarFargatePipeline } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { DeploymentStrategyType } from '../src/options';

/**
 * The stage's Prepare step reads which target group production is on from the deployed production listener rule
 * (ECS moves it on every blue/green, canary or linear release) and passes it to template.yml; it refuses a switch
 * to ROLLING while production is on the alternate group. template.yml's side: test/change-rehearsal.test.ts.
 */

const script = fs.readFileSync(assetPath('toolchain', 'stage-guard.sh'), 'utf-8');
const STACK = 'orders-api-production';
const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/orders-api-production/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const PRIMARY = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-Targe-1A2B3C4D5E6F/73e2d6bc24d8a067';
const ALTERNATE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-Alter-6F5E4D3C2B1A/2453ed029918f21f';
const NO_RULE = 'An error occurred (ValidationError) when calling the DescribeStackResource operation: Resource ProductionListenerRule does not exist for stack orders-api-production';

interface Deployed {
  /** The deployed stack's strategy; ROLLING stacks have no production listener rule. */
  readonly strategy: DeploymentStrategyType;
  /** The target group the rule's larger weight forwards to. */
  readonly serving?: string;
}

function prepare(deployed: Deployed | undefined, deploymentStrategy: DeploymentStrategyType) {
  return runAsCodeBuild([script], { ...PREPARED_IMAGE, STAGE_GUARD_STEP: 'prepare', STACK_NAME: STACK, PROTECT_LOAD_BALANCER: 'true', DEPLOYMENT_STRATEGY: deploymentStrategy }, (bin, log) => {
    const shifts = deployed !== undefined && deployed.strategy !== DeploymentStrategyType.ROLLING;
    fakeCommand(bin, 'aws', log, [
      [/ParameterKey=='DeploymentStrategy'/, { stdout: deployed?.strategy ?? '' }],
      [/describe-stacks/, deployed === undefined
        ? { stderr: `An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id ${STACK} does not exist`, status: 254 }
        : { stdout: 'UPDATE_COMPLETE' }],
      [/describe-stack-resource .*ProductionListenerRule/, shifts ? { stdout: RULE } : { stderr: NO_RULE, status: 254 }],
      [/describe-stack-resource .*AlternateTargetGroup/, shifts ? { stdout: ALTERNATE } : { stderr: NO_RULE.replace('ProductionListenerRule', 'AlternateTargetGroup'), status: 254 }],
      [/elbv2 describe-rules/, { stdout: deployed?.serving ?? 'None' }],
    ]);
  }, ['PRODUCTION_TARGET_GROUP', 'LOAD_BALANCER_DELETION_PROTECTION']);
}

describe('the Prepare step, reading where production traffic is', () => {
  it('passes TargetGroup for a first create, without reading any rule', () => {
    const first = prepare(undefined, DeploymentStrategyType.CANARY);
    expect(first.status).toBe(0);
    expect(first.variables.PRODUCTION_TARGET_GROUP).toBe('TargetGroup');
    expect(first.calls.filter(call => /describe-stack-resource|describe-rules/.test(call))).toEqual([]);
  });

  it('passes TargetGroup for a ROLLING stack, which has no production listener rule', () => {
    const rolling = prepare({ strategy: DeploymentStrategyType.ROLLING }, DeploymentStrategyType.CANARY);
    expect(rolling.status).toBe(0);
    expect(rolling.variables.PRODUCTION_TARGET_GROUP).toBe('TargetGroup');
  });

  it('reads the weights of the deployed production listener rule, by its physical id in the stage\'s own stack', () => {
    const run = prepare({ strategy: DeploymentStrategyType.CANARY, serving: ALTERNATE }, DeploymentStrategyType.CANARY);
    expect(run.calls).toEqual([
      PREPARED_IMAGE_CHECK,
      `aws cloudformation describe-stacks --stack-name ${STACK} --query Stacks[0].StackStatus --output text`,
      `aws cloudformation describe-stack-resource --stack-name ${STACK} --logical-resource-id ProductionListenerRule --query StackResourceDetail.PhysicalResourceId --output text`,
      `aws cloudformation describe-stack-resource --stack-name ${STACK} --logical-resource-id AlternateTargetGroup --query StackResourceDetail.PhysicalResourceId --output text`,
      `aws elbv2 describe-rules --rule-arns ${RULE} --query Rules[0].Actions[?Type=='forward'] | [0].ForwardConfig.TargetGroups | max_by(@, &Weight).TargetGroupArn --output text`,
      // Then how the service places its tasks and its log group is named (test/service-placement.test.ts).
      `aws cloudformation describe-stack-resource --stack-name ${STACK} --logical-resource-id Service --query StackResourceDetail.PhysicalResourceId --output text`,
      `aws cloudformation describe-stack-resource --stack-name ${STACK} --logical-resource-id Cluster --query StackResourceDetail.PhysicalResourceId --output text`,
      `aws cloudformation describe-stack-resource --stack-name ${STACK} --logical-resource-id LogGroup --query StackResourceDetail.PhysicalResourceId --output text`,
    ]);
  });

  it.each([DeploymentStrategyType.BLUE_GREEN, DeploymentStrategyType.CANARY, DeploymentStrategyType.LINEAR])(
    'passes AlternateTargetGroup when the last release left production there, and lets the next %s release run', (strategy) => {
      const run = prepare({ strategy: DeploymentStrategyType.CANARY, serving: ALTERNATE }, strategy);
      expect(run.status).toBe(0);
      expect(run.variables.PRODUCTION_TARGET_GROUP).toBe('AlternateTargetGroup');
    });

  it('passes TargetGroup when production is on it, and lets a switch to ROLLING run then', () => {
    const run = prepare({ strategy: DeploymentStrategyType.BLUE_GREEN, serving: PRIMARY }, DeploymentStrategyType.ROLLING);
    expect(run.status).toBe(0);
    expect(run.variables.PRODUCTION_TARGET_GROUP).toBe('TargetGroup');
  });

  it('refuses a switch to ROLLING while production is on the alternate group, saying how to do it in two deploys', () => {
    const run = prepare({ strategy: DeploymentStrategyType.LINEAR, serving: ALTERNATE }, DeploymentStrategyType.ROLLING);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`${STACK}: switching to ROLLING now would send production traffic to a target group with no tasks: the last LINEAR release left production on AlternateTargetGroup, which a ROLLING stack does not have. Do it in two deploys: first release once more with deploymentStrategy LINEAR (revert the switch and push), which moves production back to TargetGroup; then switch to ROLLING and push again.`);
  });

  it('stops, showing the error, when it cannot read the stack\'s rule', () => {
    const run = runAsCodeBuild([script], { ...PREPARED_IMAGE, STAGE_GUARD_STEP: 'prepare', STACK_NAME: STACK, PROTECT_LOAD_BALANCER: 'true', DEPLOYMENT_STRATEGY: 'CANARY' }, (bin, log) => {
      fakeCommand(bin, 'aws', log, [
        [/describe-stacks/, { stdout: 'UPDATE_COMPLETE' }],
        [/describe-stack-resource/, { stderr: 'An error occurred (AccessDenied) when calling the DescribeStackResource operation', status: 254 }],
      ]);
    }, []);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('AccessDenied');
  });
});

describe('the Prepare action in the pipeline', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'production-target-group-')) });
  const stack = new Stack(app, 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owner: 'acme', repository: 'orders-api' }),
    stages: [{ name: 'dev', deploymentStrategy: { type: DeploymentStrategyType.BLUE_GREEN } }, { name: 'production' }],
  });
  const template = Template.fromStack(stack);
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  const action = (stage: string, name: string) => pipeline.Properties.Stages
    .find((candidate: any) => candidate.Name === stage).Actions.find((candidate: any) => candidate.Name === name);

  it('tells the Prepare step the strategy the deploy passes', () => {
    for (const [stage, strategy] of [['dev', 'BLUE_GREEN'], ['production', 'CANARY']]) {
      const variables = JSON.parse(action(stage, 'Prepare').Configuration.EnvironmentVariables);
      expect(variables).toContainEqual({ name: 'DEPLOYMENT_STRATEGY', type: 'PLAINTEXT', value: strategy });
      // The overrides are JSON joined with tokens (VPC, topic); this part is plain text.
      const overrides = action(stage, 'Deploy').Configuration.ParameterOverrides['Fn::Join'][1].filter((part: unknown) => typeof part === 'string').join('');
      expect(overrides).toContain(`"ProductionTargetGroup":"#{Prepare-orders-api-${stage}.PRODUCTION_TARGET_GROUP}"`);
    }
  });

  it('exports the target group from the Prepare step, and may read only its own stack\'s resources and rule weights', () => {
    const projects = Object.values(template.findResources('AWS::CodeBuild::Project')).filter((project: any) => String(project.Properties.Description).includes('reads where its production traffic is'));
    expect(projects).toHaveLength(2);
    for (const project of projects as any[]) {
      expect(project.Properties.Source.BuildSpec).toContain('PRODUCTION_TARGET_GROUP');
    }
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
    const read = statements.filter((statement: any) => statement.Sid === 'ReadProductionListenerRule');
    expect(read).toHaveLength(2);
    expect(read.map((statement: any) => JSON.stringify(statement.Resource))).toEqual([
      expect.stringContaining('stack/orders-api-dev/*'),
      expect.stringContaining('stack/orders-api-production/*'),
    ]);
    expect(statements.filter((statement: any) => statement.Sid === 'ReadProductionWeights').map((statement: any) => [statement.Action, statement.Resource]))
      .toEqual([['elasticloadbalancing:DescribeRules', '*'], ['elasticloadbalancing:DescribeRules', '*']]);
  });
});
