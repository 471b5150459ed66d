import * as fs from 'fs';
import { synthService } from './helpers';
import { decisions, Json, Principal, synthesizeToolchain } from './iam-simulation';
import { accessStackTemplates, deriveExecutionPolicy, handlerPermissions, notIamActions, POLICY_FILE, resourceTypesOf, ssmParametersOf, TYPES_WITHOUT_HANDLERS } from '../scripts/bootstrap-execution-policy';
import { BOOTSTRAP_POLICY_FILE } from '../src/components/bootstrap-policy';

/** The production account's CDK bootstrap gets a scoped execution policy, not AdministratorAccess (issue 24.10). */

const committed = JSON.parse(fs.readFileSync(POLICY_FILE, 'utf-8'));
const templates = accessStackTemplates();
const policy: Principal = { identityPolicies: [{ name: 'bootstrap-execution-policy', policy: committed }] };
const STAGE_ACCOUNT = '222222222222';

describe('the bootstrap execution policy for a stage\'s own account', () => {
  it('is what the access stack and the registry schemas say today (regenerate: npx ts-node scripts/bootstrap-execution-policy.ts)', () => {
    expect(committed).toEqual(deriveExecutionPolicy());
  });

  it('allows every create, read, update and delete handler permission of every resource type the access stack contains', () => {
    const allowed = new Set<string>(committed.Statement[0].Action);
    const types = resourceTypesOf(templates);
    expect(types).toEqual(expect.arrayContaining(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::SNS::Topic', 'AWS::CodeBuild::Project', 'AWS::S3::Bucket']));
    const permissions = handlerPermissions(types);
    const missing = Object.entries(permissions).flatMap(([type, listed]) => listed.filter(permission => !allowed.has(permission)).map(permission => `${type}: ${permission}`));
    // Left out on purpose: schema entries that are no IAM action, which IAM would refuse in the policy.
    expect(notIamActions(permissions)).toEqual(['s3:REST.PUT.OBJECT']);
    expect(missing.filter(entry => !entry.endsWith(': s3:REST.PUT.OBJECT'))).toEqual([]);
    expect(permissions['AWS::SNS::Topic']).toContain('sns:CreateTopic');
  });

  it('takes the calls of a type whose schema lists no handlers from one reviewed list, and only for such types', () => {
    expect(Object.keys(TYPES_WITHOUT_HANDLERS)).toEqual(['AWS::CodeBuild::Project']);
    expect(handlerPermissions(['AWS::CodeBuild::Project'])).toEqual({ 'AWS::CodeBuild::Project': TYPES_WITHOUT_HANDLERS['AWS::CodeBuild::Project'] });
    expect(handlerPermissions(['AWS::SNS::Topic'])['AWS::SNS::Topic']).not.toEqual([]);
  });

  it('names in its parameter statement the CDK bootstrap version the stack checks and, for a platform stage, the platform\'s values', async () => {
    const parameters = ['arn:aws:ssm:*:*:parameter/cdk-bootstrap/hnb659fds/version', 'arn:aws:ssm:*:*:parameter/codestar-fargate/platforms/*'];
    expect(ssmParametersOf(templates)).toEqual(parameters);
    expect(committed.Statement[1]).toEqual({ Sid: 'StackParameters', Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: parameters });
    expect(await decisions(policy, [{ action: 'ssm:GetParameters', resource: `arn:aws:ssm:eu-central-1:${STAGE_ACCOUNT}:parameter/codestar-fargate/platforms/acme/production/vpc-id` }]))
      .toEqual([expect.stringMatching(/^Allowed/)]);
  });

  it('allows what the access stack creates, evaluated by an IAM policy simulator', async () => {
    const answers = await decisions(policy, [
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${STAGE_ACCOUNT}:role/orders-api-production-accssdeploymentrole` },
      { action: 'iam:CreatePolicy', resource: `arn:aws:iam::${STAGE_ACCOUNT}:policy/orders-api/production/orders-api-production-boundary` },
      { action: 'kms:CreateKey', resource: '*' },
      { action: 'sns:CreateTopic', resource: `arn:aws:sns:eu-west-1:${STAGE_ACCOUNT}:orders-api-production` },
      { action: 'codebuild:CreateProject', resource: `arn:aws:codebuild:eu-west-1:${STAGE_ACCOUNT}:project/orders-api-production-guard` },
    ]);
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('allows nothing of what a stack of another kind would create: no network, database, function, cluster or user', async () => {
    const answers = await decisions(policy, [
      { action: 'ec2:CreateVpc', resource: `arn:aws:ec2:eu-west-1:${STAGE_ACCOUNT}:vpc/vpc-0123456789abcdef0` },
      { action: 'ec2:RunInstances', resource: `arn:aws:ec2:eu-west-1:${STAGE_ACCOUNT}:instance/i-0123456789abcdef0` },
      { action: 'rds:CreateDBInstance', resource: `arn:aws:rds:eu-west-1:${STAGE_ACCOUNT}:db:orders` },
      { action: 'lambda:CreateFunction', resource: `arn:aws:lambda:eu-west-1:${STAGE_ACCOUNT}:function:anything` },
      { action: 'ecs:CreateCluster', resource: `arn:aws:ecs:eu-west-1:${STAGE_ACCOUNT}:cluster/anything` },
      { action: 'iam:CreateUser', resource: `arn:aws:iam::${STAGE_ACCOUNT}:user/backdoor` },
      { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${STAGE_ACCOUNT}:user/admin` },
    ]);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });
});

describe('who in the pipeline account can use the trust', () => {
  // The CDK bootstrap's deploy role in the stage's account, which trusts the whole pipeline account.
  const bootstrapRoles = ['deploy', 'file-publishing', 'cfn-exec'].map(role => `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-${role}-role-${STAGE_ACCOUNT}-eu-west-1`);
  const toolchain = synthesizeToolchain([], STAGE_ACCOUNT);
  const roles = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::IAM::Role');
  const policiesOf = (roleId: string): Array<{ name: string; policy: Json }> => [
    ...(toolchain[roleId].Properties.Policies ?? []).map((inline: Json) => ({ name: inline.PolicyName, policy: inline.PolicyDocument })),
    ...Object.entries(toolchain)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.includes(`role-${roleId.toLowerCase()}`))
      .map(([id, resource]) => ({ name: id, policy: resource.Properties.PolicyDocument })),
  ];

  it('is no role of the toolchain (not the builds dev commits run in, nor the pipeline\'s): none may assume the bootstrap roles', async () => {
    expect(roles.length).toBeGreaterThan(5);
    const answers = (await Promise.all(roles.map(async roleId => (await decisions({ identityPolicies: policiesOf(roleId) },
      bootstrapRoles.map(resource => ({ action: 'sts:AssumeRole', resource })))).map(answer => `${roleId} ${answer}`)))).flat();
    expect(answers.filter(answer => answer.includes('Allowed'))).toEqual([]);
  });

  it('would be any role allowed sts:AssumeRole on "*", as the simulator shows for such a role', async () => {
    const anyRole: Principal = { identityPolicies: [{ name: 'assume-anything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }] };
    expect(await decisions(anyRole, [{ action: 'sts:AssumeRole', resource: bootstrapRoles[0] }])).toEqual([expect.stringMatching(/^Allowed/)]);
  });
});

describe('a generated service with a stage in another account', () => {
  const network = { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetIds: ['subnet-0123456789abcdef2'] };

  it('gets the policy as a managed file, identical to the one this package derives', () => {
    const files = synthService({ stageOptions: [{ name: 'dev' }, { name: 'production', account: STAGE_ACCOUNT, region: 'eu-west-1', network }] });
    expect(files[BOOTSTRAP_POLICY_FILE]).toEqual(committed);
    expect(files['.projen/files.json'].files).toContain(BOOTSTRAP_POLICY_FILE);
  });

  it('gets no such file when every stage is in the toolchain\'s account', () => {
    expect(synthService()[BOOTSTRAP_POLICY_FILE]).toBeUndefined();
  });
});
