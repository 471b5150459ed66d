import { parse } from 'yaml';
import { synthService } from './helpers';
import { HOSTILE_CASES, Mapped, stageWorld } from './hostile-template';
import { arn, boundedRoleOf, Call, decide, decisions, policiesOfRole, Principal, stageNetworkOf, synthesizeToolchain, VpcLayout } from './iam-simulation';
import { referenceProperties } from './resource-schemas';
import { TemplateParameter } from '../src/contract';

/**
 * An unapproved commit to dev controls template.yml. For every resource type template.yml creates, each property
 * that names a resource (found in CloudFormation's resource schemas, see resource-schemas.ts) is set to
 * production's value, and the calls CloudFormation then makes with dev's deploy role are evaluated by the policy
 * simulator: with two VPCs and with one VPC both stages share.
 */

const LAYOUTS: VpcLayout[] = ['two VPCs', 'one shared VPC'];

const templates = [
  parse(synthService()['template.yml']),
  // Per-stage egress adds separate egress rules.
  parse(synthService({
    stageOptions: [{ name: 'dev', egress: [{ port: 5432, cidr: '10.0.0.0/16' }] }, { name: 'production' }],
  })['template.yml']),
];
const resourcesOf = (template: any) => Object.values<any>(template.Resources);
const templateTypes = [...new Set(templates.flatMap(template => resourcesOf(template).map(resource => resource.Type as string)))].sort();

const properties = templateTypes.flatMap(type => referenceProperties(type).map(property => `${property.type} ${property.path}`));
const mapped = Object.entries(HOSTILE_CASES).filter((entry): entry is [string, Mapped] => 'calls' in entry[1]);

/** What the matrix holds per layout, for the closing note. */
const tally: Record<string, Record<string, number>> = {};
const count = (layout: VpcLayout, what: string, by = 1) => {
  tally[layout] ??= {};
  tally[layout][what] = (tally[layout][what] ?? 0) + by;
};

const sameCalls = (one: Call[], other: Call[]) => JSON.stringify(one) === JSON.stringify(other);

