import { CfnResource, Duration, Token, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BuildEnvironment, SourceFile } from '../contract';
import { GitHost } from '../options';
import { codeBuildDefaultGrants, LOG_GROUP_ENCRYPTION_REASON, skipCheckov } from './findings';
import { PullRequestSource } from './pull-request-source';
import { PipelineSource } from './source';

type ConnectionSource = Extract<PullRequestSource, { kind: 'connection' }>;
type CodeCommitSource = Extract<PullRequestSource, { kind: 'codecommit' }>;

/** What the pull-request checks are made from: the pipeline's source and its build's settings. */
export interface PullRequestChecksProps {
  readonly serviceName: string;
  readonly source: PipelineSource;
  readonly buildImage: codebuild.IBuildImage;
  readonly computeType: codebuild.ComputeType;
  readonly timeout: Duration;
  /** The repository's URI, which the image is tagged with locally; the check may not push to it. */
  readonly repositoryUri: string;
  /** The deployed toolchain's setting digests, as the pipeline's build has them. */
  readonly toolchainSettings?: { [setting: string]: string };
}

/** The pull-request events of a connection's host that start a check: opened, new commits, reopened. */
const PULL_REQUEST_EVENTS = [
  codebuild.EventAction.PULL_REQUEST_CREATED,
  codebuild.EventAction.PULL_REQUEST_UPDATED,
  codebuild.EventAction.PULL_REQUEST_REOPENED,
];

/** CodeCommit's events for a pull request that was opened or got new commits. */
const CODECOMMIT_PULL_REQUEST_EVENTS = ['pullRequestCreated', 'pullRequestSourceBranchUpdated'];

/** CodeBuild's source type for each host a connection reaches; GitHub when the host is not given. */
const SOURCE_TYPES: Record<GitHost, string> = { [GitHost.GITHUB]: 'GITHUB', [GitHost.GITLAB]: 'GITLAB', [GitHost.BITBUCKET]: 'BITBUCKET' };
const CLONE_URLS: Record<GitHost, (owner: string, repository: string) => string> = {
  [GitHost.GITHUB]: (owner, repository) => `https://github.com/${owner}/${repository}.git`,
  [GitHost.GITLAB]: (owner, repository) => `https://gitlab.com/${owner}/${repository}.git`,
  [GitHost.BITBUCKET]: (owner, repository) => `https://bitbucket.org/${owner}/${repository}.git`,
};

/**
 * A CodeBuild project that runs `buildspec.yml` on every pull request to the pipeline's branch with
 * `PULL_REQUEST_CHECK=true`: the same tests, checks and `docker build`, no push, no deploy. It runs code nobody
 * has reviewed yet, so its role has no secret, no ECR push, no artifact bucket and no key production uses: only
 * its own logs, reports and key, reading the source, and reporting back (the commit status through the
 * connection, or a comment on the CodeCommit pull request).
 */
export class PullRequestChecks extends Construct {
  public readonly project: codebuild.Project;

