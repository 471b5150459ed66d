import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { synthService } from './helpers';
import { MAX_APPROVAL_FIELD_LENGTH } from '../src/constructs/approval';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { GitHost } from '../src/options';

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const connection = (host?: GitHost) => PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api', host });

interface Action { Name: string; RunOrder: number; Namespace?: string; Configuration: any }
interface StageJson { Name: string; Actions: Action[] }

function synth(props: Partial<CodeStarFargatePipelineProps> = {}, source?: (stack: Stack) => PipelineSource): { stack: Stack; stages: StageJson[] } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'approval-test-')) });
  const stack = new Stack(app, 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Toolchain', { serviceName: 'orders-api', source: source?.(stack) ?? connection(GitHost.GITHUB), ...props });
  const pipelines = Object.values(Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline'));
  return { stack, stages: pipelines[0].Properties.Stages };
}

function approvalOf(stages: StageJson[], stageName: string): { CustomData: string; ExternalEntityLink: unknown } {
  const action = stages.find(stage => stage.Name === stageName)!.Actions.find(candidate => candidate.Name === 'Approve');
  expect(action).toBeDefined();
  return action!.Configuration;
}

/** The `#{namespace.variable}` references in a text. */
function variablesIn(text: string): string[] {
  return [...text.matchAll(/#\{([^}]+)\}/g)].map(match => match[1]);
}

describe('the manual approval before production', () => {
  it('shows the commit id, branch and message, the image digest and dev\'s smoke test result', () => {
    const { CustomData } = approvalOf(synth().stages, 'production');
    expect(CustomData).toBe('Approve to deploy orders-api to production: commit #{SourceVariables.CommitId} of main, '
      + 'image #{Build.IMAGE_URI}. dev\'s smoke test on this image: #{SmokeTest-orders-api-dev.SMOKE_TEST_RESULT}. '
      + 'Commit message: #{SourceVariables.CommitMessage}');
  });

  it('reads only variables of actions that ran before it (earlier stages, the source, the build) or of the execution', () => {
    const { stages } = synth();
    const productionIndex = stages.findIndex(stage => stage.Name === 'production');
    const earlierNamespaces = stages.slice(0, productionIndex).flatMap(stage => stage.Actions.map(action => action.Namespace)).filter(Boolean);
    const { CustomData, ExternalEntityLink } = approvalOf(stages, 'production');
    const referenced = [...variablesIn(CustomData), ...variablesIn(JSON.stringify(ExternalEntityLink))].map(name => name.split('.')[0]);
    expect(referenced.length).toBeGreaterThan(0);
    for (const namespace of referenced) {
      expect([...earlierNamespaces, 'codepipeline']).toContain(namespace);
    }
  });

  it.each([
    [GitHost.GITHUB, 'https://github.com/acme/orders-api/commit/#{SourceVariables.CommitId}'],
    [GitHost.GITLAB, 'https://gitlab.com/acme/orders-api/-/commit/#{SourceVariables.CommitId}'],
    [GitHost.BITBUCKET, 'https://bitbucket.org/acme/orders-api/commits/#{SourceVariables.CommitId}'],
  ])('links to the commit on %s for a connection to it', (host, link) => {
    expect(approvalOf(synth({}, () => connection(host)).stages, 'production').ExternalEntityLink).toBe(link);
  });

  it('links to the pipeline execution in the console for a connection whose host is not given', () => {
    const { ExternalEntityLink } = approvalOf(synth({}, () => connection()).stages, 'production');
    expect(ExternalEntityLink).toEqual({
      'Fn::Join': ['', [
        'https://', { Ref: 'AWS::Region' },
        '.console.aws.amazon.com/codesuite/codepipeline/pipelines/orders-api/executions/#{codepipeline.PipelineExecutionId}/timeline?region=',
        { Ref: 'AWS::Region' },
      ]],
    });
  });

  it('links to the commit in the CodeCommit console for a CodeCommit repository', () => {
    const { stack, stages } = synth({}, scope => PipelineSource.codeCommit({ repository: new codecommit.Repository(scope, 'Repository', { repositoryName: 'orders-api' }) }));
    const { ExternalEntityLink, CustomData } = approvalOf(stages, 'production');
    const repositoryId = stack.getLogicalId(stack.node.findChild('Repository').node.defaultChild as any);
    expect(ExternalEntityLink).toEqual({
      'Fn::Join': ['', [
        'https://', { Ref: 'AWS::Region' },
        '.console.aws.amazon.com/codesuite/codecommit/repositories/', { 'Fn::GetAtt': [repositoryId, 'Name'] },
        '/commit/#{SourceVariables.CommitId}?region=', { Ref: 'AWS::Region' },
      ]],
    });
    expect(CustomData).toContain('commit #{SourceVariables.CommitId} of main');
    expect(CustomData).toContain('Commit message: #{SourceVariables.CommitMessage}');
  });

  it('shows the smoke test of the stage right before it, on the same image', () => {
    const { stages } = synth({ stages: [{ name: 'dev' }, { name: 'staging' }, { name: 'production' }] });
    expect(approvalOf(stages, 'production').CustomData).toContain('staging\'s smoke test on this image: #{SmokeTest-orders-api-staging.SMOKE_TEST_RESULT}.');
  });

  it('says so when no stage before it ran a smoke test, or the pipeline runs none', () => {
    expect(approvalOf(synth({ stages: [{ name: 'production' }] }).stages, 'production').CustomData)
      .toContain('No stage before production ran the smoke test on this image.');
    expect(approvalOf(synth({ smokeTest: false }).stages, 'production').CustomData)
      .toContain('The pipeline runs no smoke test (smokeTest: false).');
  });

  it('keeps each configuration field within CodePipeline\'s 1,000 characters, variables unresolved, with the longest names', () => {
    // 32 characters is the most a service name and "-<stage>" may have together.
    const { stages } = synth({ serviceName: 'a'.repeat(15), stages: [{ name: 'b'.repeat(16) }, { name: 'c'.repeat(16), approvalRequired: true }] });
    const { CustomData, ExternalEntityLink } = approvalOf(stages, 'c'.repeat(16));
    expect(CustomData.length).toBeLessThanOrEqual(MAX_APPROVAL_FIELD_LENGTH);
    expect(String(ExternalEntityLink).length).toBeLessThanOrEqual(MAX_APPROVAL_FIELD_LENGTH);
  });

  it('refuses a host it cannot link to, naming the option and the hosts allowed', () => {
    expect(() => connection('CODEBERG' as GitHost))
      .toThrow('host "CODEBERG" is not allowed: use one of GitHost.GITHUB, GitHost.GITLAB, GitHost.BITBUCKET, or leave it out for a host none of these is.');
  });
});

describe('the smoke test\'s exported result', () => {
  /** The smoke test project's build commands, run as CodeBuild runs a phase: in order, stopping at the first failure. */
  function runSmokeTestPhase(script: string): { status: number | null; result: string } {
    const { stack } = synth();
    const projects = Object.values(Template.fromStack(stack).findResources('AWS::CodeBuild::Project'));
    const smokeTest = projects.map(project => project.Properties.Source.BuildSpec).filter(spec => spec?.startsWith('{')).map(spec => JSON.parse(spec)).find(spec => spec?.env?.['exported-variables']?.includes('SMOKE_TEST_RESULT'));
    expect(smokeTest).toBeDefined();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-phase-'));
    fs.writeFileSync(path.join(folder, 'smoke-test.sh'), script);
    const commands = [...smokeTest.phases.build.commands, 'echo "SMOKE_TEST_RESULT=${SMOKE_TEST_RESULT:-}"'].join(' && ');
    const run = spawnSync('bash', ['-c', commands], { cwd: folder, encoding: 'utf-8', env: { ...process.env, SERVICE_URL: 'https://dev.example.com', CODEBUILD_BUILD_ID: 'orders-api-smoke:1' } });
    return { status: run.status, result: /SMOKE_TEST_RESULT=(.*)/.exec(run.stdout)?.[1] ?? '' };
  }

  it('says the script passed, against which URL and in which build, when it passed', () => {
    expect(runSmokeTestPhase('exit 0\n')).toEqual({ status: 0, result: 'passed against https://dev.example.com (CodeBuild build orders-api-smoke:1)' });
  });

  it('is never set when the script fails', () => {
    expect(runSmokeTestPhase('exit 3\n')).toEqual({ status: 3, result: '' });
  });
});

describe('the project type\'s sourceHost', () => {
  const connectionOptions = { sourceConnectionArn: CONNECTION_ARN, sourceRepository: 'acme/orders-api' };

  it('passes the host to the generated toolchain\'s source, so its approvals link to the commit', () => {
    const toolchain: string = synthService({ ...connectionOptions, sourceHost: GitHost.GITLAB })['infra/toolchain.generated.ts'];
    expect(toolchain).toContain('PipelineSource.connection({ connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", owner: "acme", repository: "orders-api", branch: "main", host: GitHost.GITLAB })');
    expect(toolchain).toMatch(/import \{ [^}]*GitHost, PipelineSource \} from 'projen-codestar-fargate';/);
  });

  it('leaves the toolchain as it was without one', () => {
    const toolchain: string = synthService(connectionOptions)['infra/toolchain.generated.ts'];
    expect(toolchain).not.toContain('GitHost');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown host', { ...connectionOptions, sourceHost: 'CODEBERG' }, 'sourceHost "CODEBERG" is not allowed: use one of GitHost.GITHUB, GitHost.GITLAB, GitHost.BITBUCKET, or leave it out for a host none of these is.'],
    ['a host without a connection', { sourceHost: GitHost.GITHUB }, 'sourceHost "GITHUB" is not allowed without sourceConnectionArn and sourceRepository: a CodeCommit source links to the CodeCommit console.'],
  ])('refuses %s, naming the option', (_what, options, message) => {
    expect(() => synthService(options as any)).toThrow(message);
  });
});
