import { EXCLUDED, EXTRA_TYPES, HandlerCall, IAM_RESOURCE_TYPES, PHASES, TemplateHandlers } from './handler-calls';
import { decide, policiesOfRole, Principal, synthesizeToolchain } from './iam-simulation';

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
    expect(templateTypes).toEqual(expect.arrayContaining(['AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::ECS::Service', 'AWS::CertificateManager::Certificate', 'AWS::EC2::SecurityGroupEgress', 'AWS::ElasticLoadBalancingV2::ListenerRule']));
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
