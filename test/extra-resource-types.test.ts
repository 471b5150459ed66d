import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { serviceOptions, synthService } from './helpers';
import { ACCOUNT, arn, boundaryOf, decide, decisions, Json, policiesOfRole, Principal, REGION, SERVICE, synthesizeToolchain } from './iam-simulation';
import { GENERATED_TABLE, renderExtraResourceTable } from '../scripts/extra-resource-types';
import { registrySchemas } from '../scripts/registry-schemas';
import { CodeStarFargatePipeline, CodeStarFargateProject, PipelineSource } from '../src';
import { EXTRA_RESOURCE_TYPES } from '../src/extra-resource-types';

const EXTRA = ['AWS::DynamoDB::Table'];
const ALLOWED = 'extraResourceTypes takes AWS::DynamoDB::Table (docs/security.md)';

describe('the table of extra resource types\' deploy permissions (src/extra-resource-types.generated.ts)', () => {
  it('is what scripts/extra-resource-types.ts derives from the registry schemas cfn-lint ships', () => {
    expect(fs.readFileSync(GENERATED_TABLE, 'utf-8')).toBe(renderExtraResourceTable());
  });

  it('refuses only handler permissions the schemas list', () => {
    const schemaOf = registrySchemas('us-east-1');
    for (const [type, extra] of Object.entries(EXTRA_RESOURCE_TYPES)) {
      const listed = new Set(Object.values<Json>(schemaOf(type)!.handlers).flatMap(handler => handler.permissions as string[]));
      expect(Object.keys(extra.refusedPermissions).filter(permission => !listed.has(permission))).toEqual([]);
      expect(Object.keys(extra.refusedServices).filter(service => ![...listed].some(permission => permission.startsWith(`${service}:`)))).toEqual([]);
    }
  });
});

describe('extraResourceTypes, the project option', () => {
  it.each<[string, unknown, string]>([
    ['a role', ['AWS::IAM::Role'], 'extraResourceTypes "AWS::IAM::Role" is not allowed: a stage\'s deploy role never manages it (a role outside the stage\'s path and boundary could escalate; template.yml\'s own roles are already granted); '],
    ['a policy', ['AWS::IAM::Policy'], 'extraResourceTypes "AWS::IAM::Policy" is not allowed: a stage\'s deploy role never manages it (it could give the stage\'s roles any permission); '],
    ['a queue, which a commit could make any queue its dead-letter queue', ['AWS::SQS::Queue'], 'extraResourceTypes "AWS::SQS::Queue" is not allowed: a stage\'s deploy role never manages it (a commit could make any queue of the account, another stage\'s too, its dead-letter queue (RedrivePolicy, which no IAM condition limits) and move its own messages into it); '],
    ['a Lambda function', ['AWS::DynamoDB::Table', 'AWS::Lambda::Function'], 'extraResourceTypes "AWS::Lambda::Function" is not allowed: a stage\'s deploy role never manages it (a function runs with any role it is given); '],
    ['a type it cannot scope', ['AWS::S3::Bucket'], 'extraResourceTypes "AWS::S3::Bucket" is not allowed: it is not a type whose handler permissions this release can scope to a stage\'s own resources; '],
    ['a type twice', ['AWS::DynamoDB::Table', 'AWS::DynamoDB::Table'], 'extraResourceTypes names "AWS::DynamoDB::Table" twice: give each type once; '],
    ['a string', 'AWS::DynamoDB::Table', 'extraResourceTypes "AWS::DynamoDB::Table" is not allowed: give a list of CloudFormation resource types; '],
  ])('refuses %s, naming the option, the value and what is allowed', (_what, value, message) => {
    expect(() => synthService({ extraResourceTypes: value as string[] })).toThrow(`${message}${ALLOWED}.`);
  });

  it('gives template.yml\'s task role the types\' task actions on the stage\'s own names only', () => {
    const template = parse(synthService({ extraResourceTypes: EXTRA })['template.yml']);
    const [policy] = template.Resources.TaskRole.Properties.Policies;
    expect(policy.PolicyName).toBe('UseExtraResources');
    expect(policy.PolicyDocument.Statement.map((statement: Json) => statement.Resource)).toEqual([
      [{ 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${SERVICE}-\${Stage}-*` },
        { 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${SERVICE}-\${Stage}-*/index/*` }],
    ]);
    expect(JSON.stringify(parse(synthService()['template.yml']).Resources.TaskRole)).not.toContain('UseExtraResources');
  });

  it('passes the types to the pipeline in the toolchain module', () => {
    expect(synthService({ extraResourceTypes: EXTRA })['infra/toolchain.generated.ts']).toContain('extraResourceTypes: ["AWS::DynamoDB::Table"],');
    expect(synthService()['infra/toolchain.generated.ts']).not.toContain('extraResourceTypes');
  });

  it('keeps the project option and the construct prop under one rule', () => {
    const stack = new Stack(new App(), 'Toolchain');
    expect(() => new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: SERVICE,
      source: PipelineSource.connection({ connectionArn: `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`, owner: 'acme', repository: SERVICE }),
      extraResourceTypes: ['AWS::IAM::ManagedPolicy'],
    })).toThrow(`extraResourceTypes "AWS::IAM::ManagedPolicy" is not allowed: a stage's deploy role never manages it (it could give the stage's roles any permission); ${ALLOWED}.`);
    expect(() => new CodeStarFargateProject(serviceOptions({ extraResourceTypes: EXTRA }))).not.toThrow();
  });
});

