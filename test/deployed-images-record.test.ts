import { arn, boundedRoleOf, decisions, policiesOfRole, Principal, synthesizeToolchain } from './iam-simulation';

// Attacker review, finding 1: a stage's record of the images it ran is what its guard trusts instead of tags, which a
// dev build may push; only that stage's guard may write it.
const toolchain = synthesizeToolchain();
const record = (stage: string) => arn('ssm', `parameter/codestar-fargate/orders-api/${stage}/deployed-images`);
const role = (logicalIdPrefix: string): Principal => ({ identityPolicies: policiesOfRole(toolchain, logicalIdPrefix) });

describe('the record of the images a stage ran', () => {
  it('is a parameter of that name per stage, which its guard is told', () => {
    const parameters = Object.values(toolchain).filter((resource: any) => resource.Type === 'AWS::SSM::Parameter').map((resource: any) => resource.Properties.Name);
    expect(parameters.sort()).toEqual(['/codestar-fargate/orders-api/dev/deployed-images', '/codestar-fargate/orders-api/production/deployed-images']);
  });

  it('is read and written by its own stage\'s guard only', async () => {
    expect(await decisions(role('PipelineStageproductionGuardRole'), [
      { action: 'ssm:GetParameter', resource: record('production') },
      { action: 'ssm:PutParameter', resource: record('production') },
      { action: 'ssm:PutParameter', resource: record('dev') },
    ])).toEqual([
      `Allowed: ssm:GetParameter ${record('production')}`,
      `Allowed: ssm:PutParameter ${record('production')}`,
      `ImplicitlyDenied: ssm:PutParameter ${record('dev')}`,
    ]);
    expect(await decisions(role('PipelineStagedevGuardRole'), [{ action: 'ssm:PutParameter', resource: record('production') }]))
      .toEqual([`ImplicitlyDenied: ssm:PutParameter ${record('production')}`]);
  });

  it.each([
    ['the build role', () => role('PipelineBuildRole')],
    ['dev\'s deployment role', () => role('PipelineStagedevDeploymentRole')],
    ['production\'s deployment role', () => role('PipelineStageproductionDeploymentRole')],
    ['a role dev\'s stack creates (AdministratorAccess under dev\'s boundary)', () => boundedRoleOf(toolchain, 'dev')],
  ])('cannot be written by %s', async (_name, principal) => {
    const calls = ['dev', 'production'].flatMap(stage => ['ssm:PutParameter', 'ssm:DeleteParameter'].map(action => ({ action, resource: record(stage) })));
    expect((await decisions(principal(), calls)).filter(decision => decision.startsWith('Allowed'))).toEqual([]);
  });
});
