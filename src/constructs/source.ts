import { CfnResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitHost } from '../options';
import { PullRequestSource } from './pull-request-source';
import { recordSourceRevision } from './source-revision';

/** The branch a pipeline builds when none is given. */
const DEFAULT_BRANCH = 'main';

/** A CodeConnections (or older CodeStar Connections) connection ARN. */
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;

/** Owner and repository names as GitHub, GitLab and Bitbucket allow them. */
const REPOSITORY_PART = /^[A-Za-z0-9_.-]+$/;

/** The pipeline action's name, shown in the console. */
const SOURCE_ACTION_NAME = 'Source';

/** The source action's variables namespace, as the CodePipeline console names it: `#{SourceVariables.CommitId}`. */
const SOURCE_NAMESPACE = 'SourceVariables';

/** Each host's web address of a commit; a connection ARN does not say which host it reaches. */
const COMMIT_PAGES: Record<GitHost, (owner: string, repository: string, commitId: string) => string> = {
  [GitHost.GITHUB]: (owner, repository, commitId) => `https://github.com/${owner}/${repository}/commit/${commitId}`,
  [GitHost.GITLAB]: (owner, repository, commitId) => `https://gitlab.com/${owner}/${repository}/-/commit/${commitId}`,
  [GitHost.BITBUCKET]: (owner, repository, commitId) => `https://bitbucket.org/${owner}/${repository}/commits/${commitId}`,
};

/**
 * Options for a source in an AWS CodeCommit repository.
 */
export interface CodeCommitSourceOptions {
  /**
   * The repository holding the service (its `buildspec.yml` and `template.yml`).
   */
  readonly repository: codecommit.IRepository;

  /**
   * The branch whose pushes start the pipeline.
   *
   * @default "main"
   */
  readonly branch?: string;
}

/**
 * Options for a source reached through an AWS CodeConnections connection
 * (GitHub, GitHub Enterprise, GitLab, Bitbucket).
 */
export interface ConnectionSourceOptions {
  /**
   * ARN of an available connection, created and authorised once in the
   * console: `arn:aws:codeconnections:<region>:<account>:connection/<id>`
   * (older connections use the `codestar-connections` service prefix).
   */
  readonly connectionArn: string;

  /**
   * The repository's owner: the user or organisation, e.g. `my-org`.
   */
  readonly owner: string;

  /**
   * The repository's name, without the owner, e.g. `orders-api`.
   */
  readonly repository: string;

  /**
   * The branch whose pushes start the pipeline.
   *
   * @default "main"
   */
  readonly branch?: string;

  /**
   * Where the repository is hosted (github.com, gitlab.com or bitbucket.org): each manual approval then links to
   * the commit it asks about.
   *
   * @default - the approval links to the pipeline execution in the CodePipeline console, which shows the commit
   */
  readonly host?: GitHost;
}

/**
 * Where the pipeline gets the service's source code from.
 */
export abstract class PipelineSource {
  /**
   * The service's source in an AWS CodeCommit repository; pushes to the
   * branch start the pipeline through an EventBridge rule. A repository
   * created in the same app is retained when its stack deletes or replaces
   * it: the source history outlives the toolchain.
   */
  public static codeCommit(options: CodeCommitSourceOptions): PipelineSource {
    const created = options.repository.node.defaultChild;
    if (created instanceof CfnResource) {
      created.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    return new CodeCommitSource(options.repository, branchOf(options.branch));
  }

  /**
   * The service's source in GitHub, GitLab or Bitbucket, through an AWS
   * CodeConnections connection; pushes to the branch start the pipeline.
   *
   * @example
   * import { PipelineSource } from 'projen-codestar-fargate';
   *
   * const source = PipelineSource.connection({
   *   connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
   *   owner: 'my-org',
   *   repository: 'orders-api',
   *   branch: 'main',
   * });
   */
  public static connection(options: ConnectionSourceOptions): PipelineSource {
    if (!Token.isUnresolved(options.connectionArn) && !CONNECTION_ARN.test(options.connectionArn)) {
      throw new Error(`connectionArn ${JSON.stringify(options.connectionArn)} is not allowed: it must be a connection ARN such as "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" (or with the older "codestar-connections" prefix).`);
    }
    requireRepositoryPart('owner', options.owner);
    requireRepositoryPart('repository', options.repository);
    if (options.host !== undefined && !Object.values(GitHost).includes(options.host)) {
      throw new Error(`host ${JSON.stringify(options.host)} is not allowed: use one of ${Object.values(GitHost).map(host => `GitHost.${host}`).join(', ')}, or leave it out for a host none of these is.`);
    }
    return new ConnectionSource(options.connectionArn, options.owner, options.repository, branchOf(options.branch), options.host);
  }

  /** The branch whose pushes start the pipeline. */
  public abstract readonly branch: string;

  /**
   * Creates the pipeline's source action, writing the source to `output`.
   */
  public abstract createAction(output: codepipeline.Artifact): codepipeline.IAction;

  /** What the pull-request checks build from. @internal */
  public abstract _pullRequestSource(): PullRequestSource;
}

class CodeCommitSource extends PipelineSource {
  constructor(private readonly repository: codecommit.IRepository, public readonly branch: string) {
    super();
  }