describe('the tasks\' use of extra resources, evaluated by an IAM policy simulator', () => {
  const toolchain = synthesizeToolchain([], undefined, {}, 'two VPCs', undefined, EXTRA);
  const template = parse(synthService({ extraResourceTypes: EXTRA })['template.yml']);
  /** template.yml's task role of `stage` as CloudFormation resolves it, under the boundary the toolchain gives the stage. */
  const taskRoleOf = (stage: string): Principal => {
    const resolve = (value: Json): Json => {
      if (Array.isArray(value)) {
        return value.map(resolve);
      }
      if (value === null || typeof value !== 'object') {
        return value;
      }
      if ('Ref' in value && value.Ref === 'Stage') {
        return stage;
      }
      if ('Fn::Sub' in value) {
        const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'Stage': stage };
        return (value['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_match, name: string) => pseudo[name]);
      }
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, resolve(child)]));
    };
    return {
      // ECS Exec's policy (under the dev stage's condition) has nothing to do with the extra resources.
      identityPolicies: template.Resources.TaskRole.Properties.Policies.filter((policy: Json) => policy.PolicyName)
        .map((policy: Json) => ({ name: policy.PolicyName, policy: resolve(policy.PolicyDocument) })),
      permissionBoundaryPolicies: [{ name: 'boundary', policy: boundaryOf(toolchain, stage) }],
    };
  };
  const tableOf = (stage: string) => arn('dynamodb', `table/${SERVICE}-${stage}-Orders-1A2B3C4D5E6F`);
  const tagged = (stage: string) => ({ 'aws:ResourceTag/service': SERVICE, 'aws:ResourceTag/stage': stage });
  const uses = (stage: string, tags: Record<string, string> = tagged(stage)) => [
    { action: 'dynamodb:GetItem', resource: tableOf(stage), context: tags },
    { action: 'dynamodb:PutItem', resource: tableOf(stage), context: tags },
    { action: 'dynamodb:Query', resource: `${tableOf(stage)}/index/byCustomer`, context: tags },
  ];

  it.each(['dev', 'production'])('lets %s\'s tasks use the stage\'s own table', async (stage) => {
    const answers = await decisions(taskRoleOf(stage), uses(stage));
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it.each([['dev', 'production'], ['production', 'dev']])('refuses %s\'s tasks %s\'s table', async (stage, other) => {
    const answers = await decisions(taskRoleOf(stage), uses(other));
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });

  it('refuses dev\'s tasks a table named like dev\'s but tagged for another service, or not tagged at all', async () => {
    // Service orders-api-dev's stage jobs names its tables orders-api-dev-jobs-...: dev's prefix too.
    for (const tags of [{ 'aws:ResourceTag/service': `${SERVICE}-dev`, 'aws:ResourceTag/stage': 'jobs' }, {}] as Array<Record<string, string>>) {
      const answers = await decisions(taskRoleOf('dev'), uses('dev', tags));
      expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
    }
  });

  it('lets dev\'s deploy role create a table tagged for dev, and touch none named like dev\'s but tagged otherwise or untagged', async () => {
    const deployRole: Principal = { identityPolicies: policiesOfRole(toolchain, 'PipelineStagedevDeploymentRole') };
    const request = (stage: string) => ({ 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': stage, 'aws:TagKeys': ['service', 'stage'] });
    expect(await decide(deployRole, { action: 'dynamodb:CreateTable', resource: tableOf('dev'), context: request('dev') })).toBe('Allowed');
    expect(await decide(deployRole, { action: 'dynamodb:UpdateTable', resource: tableOf('dev'), context: tagged('dev') })).toBe('Allowed');
    const otherService = arn('dynamodb', `table/${SERVICE}-dev-jobs-Orders-1A2B3C4D5E6F`);
    for (const context of [{ 'aws:ResourceTag/service': `${SERVICE}-dev`, 'aws:ResourceTag/stage': 'jobs' }, {}] as Array<Record<string, string>>) {
      expect(await decide(deployRole, { action: 'dynamodb:DeleteTable', resource: otherService, context })).not.toBe('Allowed');
    }
    expect(await decide(deployRole, { action: 'dynamodb:CreateTable', resource: tableOf('dev'), context: request('production') })).not.toBe('Allowed');
    // Tagging production's table as dev's would make it dev's: it already carries production's tags.
    expect(await decide(deployRole, { action: 'dynamodb:TagResource', resource: tableOf('production'), context: { ...tagged('production'), ...request('dev') } })).not.toBe('Allowed');
  });

  it('refuses dev\'s tasks what the task role grants but the boundary does not', async () => {
    // The boundary, not the template, is the limit: a task role edited in template.yml reaches no further.
    const widened: Principal = { ...taskRoleOf('dev'), identityPolicies: [{ name: 'edited', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] } }] };
    const answers = await decisions(widened, [
      { action: 'dynamodb:PutItem', resource: tableOf('production'), context: tagged('production') },
      { action: 'dynamodb:DeleteTable', resource: tableOf('dev'), context: tagged('dev') },
    ]);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });
});
