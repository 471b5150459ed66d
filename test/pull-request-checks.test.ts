import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { synthService } from './helpers';
import { ACCOUNT, arn, decisions, Json, policiesOfRole, Principal, REGION, SERVICE, synthesizeToolchain } from './iam-simulation';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps, GitHost, PipelineSource } from '../src';

const CONNECTION_ARN = `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
const connection = (host?: GitHost) => PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: SERVICE, ...(host ? { host } : {}) });

function synth(props: Partial<CodeStarFargatePipelineProps> = {}, source?: (stack: Stack) => PipelineSource): Json {
  const stack = new Stack(new App(), 'Toolchain', { env: { account: ACCOUNT, region: REGION } });
  new CodeStarFargatePipeline(stack, 'Pipeline', { serviceName: SERVICE, source: source?.(stack) ?? connection(), ...props });
  return Template.fromStack(stack).toJSON().Resources;
}

const ofType = (resources: Json, type: string, idPart = '') => Object.entries<Json>(resources).filter(([id, resource]) => resource.Type === type && id.includes(idPart)).map(([, resource]) => resource);
const checkProject = (resources: Json) => ofType(resources, 'AWS::CodeBuild::Project', 'PullRequestChecks');

describe('the pull-request checks', () => {
  it('build every pull request to the branch from a GitHub connection and report the commit status, with no secret', () => {
    const [project] = checkProject(synth());
    expect(project.Properties.Source).toEqual({
      Type: 'GITHUB',
      Location: `https://github.com/acme/${SERVICE}.git`,
      Auth: { Type: 'CODECONNECTIONS', Resource: CONNECTION_ARN },
      BuildSpec: 'buildspec.yml',
      ReportBuildStatus: true,
    });
    expect(project.Properties.Triggers).toEqual({
      Webhook: true,
      FilterGroups: [[
        { Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
        { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
      ]],
      // A fork's pull request waits for a maintainer's approving comment.
      PullRequestBuildPolicy: { RequiresCommentApproval: 'FORK_PULL_REQUESTS' },
    });
    expect(project.Properties.Environment.EnvironmentVariables.map((variable: Json) => [variable.Name, variable.Type])).toEqual([
      ['REPOSITORY_URI', 'PLAINTEXT'], ['PULL_REQUEST_CHECK', 'PLAINTEXT'],
    ]);
    expect(project.Properties.Environment.EnvironmentVariables[1].Value).toBe('true');
    expect(project.Properties.Cache).toEqual({ Type: 'NO_CACHE' });
    // The role must hold the connection before CodeBuild creates the webhook through it.
    expect(project.DependsOn).toEqual([expect.stringContaining('PullRequestChecksConnectionUse')]);
  });

  it('gives the check the deployed toolchain\'s settings, as the pipeline\'s build has them, so it can name what will wait', () => {
    const toolchainSettings = { 'stages': '0123456789abcdef', 'stages.dev.minContainers': 'fedcba9876543210' };
    const resources = synth({ toolchainSettings });
    const variableOf = (project: Json) => project.Properties.Environment.EnvironmentVariables.find((variable: Json) => variable.Name === 'DEPLOYED_TOOLCHAIN_SETTINGS')?.Value;
    const build = ofType(resources, 'AWS::CodeBuild::Project').find(project => String(project.Properties.Description).startsWith('Tests orders-api, then builds'))!;
    expect(JSON.parse(variableOf(checkProject(resources)[0]))).toEqual(toolchainSettings);
    expect(variableOf(checkProject(resources)[0])).toBe(variableOf(build));
  });

  it('uses the host\'s own source type for a Bitbucket or GitLab connection', () => {
    expect(checkProject(synth({ source: connection(GitHost.BITBUCKET) }))[0].Properties.Source).toEqual(expect.objectContaining({ Type: 'BITBUCKET', Location: `https://bitbucket.org/acme/${SERVICE}.git` }));
    expect(checkProject(synth({ source: connection(GitHost.GITLAB) }))[0].Properties.Source).toEqual(expect.objectContaining({ Type: 'GITLAB', Location: `https://gitlab.com/acme/${SERVICE}.git` }));
  });

  it('starts on a CodeCommit pull request to the branch with its source commit, and may comment on that repository only', () => {
    const resources = synth({}, stack => PipelineSource.codeCommit({ repository: codecommit.Repository.fromRepositoryName(stack, 'Repo', SERVICE), branch: 'release' }));
    const [project] = checkProject(resources);
    expect(project.Properties.Source.Type).toBe('CODECOMMIT');
    const [rule] = ofType(resources, 'AWS::Events::Rule', 'PullRequestChecks');
    expect(rule.Properties.EventPattern).toEqual(expect.objectContaining({
      'source': ['aws.codecommit'],
      'detail-type': ['CodeCommit Pull Request State Change'],
      'detail': { event: ['pullRequestCreated', 'pullRequestSourceBranchUpdated'], destinationReference: ['refs/heads/release'] },
    }));
    const input = rule.Properties.Targets[0].InputTransformer;
    expect(input.InputPathsMap).toEqual(expect.objectContaining({ 'detail-sourceCommit': '$.detail.sourceCommit', 'detail-pullRequestId': '$.detail.pullRequestId' }));
    expect(input.InputTemplate).toContain('"sourceVersion":<detail-sourceCommit>');
  });

  it('can be turned off, and refuses anything but true or false', () => {
    expect(checkProject(synth({ pullRequestChecks: false }))).toEqual([]);
    expect(() => synth({ pullRequestChecks: 'no' as unknown as boolean })).toThrow('pullRequestChecks "no" is not allowed: it must be true or false.');
  });

  it('follow the project option into the toolchain module', () => {
    expect(synthService({ pullRequestChecks: false })['infra/toolchain.generated.ts']).toContain('pullRequestChecks: false,');
    expect(synthService()['infra/toolchain.generated.ts']).not.toContain('pullRequestChecks');
    expect(() => synthService({ pullRequestChecks: 'off' as unknown as boolean })).toThrow('pullRequestChecks "off" is not allowed: it must be true or false.');
  });
});