  /** @internal */
  public _pullRequestSource(): PullRequestSource {
    return { kind: 'codecommit', repository: this.repository, branch: this.branch };
  }

  public createAction(output: codepipeline.Artifact): codepipeline.IAction {
    const action = new actions.CodeCommitSourceAction({
      actionName: SOURCE_ACTION_NAME,
      variablesNamespace: SOURCE_NAMESPACE,
      repository: this.repository,
      branch: this.branch,
      output,
    });
    const { commitId, commitMessage } = action.variables;
    const region = this.repository.env.region;
    recordSourceRevision(action, {
      commitId,
      commitMessage,
      commitLink: `https://${region}.console.aws.amazon.com/codesuite/codecommit/repositories/${this.repository.repositoryName}/commit/${commitId}?region=${region}`,
    });
    return action;
  }
}

class ConnectionSource extends PipelineSource {
  constructor(
    private readonly connectionArn: string,
    private readonly owner: string,
    private readonly repository: string,
    public readonly branch: string,
    private readonly host: GitHost | undefined,
  ) {
    super();
  }

  /** @internal */
  public _pullRequestSource(): PullRequestSource {
    return { kind: 'connection', connectionArn: this.connectionArn, owner: this.owner, repository: this.repository, branch: this.branch, host: this.host };
  }

  public createAction(output: codepipeline.Artifact): codepipeline.IAction {
    const action = new ConnectionSourceAction({
      actionName: SOURCE_ACTION_NAME,
      variablesNamespace: SOURCE_NAMESPACE,
      connectionArn: this.connectionArn,
      owner: this.owner,
      repo: this.repository,
      branch: this.branch,
      output,
    });
    const { commitId, commitMessage } = action.variables;
    recordSourceRevision(action, {
      commitId,
      commitMessage,
      commitLink: this.host === undefined ? undefined : COMMIT_PAGES[this.host](this.owner, this.repository, commitId),
    });
    return action;
  }
}

/**
 * The CDK grants only the older `codestar-connections:UseConnection`; connections
 * created since the CodeConnections rename are authorised by `codeconnections:UseConnection`.
 */
class ConnectionSourceAction extends actions.CodeStarConnectionsSourceAction {
  constructor(private readonly sourceProps: actions.CodeStarConnectionsSourceActionProps) {
    super(sourceProps);
  }

  protected bound(scope: Construct, stage: codepipeline.IStage, options: codepipeline.ActionBindOptions): codepipeline.ActionConfig {
    const config = super.bound(scope, stage, options);
    options.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['codeconnections:UseConnection'],
      resources: [this.sourceProps.connectionArn],
    }));
    return config;
  }
}

function branchOf(branch: string | undefined): string {
  const value = branch ?? DEFAULT_BRANCH;
  // Git refuses empty names, whitespace and ".." in branch names.
  if (typeof value !== 'string' || value.length === 0 || /\s|\.\./.test(value)) {
    throw new Error(`branch ${JSON.stringify(value)} is not allowed: give a git branch name without spaces or "..", e.g. "main".`);
  }
  return value;
}

function requireRepositoryPart(prop: string, value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || !REPOSITORY_PART.test(value)) {
    throw new Error(`${prop} ${JSON.stringify(value)} is not allowed: it must be a non-empty name of letters, digits, "-", "_" and ".", without "/", e.g. "orders-api".`);
  }
}
