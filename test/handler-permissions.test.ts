import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { EXCLUDED, EXTRA_TYPES, handlerCalls, HandlerCall, IAM_RESOURCE_TYPES, PHASES, stageResources, tagsByType, TemplateHandlers } from './handler-calls';
import { ACCOUNT, arn, decide, policiesOfRole, Principal, synthesizeToolchain } from './iam-simulation';

/**
 * Every create, read, update and delete handler permission of every resource type template.yml can create, as
 * AWS's registry schemas list them, is allowed to each stage's deploy role on that stage's own resources and
 * denied on the other stage's, or sits in EXCLUDED with the reason the template never needs it.
 */

const shown = (call: HandlerCall) => `${call.type} ${call.phase} ${call.permission} on ${call.resource}${Object.keys(call.context ?? {}).length > 0 ? ` ${JSON.stringify(call.context)}` : ''}`;

// With the extra types a team adds to template.yml (extraResourceTypes), whose handlers are then checked the same way.
const toolchain = synthesizeToolchain([], undefined, {}, 'two VPCs', undefined, EXTRA_TYPES);
const handlers = new TemplateHandlers(toolchain);
const { schemaOf, templateTypes } = handlers;
const stageCalls = (stage: string) => handlers.stageCalls(stage);
const deployRoleOf = (stage: string): Principal => ({ identityPolicies: policiesOfRole(toolchain, `PipelineStage${stage}DeploymentRole`) });

describe('the deploy role against CloudFormation\'s handler permissions (registry schemas from cfn-lint)', () => {
  it('knows, for every resource type template.yml can create, which IAM resources it is', () => {
    expect(templateTypes.filter(type => !(type in IAM_RESOURCE_TYPES))).toEqual([]);
    expect(templateTypes).toEqual(expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::ECS::Service', 'AWS::CertificateManager::Certificate', 'AWS::EC2::SecurityGroupEgress', 'AWS::ElasticLoadBalancingV2::ListenerRule']));
  });

  it('excludes only permissions some handler of the template\'s types lists', () => {
    const listed = templateTypes.flatMap(type => PHASES.flatMap(phase => (schemaOf(type).handlers?.[phase]?.permissions ?? []).map((permission: string) => ({ key: `${type} ${permission}`, phase }))));
    expect(Object.keys(EXCLUDED).filter(key => !listed.some(entry => entry.key === key))).toEqual([]);
  });

  it.each(['dev', 'production'])('can turn every handler permission into a call on %s\'s own resources', async (stage) => {
    const { calls, unmapped } = await stageCalls(stage);
    expect(unmapped).toEqual([]);
    expect(calls.length).toBeGreaterThan(150);
  });

  it.each(['dev', 'production'])('lets %s\'s deploy role make every handler call on its own resources', async (stage) => {
    const { calls } = await stageCalls(stage);
    const denied: string[] = [];
    for (const call of calls) {
      if (await decide(deployRoleOf(stage), call) !== 'Allowed') {
        denied.push(shown(call));
      }
    }
    expect(denied).toEqual([]);
  });

  it.each([['dev', 'production'], ['production', 'dev']])('refuses %s\'s deploy role every handler call on %s\'s resources', async (stage, other) => {
    const { calls } = await stageCalls(other);
    const requests = new Map<string, HandlerCall[]>();
    calls.filter(candidate => !candidate.shared).forEach(call => requests.set(call.request, [...requests.get(call.request) ?? [], call]));
    const allowed: string[] = [];
    for (const request of requests.values()) {
      // IAM allows a request only if it allows it on every resource the request names.
      const answers = await Promise.all(request.map(call => decide(deployRoleOf(stage), call)));
      if (answers.every(answer => answer === 'Allowed')) {
        allowed.push(request.map(shown).join(' and '));
      }
    }
    expect(allowed).toEqual([]);
    expect(requests.size).toBeGreaterThan(100);
  });
});

describe('the deploy role upgrading a stage release 1.0.0 created', () => {
  // template.yml as release 1.0.0 wrote it (test/e2e/upgrade.test.ts checks the fixture); its stacks carried these tags.
  const lastRelease = parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'releases', '1.0.0', 'template.yml'), 'utf-8'));
  const lastReleaseTypes = [...new Set(Object.values<any>(lastRelease.Resources).map(resource => resource.Type as string))].sort();
  /** Release 1.0.0 put its task roles under /<service>/, named by CloudFormation `<stack>-<logical id>-<suffix>`. */
  const release1Roles = (stage: string) => ['TaskRole-AbC123', 'TaskExecutionRole-XyZ789']
    .map(role => ({ arn: `arn:aws:iam::${ACCOUNT}:role/orders-api/orders-api-${stage}-${role}`, tagsOf: 'AWS::IAM::Role' }));

  async function upgradeCalls(stage: string): Promise<HandlerCall[]> {
    // 1.0.0's stack tags had no stage; CloudFormation adds its aws: tags where the schema says (cloudFormationSystemTags).
    const stackTags = { 'service': 'orders-api', 'managed-by': 'projen-codestar-fargate' };
    const tags = tagsByType(lastRelease, stackTags, schemaOf, stage);
    for (const type of lastReleaseTypes.filter(candidate => schemaOf(candidate).tagging?.cloudFormationSystemTags)) {
      tags[type] = { ...tags[type], 'aws:cloudformation:stack-name': `orders-api-${stage}` };
    }
    // The Prepare step tags 1.0.0's scalable target with the stage before the deploy (test/service-placement.test.ts).
    tags['AWS::ApplicationAutoScaling::ScalableTarget'] = { ...tags['AWS::ApplicationAutoScaling::ScalableTarget'], stage };
    const resources = stageResources(stage, arn('ec2', 'vpc/vpc-0123456789abcdef0'));
    const calls: HandlerCall[] = [];
    for (const type of lastReleaseTypes) {
      const updated = await handlerCalls(type, schemaOf(type), ['read', 'update'], stage, resources, tags);
      calls.push(...updated.calls.filter(call => !(`${type} ${call.permission}` in EXCLUDED)));
    }
    // Path is create-only: the upgrade replaces 1.0.0's task roles, and CloudFormation deletes them once it is done.
    const deleted = await handlerCalls('AWS::IAM::Role', schemaOf('AWS::IAM::Role'), ['delete'], stage, { ...resources, 'iam:role': release1Roles(stage) }, tags);
    calls.push(...deleted.calls.filter(call => !(`AWS::IAM::Role ${call.permission}` in EXCLUDED)));
    return calls;
  }

  it.each(['dev', 'production'])('lets %s\'s deploy role update what 1.0.0 created, as 1.0.0 tagged it, and delete its old task roles', async (stage) => {
    const calls = await upgradeCalls(stage);
    const denied: string[] = [];
    for (const call of calls) {
      if (await decide(deployRoleOf(stage), call) !== 'Allowed') {
        denied.push(shown(call));
      }
    }
    expect(denied).toEqual([]);
    expect(calls.filter(call => call.resource.includes(':role/orders-api/orders-api-')).map(call => call.permission)).toEqual(expect.arrayContaining(['iam:DeleteRole']));
  });

  it('refuses dev\'s deploy role the deletion of production\'s 1.0.0 task roles', async () => {
    const calls = (await upgradeCalls('production')).filter(call => call.resource.includes(':role/orders-api/orders-api-production-'));
    const allowed: string[] = [];
    for (const call of calls) {
      if (await decide(deployRoleOf('dev'), call) === 'Allowed') {
        allowed.push(shown(call));
      }
    }
    expect(calls.length).toBeGreaterThan(3);
    expect(allowed).toEqual([]);
  });
});
