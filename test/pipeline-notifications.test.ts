import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { TemplateParameter } from '../src/contract';

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

function synth(props: Partial<CodeStarFargatePipelineProps> = {}) {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'notifications-test-')) });
  const stack = new Stack(app, 'Toolchain');
  const construct = new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api' }),
    ...props,
  });
  return { app, stack, construct, template: Template.fromStack(stack) };
}

function stageActions(template: Template, stageName: string): any[] {
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  return pipeline.Properties.Stages.find((stage: any) => stage.Name === stageName).Actions;
}

function logicalIdOf(stack: Stack, token: string): string {
  return stack.resolve(token).Ref ?? stack.resolve(token)['Fn::GetAtt'][0];
}

const ACCOUNT_CONDITION = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } };

describe('stage notifications', () => {
  const { stack, construct, template } = synth({
    notificationEmails: ['team@example.com'],
    stages: [{ name: 'dev' }, { name: 'production', notificationEmails: ['oncall@example.com', 'team@example.com'] }],
  });
  const topicId = (stage: string) => logicalIdOf(stack, construct.notificationTopicOf(stage).topicArn);

  it('creates a topic per stage named after its stack, encrypted with a rotated key of its own', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    expect(Object.values(topics).map(topic => topic.Properties.TopicName).sort()).toEqual(['orders-api-dev', 'orders-api-production']);
    const keyIds = Object.values(topics).map(topic => topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0]);
    expect(new Set(keyIds).size).toBe(2);
    for (const keyId of keyIds) {
      expect(template.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    }
  });

  it('lets exactly CloudWatch, EventBridge and CodeStar Notifications use the topic\'s key, besides the account', () => {
    const key = template.toJSON().Resources[template.toJSON().Resources[topicId('dev')].Properties.KmsMasterKeyId['Fn::GetAtt'][0]];
    const services = key.Properties.KeyPolicy.Statement.filter((statement: any) => statement.Principal.Service);
    expect(services).toEqual([{
      Sid: 'PublishersEncryptNotifications',
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'codestar-notifications.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    }]);
  });

  it('lets only those three services publish, only from this account and the stage\'s own alarms and rules, and only over TLS', () => {
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy')).find(found => found.Properties.Topics[0].Ref === topicId('dev'))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    const allows = statements.filter((statement: any) => statement.Effect === 'Allow');
    const regional = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${resource.split(':')[0]}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource.slice(resource.indexOf(':') + 1)}`]] });
    const [pipelineRule] = Object.entries(template.findResources('AWS::Events::Rule')).find(([, rule]) => JSON.stringify(rule.Properties.EventPattern.detail?.stage) === '["dev"]')!;
    const alarms = ['error-rate', 'p99-latency', 'unhealthy-targets', 'cpu-high', 'memory-high', 'tasks-not-starting'].map(what => regional(`cloudwatch:alarm:orders-api-dev-${what}`));
    expect(allows.map((statement: any) => [statement.Principal, statement.Action, statement.Condition])).toEqual([
      [{ Service: 'cloudwatch.amazonaws.com' }, 'sns:Publish', { ...ACCOUNT_CONDITION, ArnEquals: { 'aws:SourceArn': alarms } }],
      [{ Service: 'events.amazonaws.com' }, 'sns:Publish', { ...ACCOUNT_CONDITION, ArnEquals: { 'aws:SourceArn': [regional('events:rule/orders-api-dev-deployment-events')] } }],
      [{ Service: 'codestar-notifications.amazonaws.com' }, 'sns:Publish', ACCOUNT_CONDITION],
      [{ Service: 'events.amazonaws.com' }, 'sns:Publish', { ...ACCOUNT_CONDITION, ArnEquals: { 'aws:SourceArn': [{ 'Fn::GetAtt': [pipelineRule, 'Arn'] }] } }],
    ]);
    expect(allows.every((statement: any) => statement.Resource.Ref === topicId('dev'))).toBe(true);
    const denies = statements.filter((statement: any) => statement.Effect === 'Deny');
    expect(denies).toEqual([expect.objectContaining({ Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  });

  it('subscribes the pipeline\'s emails to every stage and a stage\'s own emails to that stage, each once', () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription'))
      .map(subscription => `${subscription.Properties.TopicArn.Ref === topicId('dev') ? 'dev' : 'production'} ${subscription.Properties.Protocol} ${subscription.Properties.Endpoint}`);
    expect(subscriptions.sort()).toEqual(['dev email team@example.com', 'production email oncall@example.com', 'production email team@example.com']);
  });

  it('passes each stage\'s topic to its template as NotificationTopicArn', () => {
    const deploy = stageActions(template, 'production').find(action => action.Name === 'Deploy');
    const parts = deploy.Configuration.ParameterOverrides['Fn::Join'][1];
    const topicPart = parts.findIndex((part: any) => part.Ref === topicId('production'));
    expect(parts[topicPart - 1]).toMatch(new RegExp(`"${TemplateParameter.NOTIFICATION_TOPIC_ARN}":"$`));
  });

  it('tells the stage\'s topic when its approval waits', () => {
    const approve = stageActions(template, 'production').find(action => action.Name === 'Approve');
    expect(approve.Configuration.NotificationArn).toEqual({ Ref: topicId('production') });
  });

  it('tells only the team\'s (first) stage\'s topic of a failed pipeline run, such as a failed unit test, through a CodeStar Notifications rule', () => {
    const rules = Object.values(template.findResources('AWS::CodeStarNotifications::NotificationRule')).map(rule => rule.Properties);
    expect(rules.map(rule => [rule.EventTypeIds, rule.Targets])).toEqual([
      [['codepipeline-pipeline-pipeline-execution-failed'], [{ TargetType: 'SNS', TargetAddress: { Ref: topicId('dev') } }]],
    ]);
    expect(rules.every(rule => rule.DetailType === 'FULL')).toBe(true);
  });

  it('tells only a stage\'s own topic when its deploy succeeds or fails', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map(rule => rule.Properties);
    expect(rules.map(rule => [rule.EventPattern['detail-type'], rule.EventPattern.detail, rule.Targets[0].Arn])).toEqual([
      [['CodePipeline Stage Execution State Change'], { stage: ['dev'], state: ['SUCCEEDED', 'FAILED'] }, { Ref: topicId('dev') }],
      [['CodePipeline Stage Execution State Change'], { stage: ['production'], state: ['SUCCEEDED', 'FAILED'] }, { Ref: topicId('production') }],
    ]);
    expect(rules[1].Targets[0].InputTransformer.InputTemplate).toContain('orders-api production: the deploy <detail-state>');
  });

  it.each([
    ['a value that is no email', { notificationEmails: ['team'] }, 'notificationEmails[0] "team" is not allowed: it must be an email address such as "team@example.com"'],
    ['a string instead of a list', { notificationEmails: 'team@example.com' as any }, 'notificationEmails "team@example.com" is not allowed: give a list of email addresses'],
    ['a stage\'s address with a space', { stages: [{ name: 'dev', notificationEmails: ['a b@example.com'] }] }, 'stages[0].notificationEmails[0] "a b@example.com" is not allowed'],
  ])('refuses %s, naming the option and the value', (_what, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('the smoke test', () => {
  const { stack, template } = synth({ healthCheckPath: '/status' });

  it('runs after each stage\'s deploy and after the image is recorded, against the URL the stack outputs', () => {
    const actions = stageActions(template, 'dev').sort((a, b) => a.RunOrder - b.RunOrder);
    expect(actions.map(action => action.Name)).toEqual(['Prepare', 'Deploy', 'RecordImage', 'SmokeTest']);
    expect(actions[1].Namespace).toBe('Deploy-orders-api-dev');
    const variables = JSON.parse(actions[3].Configuration.EnvironmentVariables);
    expect(variables).toEqual([{ name: 'SERVICE_URL', type: 'PLAINTEXT', value: '#{Deploy-orders-api-dev.LoadBalancerUrl}' }]);
    expect(actions[3].InputArtifacts).toEqual([{ Name: 'Source' }]);
  });

  it('runs smoke-test.sh from the source with the health path, from a buildspec the source cannot change', () => {
    const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find(found => /smoke-test\.sh/.test(found.Properties.Description))!;
    expect(project.Properties.Environment.EnvironmentVariables).toEqual([{ Name: 'HEALTH_CHECK_PATH', Type: 'PLAINTEXT', Value: '/status' }]);
    expect(project.Properties.Source.BuildSpec).toContain('bash smoke-test.sh \\"$SERVICE_URL\\"');
    expect(stack.resolve(project.Properties.TimeoutInMinutes)).toBe(10);
  });

  it('fails with a clear message when the source has no smoke-test.sh', () => {
    const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find(found => /smoke-test\.sh/.test(found.Properties.Description))!;
    const commands: string[] = JSON.parse(project.Properties.Source.BuildSpec).phases.build.commands;
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-'));
    const result = spawnSync('bash', ['-c', commands.join('\n')], { cwd: empty, encoding: 'utf-8', env: { ...process.env, SERVICE_URL: 'http://127.0.0.1:9' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('smoke-test.sh is missing from the source: the pipeline runs it after each stage\'s deploy');
  });

  it('has a role that may only write its logs and read the pipeline\'s artifacts', () => {
    const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find(found => /smoke-test\.sh/.test(found.Properties.Description))!;
    const roleId = project.Properties.ServiceRole['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter(policy => policy.Properties.Roles.some((role: any) => role.Ref === roleId));
    const actions = policies.flatMap(policy => policy.Properties.PolicyDocument.Statement.flatMap((statement: any) => [statement.Action].flat()));
    const allowed = /^(logs:(CreateLogGroup|CreateLogStream|PutLogEvents)|codebuild:(CreateReportGroup|CreateReport|UpdateReport|BatchPutTestCases|BatchPutCodeCoverages)|s3:(GetObject\*|GetBucket\*|List\*)|kms:(Decrypt|DescribeKey|Encrypt|ReEncrypt\*|GenerateDataKey\*))$/;
    expect(actions.filter(action => !allowed.test(action))).toEqual([]);
  });

  it('is left out when smokeTest is false', () => {
    const actions = stageActions(synth({ smokeTest: false }).template, 'dev');
    expect(actions.map(action => action.Name)).not.toContain('SmokeTest');
  });

  it.each([
    ['a health path without a leading slash', { healthCheckPath: 'health' }, 'healthCheckPath "health" is not allowed: it must start with "/"'],
    ['a smokeTest that is not a boolean', { smokeTest: 'yes' as any }, 'smokeTest "yes" is not allowed: it must be true or false.'],
  ])('refuses %s', (_what, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('notifications of a stage in another account and region', () => {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'notifications-test-')),
    context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  });
  const stack = new Stack(app, 'orders-api-toolchain', { env: { account: '111111111111', region: 'eu-west-1' } });
  new CodeStarFargatePipeline(stack, 'Pipeline', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api' }),
    notificationEmails: ['team@example.com'],
    stages: [{ name: 'dev' }, {
      name: 'production',
      account: '222222222222',
      region: 'us-east-1',
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'ProductionVpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], publicSubnetIds: ['subnet-a', 'subnet-b'], privateSubnetIds: ['subnet-c', 'subnet-d'] }),
    }],
  });
  const toolchain = Template.fromStack(stack);
  const access = Template.fromStack(app.node.findChild('orders-api-production-access') as Stack);

  it('puts the stage\'s topic, which its alarms publish to, in the stage\'s own account and region, with the subscriptions', () => {
    access.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'orders-api-production' });
    access.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'team@example.com' });
    const deploy = stageActions(toolchain, 'production').find(action => action.Name === 'Deploy');
    expect(JSON.stringify(deploy.Configuration.ParameterOverrides)).toContain(':sns:us-east-1:222222222222:orders-api-production');
  });

  it('tells a twin topic in the pipeline\'s region of the stage\'s pipeline events, with the same subscriptions', () => {
    toolchain.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'orders-api-production-pipeline' });
    const twin = Object.entries(toolchain.findResources('AWS::SNS::Topic')).find(([, topic]) => topic.Properties.TopicName === 'orders-api-production-pipeline')![0];
    toolchain.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: twin }, Endpoint: 'team@example.com' });
    expect(stageActions(toolchain, 'production').find(action => action.Name === 'Approve').Configuration.NotificationArn).toEqual({ Ref: twin });
  });

  it('lets no alarm or stage rule publish to the twin topic, which only the pipeline\'s rules and notifications use', () => {
    const twin = Object.entries(toolchain.findResources('AWS::SNS::Topic')).find(([, topic]) => topic.Properties.TopicName === 'orders-api-production-pipeline')![0];
    const policy = Object.values(toolchain.findResources('AWS::SNS::TopicPolicy')).find(found => found.Properties.Topics[0].Ref === twin)!;
    const publishers = policy.Properties.PolicyDocument.Statement.filter((statement: any) => statement.Effect === 'Allow').map((statement: any) => statement.Sid);
    expect(publishers).toEqual(['PublishCodeStarNotifications', 'PublishPipelineRule']);
  });
});
