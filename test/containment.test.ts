import { runSimulation } from '@cloud-copilot/iam-simulate';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TemplateHandlers, topicOf } from './handler-calls';
import { ACCOUNT, ADMINISTRATOR_ACCESS, arn, boundaryArn, boundaryOf, boundedRoleOf, Call, decide, decisions, domainOf, ECS, ECS_TASKS, INFRASTRUCTURE_ROLE, Json, listenerRuleArn, policiesOfRole, Principal, REGION, roleArn, SERVICE, synthesizeToolchain, targetGroupTaggedFor, ZONE_ARN } from './iam-simulation';

/** Containment, proven by a policy evaluator rather than by reading policies (see iam-simulation.ts). */

const toolchain = synthesizeToolchain();

// Every handler call of every resource type, from the registry schemas: handler-permissions.test.ts proves each stage's
// own allowed and the other stage's denied; here they are the calls no other role may make.
const handlers = new TemplateHandlers(toolchain);
const templateCalls = async (stage: string) => (await handlers.stageCalls(stage)).calls.filter(call => !call.shared);
const deployRoleOf = (stage: string): Principal => ({ identityPolicies: policiesOfRole(toolchain, `PipelineStage${stage}DeploymentRole`) });
const productionTopic = topicOf('production');
/** Dev's tags requested on a resource that carries `stage`'s. */
const reTagged = (stage: string): Call['context'] => ({
  'aws:ResourceTag/service': SERVICE, 'aws:ResourceTag/stage': stage, 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': 'dev', 'aws:TagKeys': ['service', 'stage'],
});

