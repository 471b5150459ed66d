import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { overridesByStage } from './helpers';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { TemplateParameter } from '../src/contract';
import { CpuArchitecture } from '../src/options';

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const HOSTED_ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

function synth(props: Partial<CodeStarFargatePipelineProps> = {}): { stack: Stack; template: Template } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-platform-')) });
  const stack = new Stack(app, 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api' }),
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}


function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(warning => String(warning.entry.data));
}

describe('domains', () => {
  it('gives every stage its name in the hosted zone: <stage>.<service>.<zone>, and <service>.<zone> for production', () => {
    const overrides = overridesByStage(synth({ hostedZone: HOSTED_ZONE }).template);
    expect(overrides.dev).toMatchObject({ [TemplateParameter.DOMAIN_NAME]: 'dev.orders-api.example.com', [TemplateParameter.HOSTED_ZONE_ID]: 'Z0123456789ABCDEFGHIJ' });
    expect(overrides.production).toMatchObject({ [TemplateParameter.DOMAIN_NAME]: 'orders-api.example.com', [TemplateParameter.HOSTED_ZONE_ID]: 'Z0123456789ABCDEFGHIJ' });
  });

  it('takes a stage\'s own name in the zone instead', () => {
    const overrides = overridesByStage(synth({ hostedZone: HOSTED_ZONE, stages: [{ name: 'dev', domainName: 'orders-dev.example.com' }, { name: 'production', domainName: 'example.com' }] }).template);
    expect(overrides.dev[TemplateParameter.DOMAIN_NAME]).toBe('orders-dev.example.com');
    expect(overrides.production[TemplateParameter.DOMAIN_NAME]).toBe('example.com');
  });

  it('passes no domain without a hosted zone', () => {
    const overrides = overridesByStage(synth().template);
    expect(overrides.dev[TemplateParameter.DOMAIN_NAME]).toBeUndefined();
  });

  it('lets each stage\'s deploy role change only records of its own name, in the zone, of types A and CNAME', () => {
    const { template } = synth({ hostedZone: HOSTED_ZONE });
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'cloudformation.amazonaws.com' } }] } } });
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const statementsOf = (roleId: string) => policies.filter((policy) => (policy.Properties.Roles ?? []).some((role: any) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const statements = Object.keys(roles).map((id) => [id, statementsOf(id).find((statement: any) => statement.Sid === 'StageRecords')]);
    const dev = statements.find(([id]) => String(id).includes('dev'))![1];
    expect(dev.Condition).toEqual({
      'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['dev.orders-api.example.com', `_${'?'.repeat(32)}.dev.orders-api.example.com`] },
      'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'] },
    });
  });

  it('warns at synth, on the stage, when production would serve plain HTTP', () => {
    const { stack } = synth();
    expect(warnings(stack)).toEqual([expect.stringMatching(/Stage "production" serves plain HTTP: give the pipeline a hostedZone .* or the stage a certificateArn\. \[ack: projen-codestar-fargate:production-without-https\]/)]);
    expect(Annotations.fromStack(stack).findWarning('/Toolchain/Toolchain/Stage-production', Match.anyValue())).toHaveLength(1);
  });

  it('warns for any stage with an approval and neither a domain nor a certificate, and for none that has one', () => {
    expect(warnings(synth({ stages: [{ name: 'dev' }, { name: 'staging', approvalRequired: true }, { name: 'production', certificateArn: CERTIFICATE_ARN }] }).stack))
      .toEqual([expect.stringContaining('Stage "staging" serves plain HTTP')]);
    expect(warnings(synth({ hostedZone: HOSTED_ZONE }).stack)).toEqual([]);
  });

  it.each<[string, Partial<CodeStarFargatePipelineProps>, RegExp]>([
    ['a zone id that is not one', { hostedZone: { hostedZoneId: 'z0123', zoneName: 'example.com' } }, /hostedZone.hostedZoneId "z0123" is not allowed: it must be a Route 53 hosted zone id/],
    ['a zone name with a trailing dot', { hostedZone: { hostedZoneId: 'Z0123', zoneName: 'example.com.' } }, /hostedZone.zoneName "example.com." is not allowed: .*RFC 1035/],
    ['a stage name outside the zone', { hostedZone: HOSTED_ZONE, stages: [{ name: 'dev', domainName: 'dev.example.org' }] }, /stages\[0\].domainName "dev.example.org" is not allowed in stage "dev": it must be the hosted zone's name or a name inside it/],
    ['a stage name without a zone', { stages: [{ name: 'dev', domainName: 'dev.example.com' }] }, /stages\[0\].domainName "dev.example.com" is not allowed without the pipeline's hostedZone/],
    ['a default name longer than ACM allows', { hostedZone: { hostedZoneId: 'Z0123', zoneName: `${'a'.repeat(50)}.example.com` } }, /hostedZone.zoneName \(the domain of stage "dev"\) ".*" is not allowed in stage "dev": it has 77 characters, and an ACM certificate's domain name may have at most 64/],
  ])('refuses %s, naming the prop and what is allowed', (_what, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('ARM64', () => {
  it('builds on CodeBuild\'s ARM image and runs the tasks on ARM64', () => {
    const { template } = synth({ architecture: CpuArchitecture.ARM64 });
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ Type: 'ARM_CONTAINER', Image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0', PrivilegedMode: true }),
    });
    const overrides = overridesByStage(template);
    expect(Object.values(overrides).map(stage => stage[TemplateParameter.CPU_ARCHITECTURE])).toEqual(['ARM64', 'ARM64']);
  });

  it('builds on the standard x86-64 image and runs X86_64 by default', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ Type: 'LINUX_CONTAINER', Image: 'aws/codebuild/standard:7.0' }),
    });
    expect(overridesByStage(template).dev[TemplateParameter.CPU_ARCHITECTURE]).toBe('X86_64');
  });

  it('refuses ARM64 with Fargate Spot, naming the prop, the value and what is allowed', () => {
    expect(() => synth({ architecture: CpuArchitecture.ARM64, fargateSpot: true }))
      .toThrow('fargateSpot true is not allowed with architecture CpuArchitecture.ARM64: Fargate Spot runs only X86_64 Linux tasks, so ECS would never place them. Use architecture CpuArchitecture.X86_64 with Spot, or leave fargateSpot off (false) on ARM64.');
    expect(() => synth({ architecture: CpuArchitecture.ARM64, stages: [{ name: 'dev', fargateSpot: true }] }))
      .toThrow('stages[0].fargateSpot true is not allowed with architecture CpuArchitecture.ARM64');
    expect(() => synth({ architecture: CpuArchitecture.ARM64, stages: [{ name: 'dev', fargateSpot: false }] })).not.toThrow();
  });

  it('refuses an architecture Fargate does not run', () => {
    expect(() => synth({ architecture: 'ARM32' as CpuArchitecture })).toThrow(/architecture "ARM32" is not allowed: it must be one of CpuArchitecture.X86_64, CpuArchitecture.ARM64/);
  });
});

