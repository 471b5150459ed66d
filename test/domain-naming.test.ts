import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps, PipelineSource, StageDomainNaming } from '../src';
import { synthService } from './helpers';
import { Call, decisions, domainOf, HOSTED_ZONE, policiesOfRole, Principal, SERVICE, synthesizeToolchain, validationRecordOf, ZONE_ARN } from './iam-simulation';
import { defaultStageDomainName } from '../src/domain';

/** Sibling stage names (`<service>-<stage>.<zone>`) keep dev out of production's cookie scope (issue 24.9). */

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

function domainOverrides(props: Partial<CodeStarFargatePipelineProps>): Record<string, string | undefined> {
  const stack = new Stack(new App(), 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Pipeline', {
    serviceName: SERVICE,
    source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: SERVICE }),
    hostedZone: HOSTED_ZONE,
    ...props,
  });
  const pipeline: any = Object.values(Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline'))[0];
  const byStage: Record<string, string | undefined> = {};
  for (const stage of pipeline.Properties.Stages.slice(2)) {
    const deploy = stage.Actions.find((action: any) => action.Name === 'Deploy');
    // The overrides are JSON joined with tokens (VPC, topic); the domain is a plain value among them.
    const overrides = deploy.Configuration.ParameterOverrides;
    const text: string = typeof overrides === 'string' ? overrides : overrides['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'TOKEN')).join('');
    byStage[stage.Name] = /"DomainName":"([^"]*)"/.exec(text)?.[1];
  }
  return byStage;
}

/** Record changes of one name, as CloudFormation sends them for the alias and the certificate's validation record. */
const recordCalls = (name: string, validationRecord: string): Call[] => ['CREATE', 'UPSERT', 'DELETE'].flatMap(change => [
  { action: 'route53:ChangeResourceRecordSets', resource: ZONE_ARN, context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [name], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'], 'route53:ChangeResourceRecordSetsActions': [change] } },
  { action: 'route53:ChangeResourceRecordSets', resource: ZONE_ARN, context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [validationRecord], 'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'], 'route53:ChangeResourceRecordSetsActions': [change] } },
]);
const certificateCall = (stage: string, name: string): Call => ({
  action: 'acm:RequestCertificate',
  resource: '*',
  context: { 'acm:DomainNames': [name], 'acm:ValidationMethod': 'DNS', 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': stage, 'aws:TagKeys': ['service', 'stage'] },
});

describe('stage domain names', () => {
  it('keeps the names existing stages have when stageDomainNames is left out', () => {
    expect(domainOverrides({})).toEqual({ dev: `dev.${SERVICE}.example.com`, production: `${SERVICE}.example.com` });
  });

  it('names stages beside production with StageDomainNaming.SIBLING, production keeping its name', () => {
    expect(domainOverrides({ stageDomainNames: StageDomainNaming.SIBLING, stages: [{ name: 'dev' }, { name: 'staging' }, { name: 'production' }] }))
      .toEqual({ dev: `${SERVICE}-dev.example.com`, staging: `${SERVICE}-staging.example.com`, production: `${SERVICE}.example.com` });
  });

  it('lets a stage\'s own domainName win over the naming', () => {
    expect(domainOverrides({ stageDomainNames: StageDomainNaming.SIBLING, stages: [{ name: 'dev', domainName: 'sandbox.example.com' }, { name: 'production' }] }).dev)
      .toBe('sandbox.example.com');
  });

  it.each<[string, Partial<CodeStarFargatePipelineProps>, string]>([
    ['an unknown naming', { stageDomainNames: 'FLAT' as StageDomainNaming }, 'stageDomainNames "FLAT" is not allowed: use StageDomainNaming.SUBDOMAIN or StageDomainNaming.SIBLING.'],
    ['a naming without a zone', { hostedZone: undefined, stageDomainNames: StageDomainNaming.SIBLING }, 'stageDomainNames "SIBLING" is not allowed without the pipeline\'s hostedZone: stages get domain names only in a hosted zone.'],
  ])('refuses %s, naming the prop and what is allowed', (_what, props, message) => {
    expect(() => domainOverrides(props)).toThrow(message);
  });

  it('refuses a sibling name longer than ACM can certify, naming the stage', () => {
    expect(() => domainOverrides({ stageDomainNames: StageDomainNaming.SIBLING, hostedZone: { hostedZoneId: HOSTED_ZONE.hostedZoneId, zoneName: `${'z'.repeat(45)}.example.com` } }))
      .toThrow(/hostedZone.zoneName \(the domain of stage "dev"\) "orders-api-dev\.z+\.example\.com" is not allowed in stage "dev": it has 72 characters/);
  });
});

describe('the project type\'s stageDomainNames', () => {
  it('writes the sibling names into the toolchain, so the template and the deploy roles use them', () => {
    const files = synthService({ hostedZoneId: HOSTED_ZONE.hostedZoneId, hostedZoneName: 'example.com', stageDomainNames: StageDomainNaming.SIBLING });
    const toolchain = Object.entries(files).find(([name]) => name.startsWith('infra/') && String(files[name]).includes('CodeStarFargatePipeline'));
    expect(toolchain).toBeDefined();
    expect(String(toolchain![1])).toContain(`domainName: "${defaultStageDomainName(SERVICE, 'dev', 'example.com', StageDomainNaming.SIBLING)}"`);
    expect(parse(files['template.yml']).Parameters.DomainName).toBeDefined();
  });

  it('refuses it without a hosted zone, naming both options', () => {
    expect(() => synthService({ stageDomainNames: StageDomainNaming.SIBLING }))
      .toThrow('stageDomainNames "SIBLING" is not allowed without hostedZoneId and hostedZoneName: stages get domain names only in a hosted zone.');
  });
});

describe('a stage\'s deploy role with sibling names, evaluated by an IAM policy simulator', () => {
  const toolchain = synthesizeToolchain([], undefined, {}, 'two VPCs', StageDomainNaming.SIBLING);
  const deployRoleOf = (stage: string): Principal => ({ identityPolicies: policiesOfRole(toolchain, `PipelineStage${stage}DeploymentRole`) });
  const sibling = (stage: string) => domainOf(stage, StageDomainNaming.SIBLING);
  const siblingValidation = (stage: string) => validationRecordOf(stage, StageDomainNaming.SIBLING);

  it.each(['dev', 'production'])('may write the records and request the certificate of %s\'s own name', async (stage) => {
    const calls = [...recordCalls(sibling(stage), siblingValidation(stage)), certificateCall(stage, sibling(stage))];
    const answers = await decisions(deployRoleOf(stage), calls);
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('may write no record of, nor request a certificate for, the other stage\'s name or the old subdomain name', async () => {
    const denied = [
      ...await decisions(deployRoleOf('dev'), [...recordCalls(sibling('production'), siblingValidation('production')), certificateCall('dev', sibling('production'))]),
      ...await decisions(deployRoleOf('production'), [...recordCalls(sibling('dev'), siblingValidation('dev')), certificateCall('production', sibling('dev'))]),
      ...await decisions(deployRoleOf('dev'), [...recordCalls(domainOf('dev'), validationRecordOf('dev')), certificateCall('dev', domainOf('dev'))]),
    ];
    expect(denied.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
    expect(denied).toHaveLength(21);
  });
});