  constructor(scope: Construct, id: string, props: PullRequestChecksProps) {
    super(scope, id);
    const { serviceName } = props;
    const source = props.source._pullRequestSource();
    const key = new kms.Key(this, 'Key', {
      description: `Encrypts the pull-request checks of ${serviceName}; no other build uses it`,
      enableKeyRotation: true,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    skipCheckov(logGroup, 'CKV_AWS_158', LOG_GROUP_ENCRYPTION_REASON);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: `Runs the pull-request checks of ${serviceName}: code nobody has reviewed yet, so no secret, no push, no deploy`,
    });

    this.project = new codebuild.Project(this, 'Project', {
      role,
      description: `Tests ${serviceName}'s pull requests with buildspec.yml (PULL_REQUEST_CHECK=true): no push, no deploy`,
      source: source.kind === 'connection' ? connectionSource(source) : codebuild.Source.codeCommit({ repository: source.repository }),
      buildSpec: codebuild.BuildSpec.fromSourceFilename(SourceFile.BUILDSPEC),
      environment: {
        buildImage: props.buildImage,
        computeType: props.computeType,
        // docker build needs the Docker daemon, which only privileged mode starts.
        privileged: true,
      },
      environmentVariables: {
        [BuildEnvironment.REPOSITORY_URI]: { value: props.repositoryUri },
        [BuildEnvironment.PULL_REQUEST_CHECK]: { value: 'true' },
        // The same settings as the pipeline's build: the check names those that will wait for a toolchain deploy.
        ...(props.toolchainSettings !== undefined
          ? { [BuildEnvironment.DEPLOYED_TOOLCHAIN_SETTINGS]: { value: JSON.stringify(props.toolchainSettings) } }
          : {}),
      },
      // No cache: a pull request's build must leave nothing another build reads.
      encryptionKey: key,
      timeout: props.timeout,
      logging: { cloudWatch: { logGroup } },
    });
    const grants = codeBuildDefaultGrants(role, this.project);
    Validations.of(role).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::${grants.logGroup}]`, reason: 'CodeBuild\'s default log group of this project only; ":*" names its log streams, which CodeBuild creates per build.' },
      { id: `AwsSolutions-IAM5[Resource::${grants.reportGroups}]`, reason: 'Test report groups of this project only, which CodeBuild names after the project plus the buildspec\'s report name.' },
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: 'The CDK\'s grant on this project\'s own key only.' },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: 'The CDK\'s grant on this project\'s own key only.' },
    );

    if (source.kind === 'connection') {
      authenticateWithConnection(this.project, source);
      // CodeBuild fetches the pull request and posts its status through the connection, checked when the webhook is created.
      // A policy of its own: the default policy names the project, which must wait for this one.
      const connectionUse = new iam.Policy(this, 'ConnectionUse', {
        roles: [role],
        statements: [new iam.PolicyStatement({
          actions: connectionPrefixes(source.connectionArn).flatMap(prefix => ['UseConnection', 'GetConnectionToken', 'GetConnection'].map(action => `${prefix}:${action}`)),
          resources: [source.connectionArn],
        })],
      });
      this.project.node.addDependency(connectionUse);
    } else {
      reportToCodeCommit(this, this.project, role, source);
    }
  }
}

/** The connection's repository with a webhook for pull requests to the pipeline's branch, reporting the build's status. */
function connectionSource(source: ConnectionSource): codebuild.ISource {
  const props = {
    owner: source.owner,
    repo: source.repository,
    webhook: true,
    reportBuildStatus: true,
    // CodeBuild reads the pattern as a regular expression: exactly the pipeline's branch.
    // Bitbucket sends no reopened event.
    webhookFilters: [codebuild.FilterGroup.inEventOf(...PULL_REQUEST_EVENTS.filter(event => source.host !== GitHost.BITBUCKET || event !== codebuild.EventAction.PULL_REQUEST_REOPENED)).andBaseRefIs(`^refs/heads/${source.branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)],
  };
  return source.host === GitHost.BITBUCKET ? codebuild.Source.bitBucket(props) : codebuild.Source.gitHub(props);
}

/** The CDK knows only OAuth tokens for these sources: the connection is CloudFormation's Source.Auth CODECONNECTIONS. */
function authenticateWithConnection(project: codebuild.Project, source: ConnectionSource): void {
  const host = source.host ?? GitHost.GITHUB;
  const cfn = project.node.defaultChild as CfnResource;
  cfn.addPropertyOverride('Source.Auth', { Type: 'CODECONNECTIONS', Resource: source.connectionArn });
  cfn.addPropertyOverride('Source.Type', SOURCE_TYPES[host]);
  cfn.addPropertyOverride('Source.Location', CLONE_URLS[host](source.owner, source.repository));
  if (host === GitHost.GITHUB) {
    // A pull request from a fork runs only once someone with write access comments to approve it.
    cfn.addPropertyOverride('Triggers.PullRequestBuildPolicy', { RequiresCommentApproval: 'FORK_PULL_REQUESTS' });
  }
}

/** IAM names a connection's actions by its ARN's service; both when the ARN is a token. */
function connectionPrefixes(connectionArn: string): string[] {
  return Token.isUnresolved(connectionArn) ? ['codeconnections', 'codestar-connections'] : [connectionArn.split(':')[2]];
}

/**
 * CodeCommit has no webhook: an EventBridge rule starts the check on the pull request's source commit, and the
 * build's last step comments the result on the pull request (only on this repository).
 */
function reportToCodeCommit(scope: Construct, project: codebuild.Project, role: iam.Role, source: CodeCommitSource): void {
  const { repository, branch } = source;
  const detail = (field: string) => events.EventField.fromPath(`$.detail.${field}`);
  new events.Rule(scope, 'PullRequests', {
    description: `Starts the pull-request check of ${repository.repositoryName} on pull requests to ${branch}`,
    eventPattern: {
      source: ['aws.codecommit'],
      detailType: ['CodeCommit Pull Request State Change'],
      resources: [repository.repositoryArn],
      detail: { event: CODECOMMIT_PULL_REQUEST_EVENTS, destinationReference: [`refs/heads/${branch}`] },
    },
    targets: [new targets.CodeBuildProject(project, {
      event: events.RuleTargetInput.fromObject({
        sourceVersion: detail('sourceCommit'),
        environmentVariablesOverride: [
          { name: BuildEnvironment.PULL_REQUEST_ID, value: detail('pullRequestId'), type: 'PLAINTEXT' },
          { name: BuildEnvironment.SOURCE_COMMIT, value: detail('sourceCommit'), type: 'PLAINTEXT' },
          { name: BuildEnvironment.DESTINATION_COMMIT, value: detail('destinationCommit'), type: 'PLAINTEXT' },
          { name: BuildEnvironment.REPOSITORY_NAME, value: repository.repositoryName, type: 'PLAINTEXT' },
        ],
      }),
    })],
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['codecommit:PostCommentForPullRequest'],
    resources: [repository.repositoryArn],
  }));
}