describe('a stage\'s deploy role, evaluated by an IAM policy simulator', () => {
  it.each<[string, Call]>([
    ['create a role without the boundary', { action: 'iam:CreateRole', resource: roleArn('dev', 'Escape') }],
    ['create a role with production\'s boundary', { action: 'iam:CreateRole', resource: roleArn('dev', 'Escape'), context: { 'iam:PermissionsBoundary': boundaryArn('production') } }],
    ['create a role outside the stage\'s path', { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/Escape`, context: { 'iam:PermissionsBoundary': boundaryArn('dev') } }],
    ['attach AdministratorAccess to a role without the boundary', { action: 'iam:AttachRolePolicy', resource: roleArn('dev', 'TaskRole-AbC123'), context: { 'iam:PolicyARN': ADMINISTRATOR_ACCESS } }],
    ['remove a role\'s boundary', { action: 'iam:DeleteRolePermissionsBoundary', resource: roleArn('dev', 'TaskRole-AbC123'), context: { 'iam:PermissionsBoundary': boundaryArn('dev') } }],
    ['rewrite its own boundary', { action: 'iam:CreatePolicyVersion', resource: boundaryArn('dev') }],
    ['give production\'s task role an inline policy', { action: 'iam:PutRolePolicy', resource: roleArn('production', 'TaskRole-AbC123'), context: { 'iam:PermissionsBoundary': boundaryArn('production') } }],
    ['make production\'s task role trust another account', { action: 'iam:UpdateAssumeRolePolicy', resource: roleArn('production', 'TaskRole-AbC123'), context: { 'iam:PermissionsBoundary': boundaryArn('production') } }],
    ['run a dev task with production\'s task role', { action: 'iam:PassRole', resource: roleArn('production', 'TaskRole-AbC123'), context: { 'iam:PassedToService': ECS_TASKS } }],
    ['pass its infrastructure role to anything but ECS', { action: 'iam:PassRole', resource: roleArn('dev', INFRASTRUCTURE_ROLE), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } }],
    ['pass its task role to ECS as an infrastructure role', { action: 'iam:PassRole', resource: roleArn('dev', 'TaskRole-AbC123'), context: { 'iam:PassedToService': ECS } }],
    ['pass production\'s infrastructure role to ECS', { action: 'iam:PassRole', resource: roleArn('production', INFRASTRUCTURE_ROLE), context: { 'iam:PassedToService': ECS } }],
    ['move production\'s traffic by its listener rule', { action: 'elasticloadbalancing:ModifyRule', resource: listenerRuleArn('production') }],
    ['add a rule to production\'s listener', { action: 'elasticloadbalancing:CreateRule', resource: arn('elasticloadbalancing', `listener/app/${SERVICE}-production/50dc6c495c0c9188/f2f7dc8efc522ab2`) }],
    ['pass its own roles to Lambda', { action: 'iam:PassRole', resource: roleArn('dev', 'TaskRole-AbC123'), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } }],
    ['point dev\'s service at production\'s task definition', { action: 'ecs:UpdateService', resource: arn('ecs', `service/${SERVICE}-dev/${SERVICE}`), context: { 'ecs:task-definition': arn('ecs', `task-definition/${SERVICE}-production:3`) } }],
    ['deregister any task definition of the account', { action: 'ecs:DeregisterTaskDefinition', resource: '*' }],
    ['change production\'s scaling', { action: 'application-autoscaling:PutScalingPolicy', resource: arn('application-autoscaling', 'scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2e'), context: { 'aws:ResourceTag/service': SERVICE, 'aws:ResourceTag/stage': 'production' } }],
    ['silence production\'s error-rate alarm', { action: 'cloudwatch:PutMetricAlarm', resource: arn('cloudwatch', `alarm:${SERVICE}-production-error-rate`) }],
    ['delete production\'s CPU alarm', { action: 'cloudwatch:DeleteAlarms', resource: arn('cloudwatch', `alarm:${SERVICE}-production-cpu-high`) }],
    ['change an alarm of a service whose name starts like this stage\'s', { action: 'cloudwatch:PutMetricAlarm', resource: arn('cloudwatch', `alarm:${SERVICE}-dev-tools-dev-cpu-high`) }],
    ['create any other alarm', { action: 'cloudwatch:PutMetricAlarm', resource: arn('cloudwatch', `alarm:${SERVICE}-dev-bitcoin`) }],
    ['overwrite production\'s dashboard', { action: 'cloudwatch:PutDashboard', resource: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${SERVICE}-production` }],
    ['retarget production\'s deployment events', { action: 'events:PutTargets', resource: arn('events', `rule/${SERVICE}-production-deployment-events`) }],
    ['add a rule of its own to the event bus', { action: 'events:PutRule', resource: arn('events', `rule/${SERVICE}-dev-forward-everything`) }],
    ['point production\'s name in the zone at its own load balancer', {
      action: 'route53:ChangeResourceRecordSets',
      resource: ZONE_ARN,
      context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domainOf('production')], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'], 'route53:ChangeResourceRecordSetsActions': ['UPSERT'] },
    }],
    ['change its own record and production\'s in one batch', {
      action: 'route53:ChangeResourceRecordSets',
      resource: ZONE_ARN,
      context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domainOf('dev'), domainOf('production')], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'], 'route53:ChangeResourceRecordSetsActions': ['UPSERT'] },
    }],
    ['write a record of its own name in another zone', {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/Z9999999999OTHERZONE',
      context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domainOf('dev')], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'], 'route53:ChangeResourceRecordSetsActions': ['CREATE'] },
    }],
    ['add a mail (MX) record to its own name', {
      action: 'route53:ChangeResourceRecordSets',
      resource: ZONE_ARN,
      context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domainOf('dev')], 'route53:ChangeResourceRecordSetsRecordTypes': ['MX'], 'route53:ChangeResourceRecordSetsActions': ['CREATE'] },
    }],
    ['write the zone apex', {
      action: 'route53:ChangeResourceRecordSets',
      resource: ZONE_ARN,
      context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['example.com'], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'], 'route53:ChangeResourceRecordSetsActions': ['UPSERT'] },
    }],
    ['request a certificate for production\'s name', {
      action: 'acm:RequestCertificate',
      resource: '*',
      context: { 'acm:DomainNames': [domainOf('production')], 'acm:ValidationMethod': 'DNS', 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': 'dev' },
    }],
    ['request a wildcard certificate that would cover every stage', {
      action: 'acm:RequestCertificate',
      resource: '*',
      context: { 'acm:DomainNames': [domainOf('dev'), `*.${SERVICE}.example.com`], 'acm:ValidationMethod': 'DNS', 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': 'dev' },
    }],
    ['delete production\'s certificate', {
      action: 'acm:DeleteCertificate',
      resource: arn('acm', 'certificate/9f8e7d6c-5b4a-4321-8765-0fedcba98765'),
      context: { 'aws:ResourceTag/service': SERVICE, 'aws:ResourceTag/stage': 'production' },
    }],
    ['delete production\'s log group', { action: 'logs:DeleteLogGroup', resource: arn('logs', `log-group:/ecs/${SERVICE}/production/6f1c2b3a-0000-4000-8000-000000000000`) }],
    ['delete the log group release 1.0 created for production', { action: 'logs:DeleteLogGroup', resource: arn('logs', `log-group:/ecs/${SERVICE}/production`) }],
    ['change the retention of the log group release 1.0 created for production', { action: 'logs:PutRetentionPolicy', resource: arn('logs', `log-group:/ecs/${SERVICE}/production`) }],
    ['point its deployment events rule at production\'s topic', { action: 'events:PutTargets', resource: arn('events', `rule/${SERVICE}-dev-deployment-events`), context: { 'events:TargetArn': [productionTopic] } }],
    ['add production\'s topic to its rule beside its own', { action: 'events:PutTargets', resource: arn('events', `rule/${SERVICE}-dev-deployment-events`), context: { 'events:TargetArn': [topicOf('dev'), productionTopic] } }],
    ['make its error-rate alarm notify production\'s topic', { action: 'cloudwatch:PutMetricAlarm', resource: arn('cloudwatch', `alarm:${SERVICE}-dev-error-rate`), context: { 'cloudwatch:AlarmActions': [productionTopic] } }],
    ['make a target-tracking alarm of its service notify production\'s topic', {
      action: 'cloudwatch:PutMetricAlarm',
      resource: arn('cloudwatch', `alarm:TargetTracking-service/${SERVICE}-dev/${SERVICE}-AlarmHigh-1b2c3d4e`),
      context: { 'cloudwatch:AlarmActions': [productionTopic] },
    }],
    ['add stage=dev to production\'s target group', { action: 'elasticloadbalancing:AddTags', resource: arn('elasticloadbalancing', 'targetgroup/orders-TargetGr-1A2B3C/73e2d6bc24d8a067'), context: reTagged('production') }],
    ['add stage=dev to production\'s scalable target', { action: 'application-autoscaling:TagResource', resource: arn('application-autoscaling', 'scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2e'), context: reTagged('production') }],
    ['register production\'s scalable target again, tagged stage=dev', { action: 'application-autoscaling:RegisterScalableTarget', resource: arn('application-autoscaling', 'scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2e'), context: reTagged('production') }],
    ['add stage=dev to production\'s certificate', { action: 'acm:AddTagsToCertificate', resource: arn('acm', 'certificate/9f8e7d6c-5b4a-4321-8765-0fedcba98765'), context: reTagged('production') }],
  ])('may not %s (dev)', async (_what, call) => {
    expect(await decide(deployRoleOf('dev'), call)).not.toBe('Allowed');
  });

  // Evaluated, not skipped: iam-simulation.ts gives the simulator ELB V2's resource types for AddTags (see withElbV2Tagging).
  it('may tag a target group with its stage\'s tags only in the CreateTargetGroup call, or one already tagged for it', async () => {
    const targetGroup = arn('elasticloadbalancing', 'targetgroup/orders-TargetGr-1A2B3C/73e2d6bc24d8a067');
    const devTags = { 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': 'dev', 'aws:TagKeys': ['service', 'stage'] };
    expect(await decisions(deployRoleOf('dev'), [
      { action: 'elasticloadbalancing:AddTags', resource: targetGroup, context: { ...devTags, 'elasticloadbalancing:CreateAction': 'CreateTargetGroup' } },
      { action: 'elasticloadbalancing:AddTags', resource: targetGroup, context: { ...devTags, ...targetGroupTaggedFor('dev') } },
      // An existing group no stage has tagged: claiming it would put it under the "tagged for the stage" statements.
      { action: 'elasticloadbalancing:AddTags', resource: targetGroup, context: devTags },
      { action: 'elasticloadbalancing:AddTags', resource: targetGroup, context: { ...devTags, 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer' } },
    ])).toEqual([
      expect.stringMatching(/^Allowed/),
      expect.stringMatching(/^Allowed/),
      expect.stringMatching(/^ImplicitlyDenied/),
      expect.stringMatching(/^ImplicitlyDenied/),
    ]);
  });

  it('may attach a managed policy to a role only while the role keeps the boundary, which then caps it', async () => {
    expect(await decide(deployRoleOf('dev'), {
      action: 'iam:AttachRolePolicy',
      resource: roleArn('dev', 'TaskRole-AbC123'),
      context: { 'iam:PolicyARN': ADMINISTRATOR_ACCESS, 'iam:PermissionsBoundary': boundaryArn('dev') },
    })).toBe('Allowed');
  });
});

describe('a stage\'s permissions boundary, evaluated on a role given AdministratorAccess', () => {
  const administrator = { name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
  const boundedRole = (resources: Record<string, Json>, stage: string): Principal => ({
    identityPolicies: [administrator],
    permissionBoundaryPolicies: [{ name: 'boundary', policy: boundaryOf(resources, stage) }],
  });

  it('still lets the task pull its image and write its stage\'s logs', async () => {
    const answers = await decisions(boundedRole(toolchain, 'dev'), [
      { action: 'ecr:GetAuthorizationToken', resource: '*' },
      { action: 'ecr:BatchGetImage', resource: arn('ecr', `repository/${SERVICE}`) },
      { action: 'ecr:GetDownloadUrlForLayer', resource: arn('ecr', `repository/${SERVICE}`) },
      { action: 'logs:PutLogEvents', resource: arn('logs', `log-group:/ecs/${SERVICE}/dev/6f1c2b3a-0000-4000-8000-000000000000:log-stream:ecs/app/1`) },
      // A stage release 1.0 created keeps its log group's name (test/service-placement.test.ts).
      { action: 'logs:PutLogEvents', resource: arn('logs', `log-group:/ecs/${SERVICE}/dev:log-stream:ecs/app/1`) },
    ]);
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('lets ECS, with the infrastructure role, move the stage\'s own traffic and register tasks in its own target groups', async () => {
    const answers = await decisions(boundedRole(toolchain, 'dev'), [
      { action: 'elasticloadbalancing:DescribeRules', resource: '*' },
      { action: 'elasticloadbalancing:DescribeTargetHealth', resource: '*' },
      { action: 'elasticloadbalancing:ModifyRule', resource: listenerRuleArn('dev') },
      { action: 'elasticloadbalancing:ModifyListener', resource: arn('elasticloadbalancing', `listener/app/${SERVICE}-dev/50dc6c495c0c9188/f2f7dc8efc522ab2`) },
      { action: 'elasticloadbalancing:RegisterTargets', resource: arn('elasticloadbalancing', 'targetgroup/orders-Altern-1A2B3C/73e2d6bc24d8a067'), context: targetGroupTaggedFor('dev') },
      { action: 'elasticloadbalancing:DeregisterTargets', resource: arn('elasticloadbalancing', 'targetgroup/orders-Target-4D5E6F/83e2d6bc24d8a067'), context: targetGroupTaggedFor('dev') },
    ]);
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('keeps ECS, with the infrastructure role, off other stages\' listeners, rules and target groups', async () => {
    const answers = await decisions(boundedRole(toolchain, 'dev'), [
      { action: 'elasticloadbalancing:ModifyRule', resource: listenerRuleArn('production') },
      { action: 'elasticloadbalancing:ModifyListener', resource: arn('elasticloadbalancing', `listener/app/${SERVICE}-production/50dc6c495c0c9188/f2f7dc8efc522ab2`) },
      { action: 'elasticloadbalancing:RegisterTargets', resource: arn('elasticloadbalancing', 'targetgroup/orders-Altern-1A2B3C/73e2d6bc24d8a067'), context: targetGroupTaggedFor('production') },
      { action: 'elasticloadbalancing:DeleteLoadBalancer', resource: arn('elasticloadbalancing', `loadbalancer/app/${SERVICE}-dev/50dc6c495c0c9188`) },
    ]);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });

  it('denies IAM, STS, other stages\' logs, other repositories and anything not added', async () => {
    const answers = await decisions(boundedRole(toolchain, 'dev'), [
      { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/intruder` },
      { action: 'iam:PassRole', resource: roleArn('production', 'TaskRole-AbC123') },
      { action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole` },
      { action: 'logs:PutLogEvents', resource: arn('logs', `log-group:/ecs/${SERVICE}/production/6f1c2b3a-0000-4000-8000-000000000000:log-stream:ecs/app/1`) },
      { action: 'ecr:BatchGetImage', resource: arn('ecr', 'repository/payments-api') },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/report.csv' },
      { action: 'ecs:UpdateService', resource: arn('ecs', `service/${SERVICE}-production/${SERVICE}`) },
    ]);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });

  it('allows what taskPermissions add, and never IAM even when they try', async () => {
    const withReports = synthesizeToolchain([new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::orders-reports/*'] })]);
    expect(await decide(boundedRole(withReports, 'production'), { action: 's3:GetObject', resource: 'arn:aws:s3:::orders-reports/2026/11.csv' })).toBe('Allowed');
    expect(() => synthesizeToolchain([new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: ['*'] })]))
      .toThrow('taskPermissions ["iam:PassRole"] is not allowed: a task may be given Allow statements with actions of any service but iam and sts');
    expect(() => synthesizeToolchain([new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })]))
      .toThrow('taskPermissions ["*"] is not allowed');
  });
});

describe('a stage\'s secrets, evaluated on its boundary over a role given AdministratorAccess', () => {
  const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const withSecrets = synthesizeToolchain([], undefined, {
    dev: { DB_PASSWORD: { secretsManager: 'orders/dev/db', jsonKey: 'password', kmsKeyArn: KEY }, API_KEY: { ssmParameter: '/orders/dev/api-key' } },
    production: { DB_PASSWORD: { secretsManager: 'orders/production/db' } },
  });
  const devTask: Principal = {
    identityPolicies: [{ name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    permissionBoundaryPolicies: [{ name: 'boundary', policy: boundaryOf(withSecrets, 'dev') }],
  };
  const secret = (name: string) => arn('secretsmanager', `secret:${name}`);
  // KMS needs its key's policy too: the default one leaves the decision to IAM (and so to the boundary).
  const keyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
  const devTaskWithKey: Principal = { ...devTask, resourcePolicy: keyPolicy };

  it('lets the stage\'s execution role read its own secret and parameter, and decrypt with the named key through Secrets Manager', async () => {
    const answers = await decisions(devTask, [
      { action: 'secretsmanager:GetSecretValue', resource: secret('orders/dev/db-AbCdEf') },
      { action: 'ssm:GetParameters', resource: arn('ssm', 'parameter/orders/dev/api-key') },
    ]);
    answers.push(...await decisions(devTaskWithKey, [
      { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } },
    ]));
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('refuses another stage\'s secret, a secret no stage names, a longer name, and the key used directly', async () => {
    const answers = await decisions(devTask, [
      { action: 'secretsmanager:GetSecretValue', resource: secret('orders/production/db-XyZ123') },
      { action: 'secretsmanager:GetSecretValue', resource: secret('orders/other-AbCdEf') },
      { action: 'secretsmanager:GetSecretValue', resource: secret('orders/dev/db-admin-AbCdEf') },
      { action: 'ssm:GetParameters', resource: arn('ssm', 'parameter/orders/production/api-key') },
    ]);
    answers.push(...await decisions(devTaskWithKey, [
      { action: 'kms:Decrypt', resource: KEY },
      { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
      { action: 'kms:Decrypt', resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-12ab-34cd-56ef-1234567890ab`, context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } },
    ]));
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });

  it('gives production\'s boundary its own secret only', async () => {
    const productionTask: Principal = { ...devTask, permissionBoundaryPolicies: [{ name: 'boundary', policy: boundaryOf(withSecrets, 'production') }] };
    expect(await decide(productionTask, { action: 'secretsmanager:GetSecretValue', resource: secret('orders/production/db-XyZ123') })).toBe('Allowed');
    expect(await decide(productionTask, { action: 'secretsmanager:GetSecretValue', resource: secret('orders/dev/db-AbCdEf') })).toBe('ImplicitlyDenied');
  });

  it('lets a stage without secrets read none', async () => {
    expect(await decide(boundedRoleOf(toolchain, 'dev'), { action: 'secretsmanager:GetSecretValue', resource: secret('orders/dev/db-AbCdEf') })).toBe('ImplicitlyDenied');
  });
});


describe('the build and the stage guard, evaluated with the artifact bucket\'s policy', () => {
  const [bucketId] = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::S3::Bucket' && id.includes('Artifacts'));
  const bucket = `arn:aws:s3:::${bucketId.toLowerCase()}`;
  const [bucketPolicy] = Object.values(toolchain).filter(resource => resource.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(resource.Properties.Bucket).includes(bucketId.toLowerCase()));
  const buildRole = (): Principal => ({ identityPolicies: policiesOfRole(toolchain, 'PipelineBuildRole'), resourcePolicy: bucketPolicy?.Properties.PolicyDocument });
  const artifactAwaitingApproval = `${bucket}/${SERVICE}/Source/Ab3dEf9`;

  it('lets a build read its source and push its own image', async () => {
    const answers = await decisions(buildRole(), [
      { action: 's3:GetObject', resource: artifactAwaitingApproval, context: { 'aws:SecureTransport': 'true' } },
      { action: 'ecr:PutImage', resource: arn('ecr', `repository/${SERVICE}`) },
    ]);
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('lets no build change or delete an artifact that waits for approval', async () => {
    const answers = await decisions(buildRole(), [
      { action: 's3:PutObject', resource: artifactAwaitingApproval, context: { 'aws:SecureTransport': 'true' } },
      { action: 's3:DeleteObject', resource: artifactAwaitingApproval, context: { 'aws:SecureTransport': 'true' } },
      { action: 's3:DeleteObjectVersion', resource: artifactAwaitingApproval, context: { 'aws:SecureTransport': 'true' } },
    ]);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });

  it('lets a stage\'s guard delete its own stage\'s stack only, with that stage\'s deploy role', async () => {
    const guard = (stage: string): Principal => ({ identityPolicies: policiesOfRole(toolchain, `PipelineStage${stage}GuardRole`) });
    const stack = (stage: string) => arn('cloudformation', `stack/${SERVICE}-${stage}/5e0b0a40-0000-4000-8000-000000000000`);
    expect(await decide(guard('dev'), { action: 'cloudformation:DeleteStack', resource: stack('dev') })).toBe('Allowed');
    expect(await decide(guard('dev'), { action: 'cloudformation:DeleteStack', resource: stack('production') })).not.toBe('Allowed');
    expect(await decide(guard('dev'), { action: 'cloudformation:CreateStack', resource: stack('dev') })).not.toBe('Allowed');
    expect(await decide(guard('dev'), { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/${Object.keys(toolchain).find(id => id.startsWith('PipelineStageproductionDeploymentRole'))}`, context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } })).not.toBe('Allowed');
  });

  it('lets a stage\'s guard give release 1.0\'s untagged scalable target its own stage\'s tags, and no other target or tag', async () => {
    const guard: Principal = { identityPolicies: policiesOfRole(toolchain, 'PipelineStagedevGuardRole') };
    const target = arn('application-autoscaling', 'scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2e');
    const tagging = (tags: Record<string, string>, existing: Record<string, string> = {}) => ({
      action: 'application-autoscaling:TagResource',
      resource: target,
      context: {
        ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
        ...Object.fromEntries(Object.entries(existing).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
        'aws:TagKeys': Object.keys(tags),
      },
    });
    expect(await decide(guard, tagging({ service: SERVICE, stage: 'dev' }, { service: SERVICE }))).toBe('Allowed');
    expect(await decide(guard, tagging({ service: SERVICE, stage: 'dev' }, { service: SERVICE, stage: 'production' }))).not.toBe('Allowed');
    expect(await decide(guard, tagging({ service: SERVICE, stage: 'production' }))).not.toBe('Allowed');
    expect(await decide(guard, tagging({ service: SERVICE, stage: 'dev', owner: 'someone' }))).not.toBe('Allowed');
    expect(await decide(guard, { action: 'application-autoscaling:RegisterScalableTarget', resource: target, context: { 'aws:ResourceTag/service': SERVICE } })).not.toBe('Allowed');
  });
});

describe('production in another account, evaluated across accounts', () => {
  const PRODUCTION_ACCOUNT = '222222222222';
  const crossAccount = synthesizeToolchain([], PRODUCTION_ACCOUNT);
  const [repository] = Object.values(crossAccount).filter(resource => resource.Type === 'AWS::ECR::Repository');
  const repositoryArn = arn('ecr', `repository/${SERVICE}`);
  // What template.yml's execution role may pull: the repository named in ImageUri, here the toolchain's.
  const executionRolePolicy = { name: 'PullImage', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: repositoryArn }] } };
  const pull = (principal: string) => runSimulation({
    request: { principal, action: 'ecr:BatchGetImage', resource: { resource: repositoryArn, accountId: ACCOUNT }, contextVariables: { 'aws:PrincipalArn': principal } },
    identityPolicies: [executionRolePolicy],
    resourcePolicy: repository.Properties.RepositoryPolicyText,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {}).then((result: any) => result.result?.analysis?.result ?? JSON.stringify(result.errors));

  it('lets production\'s own roles in its account pull the image from the toolchain\'s repository', async () => {
    expect(await pull(`arn:aws:iam::${PRODUCTION_ACCOUNT}:role/${SERVICE}/production/TaskExecutionRole-XyZ789`)).toBe('Allowed');
  });

  it('lets no other role of that account, and no other account, pull it', async () => {
    expect(await pull(`arn:aws:iam::${PRODUCTION_ACCOUNT}:role/Intruder`)).not.toBe('Allowed');
    expect(await pull(`arn:aws:iam::${PRODUCTION_ACCOUNT}:role/${SERVICE}/dev/TaskExecutionRole-XyZ789`)).not.toBe('Allowed');
    expect(await pull(`arn:aws:iam::333333333333:role/${SERVICE}/production/TaskExecutionRole-XyZ789`)).not.toBe('Allowed');
  });
});

describe('a stage\'s notification topic, evaluated with its topic policy', () => {
  const topicPolicyOf = (stage: string) => {
    const [topicId] = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::SNS::Topic' && toolchain[id].Properties.TopicName === `${SERVICE}-${stage}`);
    const [topicPolicy] = Object.values(toolchain).filter(resource => resource.Type === 'AWS::SNS::TopicPolicy' && resource.Properties.Topics.includes(`topic-${topicId.toLowerCase()}`));
    // Ref of a topic is its ARN; the resolver above names it by logical id.
    return JSON.parse(JSON.stringify(topicPolicy.Properties.PolicyDocument).split(`topic-${topicId.toLowerCase()}`).join(topicOf(stage)));
  };
  const publish = (stage: string, principal: string, context: Record<string, string>) => runSimulation({
    request: { principal, action: 'sns:Publish', resource: { resource: topicOf(stage), accountId: ACCOUNT }, contextVariables: { 'aws:SecureTransport': 'true', ...context } },
    identityPolicies: [],
    resourcePolicy: topicPolicyOf(stage),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {}).then((result: any) => result.result?.analysis?.result ?? JSON.stringify(result.errors));
  const fromAlarm = (stage: string, what: string) => ({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('cloudwatch', `alarm:${SERVICE}-${stage}-${what}`) });
  const fromRule = (name: string) => ({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('events', `rule/${name}`) });
  // The pipeline's rule for a stage's deploys; its name is generated, and the resolver names it by logical id.
  const pipelineRuleOf = (stage: string) => Object.keys(toolchain).find(id => toolchain[id].Type === 'AWS::Events::Rule' && JSON.stringify(toolchain[id].Properties.EventPattern?.detail?.stage) === JSON.stringify([stage]))!;

  it.each(['dev', 'production'])('lets %s\'s own alarms, deployment events rule, pipeline rule and CodeStar notification rules publish', async (stage) => {
    const answers = [
      ...await Promise.all(['error-rate', 'p99-latency', 'unhealthy-targets', 'cpu-high', 'memory-high'].map(what => publish(stage, 'cloudwatch.amazonaws.com', fromAlarm(stage, what)))),
      await publish(stage, 'events.amazonaws.com', fromRule(`${SERVICE}-${stage}-deployment-events`)),
      await publish(stage, 'events.amazonaws.com', fromRule(pipelineRuleOf(stage))),
      await publish(stage, 'codestar-notifications.amazonaws.com', { 'aws:SourceAccount': ACCOUNT }),
    ];
    expect(answers).toEqual(Array(8).fill('Allowed'));
  });

  it('refuses production\'s topic to dev\'s alarms and rules, and to any other alarm or rule of the account', async () => {
    const answers = [
      await publish('production', 'cloudwatch.amazonaws.com', fromAlarm('dev', 'error-rate')),
      await publish('production', 'events.amazonaws.com', fromRule(`${SERVICE}-dev-deployment-events`)),
      await publish('production', 'events.amazonaws.com', fromRule(pipelineRuleOf('dev'))),
      await publish('production', 'cloudwatch.amazonaws.com', fromAlarm('dev-tools', 'production-error-rate')),
      await publish('production', 'cloudwatch.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('cloudwatch', `alarm:TargetTracking-service/${SERVICE}-dev/${SERVICE}-AlarmHigh-1b2c3d4e`) }),
      await publish('production', 'events.amazonaws.com', fromRule(`${SERVICE}-dev-forward-everything`)),
    ];
    expect(answers.filter(answer => answer === 'Allowed')).toEqual([]);
  });

  it('lets the same services publish for no other account, and no other service or role publish at all', async () => {
    expect(await publish('dev', 'cloudwatch.amazonaws.com', { 'aws:SourceAccount': '333333333333', 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:333333333333:alarm:${SERVICE}-dev-error-rate` })).not.toBe('Allowed');
    expect(await publish('dev', 'events.amazonaws.com', { 'aws:SourceAccount': '333333333333', 'aws:SourceArn': `arn:aws:events:${REGION}:333333333333:rule/${SERVICE}-dev-deployment-events` })).not.toBe('Allowed');
    expect(await publish('dev', 'codestar-notifications.amazonaws.com', { 'aws:SourceAccount': '333333333333' })).not.toBe('Allowed');
    expect(await publish('dev', 's3.amazonaws.com', { 'aws:SourceAccount': ACCOUNT })).not.toBe('Allowed');
    expect(await publish('dev', 'arn:aws:iam::333333333333:role/Intruder', {})).not.toBe('Allowed');
  });

  it('refuses a publish without TLS even from an allowed service', async () => {
    expect(await publish('dev', 'cloudwatch.amazonaws.com', { ...fromAlarm('dev', 'error-rate'), 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
  });
});

describe('the smoke test\'s role, which runs a script from any commit', () => {
  const smokeTest = (): Principal => ({ identityPolicies: policiesOfRole(toolchain, 'PipelineSmokeTestRole') });

  it('may touch nothing of a stage, the image repository, the topics or the artifacts waiting for approval', async () => {
    const [bucketId] = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::S3::Bucket' && id.includes('Artifacts'));
    const answers = await decisions(smokeTest(), [
      ...await templateCalls('dev'),
      ...await templateCalls('production'),
      { action: 'cloudformation:DescribeStacks', resource: arn('cloudformation', `stack/${SERVICE}-dev/5e0b0a40-0000-4000-8000-000000000000`) },
      { action: 'ecr:PutImage', resource: arn('ecr', `repository/${SERVICE}`) },
      { action: 'sns:Publish', resource: arn('sns', `${SERVICE}-production`) },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${bucketId.toLowerCase()}/${SERVICE}/Source/Ab3dEf9` },
    ]);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });
});

describe('a stage\'s deploy role, as IAM stores it', () => {
  // IAM quotas: a role's inline policies 10,240 characters in all, a managed policy 6,144, 10 managed policies a role.
  const noWhiteSpace = (policy: Json) => JSON.stringify(policy).replace(/\s/g, '').length;
  it.each(['dev', 'production'])('fits the %s role\'s policies in IAM\'s size limits, as CloudFormation would create them', (stage) => {
    const [roleId] = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::IAM::Role' && id.startsWith(`PipelineStage${stage}DeploymentRole`));
    const inline = (toolchain[roleId].Properties.Policies ?? []).reduce((sum: number, policy: Json) => sum + noWhiteSpace(policy.PolicyDocument), 0);
    const managed = Object.values(toolchain).filter((resource: Json) => resource.Type === 'AWS::IAM::ManagedPolicy' && (resource.Properties.Roles ?? []).includes(`role-${roleId.toLowerCase()}`));
    expect(inline).toBeLessThanOrEqual(10240);
    expect(managed.length).toBeGreaterThan(0);
    expect(managed.length).toBeLessThanOrEqual(10);
    expect(managed.map((policy: Json) => noWhiteSpace(policy.Properties.PolicyDocument)).filter(size => size > 6144)).toEqual([]);
  });
});