describe('the pull-request check\'s role, evaluated by an IAM policy simulator', () => {
  const toolchain = synthesizeToolchain([], undefined, { production: { DB_PASSWORD: { secretsManager: 'orders/production/db' } } });
  const checkRole: Principal = { identityPolicies: policiesOfRole(toolchain, 'PipelinePullRequestChecksRole') };
  const buildRole: Principal = { identityPolicies: policiesOfRole(toolchain, 'PipelineBuildRole') };
  const repository = arn('ecr', `repository/${SERVICE}`);
  const buckets = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::S3::Bucket').map(id => `arn:aws:s3:::${id.toLowerCase()}`);
  const roles = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::IAM::Role' && !id.includes('PullRequestChecks')).map(id => `arn:aws:iam::${ACCOUNT}:role/${id}`);
  const production = [
    ...['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:BatchDeleteImage'].map(action => ({ action, resource: repository })),
    { action: 'ecr:GetAuthorizationToken', resource: '*' },
    ...buckets.flatMap(bucket => ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].map(action => ({ action, resource: `${bucket}/artifacts/Source/abc.zip` }))),
    { action: 'secretsmanager:GetSecretValue', resource: arn('secretsmanager', 'secret:orders/production/db-AbCdEf') },
    { action: 'ssm:GetParameters', resource: arn('ssm', 'parameter/orders/production/api-key') },
    ...['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteStack']
      .map(action => ({ action, resource: arn('cloudformation', `stack/${SERVICE}-production/6f1c2b3a-0000-4000-8000-000000000000`) })),
    ...roles.flatMap(role => [{ action: 'iam:PassRole', resource: role }, { action: 'sts:AssumeRole', resource: role }]),
    { action: 'codepipeline:StartPipelineExecution', resource: arn('codepipeline', SERVICE) },
    { action: 'codepipeline:PutApprovalResult', resource: arn('codepipeline', `${SERVICE}/production/Approve`) },
    { action: 'codebuild:StartBuild', resource: arn('codebuild', 'project/PipelineBuild-AbC123') },
    { action: 'ecs:UpdateService', resource: arn('ecs', `service/${SERVICE}-production/${SERVICE}`) },
    { action: 'codeconnections:UseConnection', resource: arn('codeconnections', 'connection/ffffffff-4e5f-6a7b-8c9d-0e1f2a3b4c5d') },
  ];

  it('may touch nothing production uses: no image push, artifact, secret, deploy, role or other connection', async () => {
    const answers = await decisions(checkRole, production);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
    expect(production.length).toBeGreaterThan(20);
  });

  it('is more contained than the pipeline\'s build, which may push the image and read the artifacts', async () => {
    const answers = await decisions(buildRole, [{ action: 'ecr:PutImage', resource: repository }, { action: 'ecr:GetAuthorizationToken', resource: '*' }]);
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('may use the pipeline\'s connection, which CodeBuild fetches the pull request and reports the status through', async () => {
    const answers = await decisions(checkRole, ['UseConnection', 'GetConnectionToken', 'GetConnection'].map(action => ({ action: `codeconnections:${action}`, resource: CONNECTION_ARN })));
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('encrypts with a key of its own, no key production uses', () => {
    const kmsResources = checkRole.identityPolicies.flatMap(({ policy }) => policy.Statement)
      .filter((statement: Json) => [statement.Action].flat().some((action: string) => action.startsWith('kms:')))
      .flatMap((statement: Json) => [statement.Resource].flat());
    expect(kmsResources).toEqual([expect.stringMatching(/^PipelinePullRequestChecksKey[0-9A-F]+\.Arn$/)]);
  });

  it('on a CodeCommit source, may read the repository and comment on its pull requests, never push', async () => {
    const stack = new Stack(new App(), 'Toolchain', { env: { account: ACCOUNT, region: REGION } });
    new CodeStarFargatePipeline(stack, 'Pipeline', { serviceName: SERVICE, source: PipelineSource.codeCommit({ repository: codecommit.Repository.fromRepositoryName(stack, 'Repo', SERVICE) }) });
    const resolve = (value: Json): Json => {
      if (Array.isArray(value)) {
        return value.map(resolve);
      }
      if (value === null || typeof value !== 'object') {
        return value;
      }
      if ('Ref' in value && ['AWS::Partition', 'AWS::Region', 'AWS::AccountId'].includes(value.Ref)) {
        return { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT }[value.Ref as string];
      }
      if ('Ref' in value) {
        return `ref-${value.Ref}`;
      }
      if ('Fn::GetAtt' in value) {
        return value['Fn::GetAtt'].join('.');
      }
      if ('Fn::Join' in value) {
        return resolve(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
      }
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, resolve(child)]));
    };
    const resources = resolve(Template.fromStack(stack).toJSON().Resources);
    const [roleId] = Object.keys(resources).filter(id => id.startsWith('PipelinePullRequestChecksRole') && resources[id].Type === 'AWS::IAM::Role');
    const role: Principal = {
      identityPolicies: Object.values<Json>(resources)
        .filter(resource => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.includes(`ref-${roleId}`))
        .map(resource => ({ name: resource.Properties.PolicyName, policy: resource.Properties.PolicyDocument })),
    };
    const own = arn('codecommit', SERVICE);
    const other = arn('codecommit', 'payments-api');
    const allowed = await decisions(role, [{ action: 'codecommit:GitPull', resource: own }, { action: 'codecommit:PostCommentForPullRequest', resource: own }]);
    expect(allowed.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
    const denied = await decisions(role, [
      { action: 'codecommit:GitPush', resource: own },
      { action: 'codecommit:MergePullRequestBySquash', resource: own },
      { action: 'codecommit:UpdatePullRequestApprovalState', resource: own },
      { action: 'codecommit:PostCommentForPullRequest', resource: other },
      { action: 'codecommit:GitPull', resource: other },
    ]);
    expect(denied.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });
});