describe('Fargate Spot', () => {
  it('puts stages without an approval on Spot, and keeps production on regular Fargate', () => {
    const overrides = overridesByStage(synth({ fargateSpot: true }).template);
    expect(overrides.dev[TemplateParameter.FARGATE_SPOT]).toBe('true');
    expect(overrides.production[TemplateParameter.FARGATE_SPOT]).toBe('false');
  });

  it('puts no stage on Spot unless asked', () => {
    expect(Object.values(overridesByStage(synth().template)).map(stage => stage[TemplateParameter.FARGATE_SPOT])).toEqual(['false', 'false']);
  });

  it('puts a stage with an approval on Spot only when the stage asks, with a warning', () => {
    const { stack, template } = synth({ hostedZone: HOSTED_ZONE, stages: [{ name: 'dev', fargateSpot: false }, { name: 'production', fargateSpot: true }], fargateSpot: true });
    const overrides = overridesByStage(template);
    expect(overrides.dev[TemplateParameter.FARGATE_SPOT]).toBe('false');
    expect(overrides.production[TemplateParameter.FARGATE_SPOT]).toBe('true');
    expect(warnings(stack)).toEqual([expect.stringContaining('Stage "production" has an approval and runs on Fargate Spot')]);
  });

  it('refuses a Spot choice that is not true or false', () => {
    expect(() => synth({ fargateSpot: 'yes' as unknown as boolean })).toThrow(/fargateSpot "yes" is not allowed: it must be true or false/);
    expect(() => synth({ stages: [{ name: 'dev', fargateSpot: 1 as unknown as boolean }] })).toThrow(/stages\[0\].fargateSpot 1 is not allowed: it must be true or false/);
  });
});