describe('a hostile dev template.yml, evaluated by an IAM policy simulator', () => {
  it('knows the calls, or a reviewed reason, for every property that names a resource in every type template.yml creates', () => {
    expect(properties.filter(property => !(property in HOSTILE_CASES))).toEqual([]);
    // An entry for a property the schemas no longer have is dead.
    expect(Object.keys(HOSTILE_CASES).filter(property => !properties.includes(property))).toEqual([]);
    expect(properties.length).toBeGreaterThan(100);
  });

  describe.each(LAYOUTS)('with %s', (layout) => {
    const toolchain = synthesizeToolchain([], undefined, {}, layout);
    const dev = stageWorld('dev', stageNetworkOf(toolchain, 'dev'));
    const production = stageWorld('production', stageNetworkOf(toolchain, 'production'));
    const callerOf = (hostile: Mapped): Principal => (hostile.by === 'stage boundary'
      ? boundedRoleOf(toolchain, 'dev')
      : { identityPolicies: policiesOfRole(toolchain, 'PipelineStagedevDeploymentRole') });
    /** A property whose production value is dev's own in this layout (the shared VPC and its subnets) attacks nothing. */
    const sharedInLayout = (hostile: Mapped) => !hostile.refusedForDev && sameCalls(hostile.calls(production, dev), hostile.calls(dev, dev));

    it('puts the stages where the layout says', () => {
      expect(dev.vpcArn === production.vpcArn).toBe(layout === 'one shared VPC');
      expect(dev.serviceSubnetIds.length).toBeGreaterThan(0);
    });

    it('denies every call that carries production\'s value', async () => {
      const allowed: string[] = [];
      for (const [property, hostile] of mapped.filter(([, entry]) => !entry.pendingOn)) {
        if (sharedInLayout(hostile)) {
          count(layout, 'shared by both stages in this layout');
          continue;
        }
        count(layout, 'denied');
        const answers = await decisions(callerOf(hostile), hostile.calls(production, dev));
        allowed.push(...answers.filter(answer => answer.startsWith('Allowed')).map(answer => `${property}: ${answer}`));
      }
      expect(allowed).toEqual([]);
    });

    it('allows the same calls with dev\'s own values, so each denial is about production\'s value', async () => {
      const wrong: string[] = [];
      for (const [property, hostile] of mapped) {
        const answers = await decisions(callerOf(hostile), hostile.calls(dev, dev));
        const expected = hostile.refusedForDev ? (answer: string) => !answer.startsWith('Allowed') : (answer: string) => answer.startsWith('Allowed');
        wrong.push(...answers.filter(answer => !expected(answer)).map(answer => `${property}${hostile.refusedForDev ? ' (refused for dev too)' : ''}: ${answer}`));
      }
      expect(wrong).toEqual([]);
    });

    it('still accepts production\'s value only where another item of issue 24 is to close it', async () => {
      const closed: string[] = [];
      for (const [property, hostile] of mapped.filter(([, pending]) => pending.pendingOn)) {
        const answers = await decisions(callerOf(hostile), hostile.calls(production, dev));
        if (answers.every(answer => !answer.startsWith('Allowed'))) {
          closed.push(`${property} is denied now: drop its pendingOn (${hostile.pendingOn})`);
        }
        count(layout, `open until ${hostile.pendingOn}`);
      }
      expect(closed).toEqual([]);
    });

    it('lets dev create each security group template.yml declares with the tags it declares, and tag it as it is created', async () => {
      const deployRole = { identityPolicies: policiesOfRole(toolchain, 'PipelineStagedevDeploymentRole') };
      const groups = resourcesOf(templates[0]).filter(resource => resource.Type === 'AWS::EC2::SecurityGroup');
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) {
        // Tag values are the service's name or a Ref to the Stage parameter, which the pipeline sets to the stage's name.
        const requestTags = Object.fromEntries((group.Properties.Tags ?? []).map((tag: any) => [`aws:RequestTag/${tag.Key}`, tag.Value.Ref === TemplateParameter.STAGE ? 'dev' : tag.Value]));
        const created = { ...requestTags, 'aws:TagKeys': (group.Properties.Tags ?? []).map((tag: any) => tag.Key) };
        expect(await decisions(deployRole, [
          { action: 'ec2:CreateSecurityGroup', resource: arn('ec2', 'security-group/sg-0a4444444444444444'), context: created },
          { action: 'ec2:CreateTags', resource: arn('ec2', 'security-group/sg-0a4444444444444444'), context: { ...created, 'ec2:CreateAction': 'CreateSecurityGroup' } },
        ])).toEqual([expect.stringMatching(/^Allowed: ec2:CreateSecurityGroup/), expect.stringMatching(/^Allowed: ec2:CreateTags/)]);
      }
    });

    it('keeps dev from opening production\'s task or database security group to dev\'s tasks', async () => {
      const deployRole = { identityPolicies: policiesOfRole(toolchain, 'PipelineStagedevDeploymentRole') };
      for (const group of production.securityGroups) {
        expect(await decide(deployRole, { action: 'ec2:AuthorizeSecurityGroupIngress', resource: group.arn, context: group.context })).not.toBe('Allowed');
        // Nor make it dev's by tagging it: tags go on a group only as it is created.
        expect(await decide(deployRole, { action: 'ec2:CreateTags', resource: group.arn, context: { ...group.context, 'aws:RequestTag/service': 'orders-api', 'aws:RequestTag/stage': 'dev', 'aws:TagKeys': ['stage'] } })).not.toBe('Allowed');
      }
    });

    it('keeps a dev service and load balancer in dev\'s own subnets (in one shared VPC they are production\'s too)', async () => {
      const deployRole = { identityPolicies: policiesOfRole(toolchain, 'PipelineStagedevDeploymentRole') };
      const placed = await decisions(deployRole, [
        { action: 'ecs:CreateService', resource: dev.serviceArn, context: { 'ecs:task-definition': dev.taskDefinitionArn, 'ecs:subnet': [dev.serviceSubnetIds[0], production.serviceSubnetIds[0]] } },
        { action: 'elasticloadbalancing:CreateLoadBalancer', resource: dev.loadBalancerArn, context: { 'elasticloadbalancing:Subnet': [dev.loadBalancerSubnetIds[0], production.loadBalancerSubnetIds[1]] } },
      ]);
      expect(placed.filter(answer => answer.startsWith('Allowed'))).toEqual(layout === 'two VPCs' ? [] : placed);
    });
  });

  afterAll(() => {
    const kinds = (key: string) => Object.entries(HOSTILE_CASES).filter(([, hostile]) => key in hostile);
    const typesWithReferences = new Set(properties.map(property => property.split(' ')[0])).size;
    const lines = [
      `hostile-template matrix: ${typesWithReferences} resource types (of ${templateTypes.length} in template.yml) x ${properties.length} properties naming a resource x ${LAYOUTS.length} VPC layouts = ${properties.length * LAYOUTS.length} cases`,
      `  mapped to calls: ${mapped.length}; AWS offers no condition: ${kinds('noCondition').length}; not a reference: ${kinds('notAReference').length}`,
      ...Object.entries(tally).map(([layout, counts]) => `  ${layout}: ${Object.entries(counts).map(([what, n]) => `${n} ${what}`).join(', ')}`),
      '  no condition for:',
      ...kinds('noCondition').map(([property]) => `    ${property}`),
    ];
    console.log(lines.join('\n'));
  });
});
