import { Aws, CfnCapabilities, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import {
  BuildEnvironment,
  BuildVariable,
  PRODUCTION_STAGE_NAMES,
  SourceFile,
  TemplateOutput,
  TemplateParameter,
  deployedTagPrefix,
  rolePath,
  stackName,
} from '../contract';
import { resolveDeploymentStrategy, ResolvedDeploymentStrategy } from '../deployment-strategy';
import { validateExtraResourceTypes } from '../extra-resource-types';
import { requireBoolean, requireInteger, validateNotificationEmails } from '../option-checks';
import { healthCheckPathUnderServiceUrl } from '../platform-membership';
import { DEFAULT_STAGES, resolveSecrets } from '../stage-settings';
import { SETTING_DIGEST_PATTERN } from '../toolchain-settings';
import { validateHealthCheckPath, validateServiceAndStageNames } from '../validation';
import { EarlierSmokeTest, pipelineExecutionLink, smokeTestResultVariable, stageApprovalAction } from './approval';
import { createArtifactStore } from './artifact-store';
import { createStagePermissions, validateTaskPermissions } from './deploy-permissions';
import { acknowledgeArtifactGrants, codeBuildDefaultGrants, LOG_GROUP_ENCRYPTION_REASON, nagName, skipCheckov } from './findings';
import { CodeStarFargatePipelineProps, PipelineStage } from './pipeline-props';
import { pipelineHealthCheckPath, platformParameterNames, platformStageVpc, validatePlatformStages } from './platform-stage';
import { PullRequestChecks } from './pull-request-checks';
import { warnAboutSharedSettings } from './shared-settings';
import { SMOKE_TEST_RESULT, SmokeTest } from './smoke-test';
import { PipelineSource } from './source';
import { sourceRevisionOf } from './source-revision';
import { acknowledgeCrossAccountGrants, stageEnvironment, validateStageEnvironment } from './stage-environment';
import { StageGuard } from './stage-guard';
import { createStageVpc, stageSubnetIds, taskSubnetsParameterOverrides, validateStageNetwork } from './stage-network';
import { createStageTopics, notifyStageTopic } from './stage-notifications';
import { defaultBuildImage, platformParameterOverrides, stageDomain, validatePlatformProps, validateStagePlatform, warnAboutStagePlatform } from './stage-platform';

/** The build action's variables namespace: deploy actions read `#{Build.IMAGE_URI}`. */
const BUILD_NAMESPACE = 'Build';

/** How many images the repository keeps unless told otherwise, besides those the stages run. */
const DEFAULT_IMAGE_RETENTION_COUNT = 30;

/** Per stage, the images it ran last that the repository never expires: the current one and two to roll back to. */
const IMAGES_KEPT_PER_STAGE = 3;

/** How long an image keeps a stage's rule: ECR's age rule needs an age, and no forger can fill an age as they can a count. */
const STAGE_IMAGE_MAX_AGE_DAYS = 3650;

/** An ACM certificate ARN. */
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;

// The props live in their own file so the stage helpers can read them without importing the construct.
export * from './pipeline-props';

/**
 * The toolchain of a container service on ECS Fargate, as AWS CodeStar once
 * created it: a CodePipeline (V2) that takes the source, builds and pushes the
 * image with CodeBuild (`buildspec.yml`), then deploys `template.yml` with
 * CloudFormation to each stage in order, behind a manual approval before
 * production. Also creates the ECR repository, the encrypted artifact bucket,
 * and per stage a network, a permissions boundary and a deployment role that
 * can reach nothing of another stage.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as codecommit from 'aws-cdk-lib/aws-codecommit';
 * import { CodeStarFargatePipeline, PipelineSource, PipelineStage } from 'projen-codestar-fargate';
 *
 * const app = new App();
 * // Environment-agnostic, so `cdk synth` needs no AWS credentials.
 * const stack = new Stack(app, 'Toolchain');
 * const repository = new codecommit.Repository(stack, 'Repository', { repositoryName: 'orders-api' });
 * // Production waits for a manual approval.
 * const stages: PipelineStage[] = [{ name: 'dev' }, { name: 'production' }];
 * new CodeStarFargatePipeline(stack, 'Pipeline', {
 *   serviceName: 'orders-api',
 *   source: PipelineSource.codeCommit({ repository }),
 *   stages,
 * });
 */
export class CodeStarFargatePipeline extends Construct {
  /** The pipeline. */
  public readonly pipeline: codepipeline.Pipeline;

  /** The ECR repository the build pushes the service's images to. */
  public readonly repository: ecr.Repository;

  /** The CodeBuild project that runs `buildspec.yml`. */
  public readonly buildProject: codebuild.PipelineProject;

  /** The CodeBuild project that checks pull requests; undefined with `pullRequestChecks: false`. */
  public readonly pullRequestProject?: codebuild.Project;

  /** The pipeline's artifact bucket, also where `aws cloudformation package` uploads. */
  public readonly artifactBucket: s3.Bucket;

  /** The KMS key encrypting the artifact bucket and the build. */
  public readonly artifactKey: kms.Key;

  private readonly stageVpcs = new Map<string, ec2.IVpc>();
  private readonly deploymentRoles = new Map<string, iam.Role>();
  private readonly permissionsBoundaries = new Map<string, iam.ManagedPolicy>();
  private readonly notificationTopics = new Map<string, sns.ITopic>();

  constructor(scope: Construct, id: string, props: CodeStarFargatePipelineProps) {
    super(scope, id);
    // Deliver access logs by bucket policy, not the deprecated log-delivery ACL, whatever the app's feature flags.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const stages: PipelineStage[] = props.stages ?? DEFAULT_STAGES.map(name => ({ name }));
    validateProps(props, stages, Stack.of(this));
    warnAboutSharedSettings(this, props, stages);
    const { serviceName } = props;
    const imageRetentionCount = props.imageRetentionCount ?? DEFAULT_IMAGE_RETENTION_COUNT;

    const artifacts = createArtifactStore(this, `Encrypts the pipeline artifacts and builds of ${serviceName}`);
    this.artifactKey = artifacts.key;
    this.artifactBucket = artifacts.bucket;
    // The stacks of stages in other accounts or regions, and the artifact bucket of each other region.
    const environments = new Map(stages.map(stage => [stage.name, stageEnvironment(this, serviceName, stage)]));
    const crossRegionReplicationBuckets: { [region: string]: s3.IBucket } = {};
    // CodeBuild encrypts with a key of its own region.
    const regionKeys = new Map<string, kms.IKey>([[Stack.of(this).region, this.artifactKey]]);
    for (const environment of environments.values()) {
      if (environment && !regionKeys.has(environment.region)) {
        const replication = createArtifactStore(environment, `Encrypts ${serviceName}'s pipeline artifacts in ${environment.region}`);
        crossRegionReplicationBuckets[environment.region] = replication.bucket;
        regionKeys.set(environment.region, replication.key);
      }
    }

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: serviceName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      removalPolicy: RemovalPolicy.RETAIN,
      // A dev build can push any tag (ECR has no condition key on tag names), so a count a forger can fill never
      // expires a stage's image: an image with a stage's tag goes to that stage's rule (ECR gives each image to the
      // first rule whose tags it matches), which only expires after ten years; the guard keeps that tag on the last
      // images the stage ran, by its own record (see StageGuard), and takes it off forged ones, which fall to the count rule.
      lifecycleRules: [
        ...[...stages].reverse().map((stage, index) => ({
          // Last stage first: an image production runs that still carries a tag from before its guard pruned belongs to production's rule.
          rulePriority: index + 1,
          description: `Keep the images ${stage.name} ran last (its guard leaves its tag on ${IMAGES_KEPT_PER_STAGE})`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: [`${deployedTagPrefix(stage.name)}*`],
          maxImageAge: Duration.days(STAGE_IMAGE_MAX_AGE_DAYS),
        })),
        { description: `Keep the last ${imageRetentionCount} images`, maxImageCount: imageRetentionCount },
      ],
    });

    const buildLogs = new logs.LogGroup(this, 'BuildLogs', { retention: logs.RetentionDays.ONE_YEAR });
    skipCheckov(buildLogs, 'CKV_AWS_158', LOG_GROUP_ENCRYPTION_REASON);
    this.buildProject = new codebuild.PipelineProject(this, 'Build', {
      description: `Tests ${serviceName}, then builds and pushes its image`,
      buildSpec: codebuild.BuildSpec.fromSourceFilename(SourceFile.BUILDSPEC),
      environment: {
        buildImage: props.buildImage ?? defaultBuildImage(props.architecture),
        computeType: props.buildComputeType ?? codebuild.ComputeType.SMALL,
        // Docker builds need the Docker daemon, which only privileged mode starts.
        privileged: true,
      },
      environmentVariables: {
        [BuildEnvironment.REPOSITORY_URI]: { value: this.repository.repositoryUri },
        ...(props.toolchainSettings !== undefined
          ? { [BuildEnvironment.DEPLOYED_TOOLCHAIN_SETTINGS]: { value: JSON.stringify(props.toolchainSettings) } }
          : {}),
      },
      // Any commit's build runs root on a privileged Docker daemon, so nothing it leaves may reach another commit's
      // image unchecked: no Docker layer cache (Docker never re-verifies a cached layer), and only the custom paths
      // the buildspec names, which runtimes keep to caches the build verifies (npm ci checks every package against the
      // commit's package-lock.json; Maven's ~/.m2 is not cached, as Maven does not re-verify what it holds).
      cache: codebuild.Cache.local(codebuild.LocalCacheMode.CUSTOM),
      encryptionKey: this.artifactKey,
      timeout: props.buildTimeout ?? Duration.minutes(30),
      logging: {
        cloudWatch: { logGroup: buildLogs },
      },
    });
    this.repository.grantPullPush(this.buildProject);
    const buildRole = this.buildProject.role!;
    const buildGrants = codeBuildDefaultGrants(buildRole, this.buildProject);
    Validations.of(buildRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Only ecr:GetAuthorizationToken (docker login), which AWS supports on no narrower resource; pushing is limited to this service\'s repository.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${buildGrants.logGroup}]`,
        reason: 'CodeBuild\'s default log group of this project only; ":*" names its log streams, which CodeBuild creates per build.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${buildGrants.reportGroups}]`,
        reason: 'Test report groups of this project only, which CodeBuild names after the project plus the buildspec\'s report name.',
      },
    );
    acknowledgeArtifactGrants(buildRole, this.artifactBucket);
    if (props.pullRequestChecks ?? true) {
      this.pullRequestProject = new PullRequestChecks(this, 'PullRequestChecks', {
        serviceName,
        source: props.source,
        buildImage: props.buildImage ?? defaultBuildImage(props.architecture),
        computeType: props.buildComputeType ?? codebuild.ComputeType.SMALL,
        timeout: props.buildTimeout ?? Duration.minutes(30),
        repositoryUri: this.repository.repositoryUri,
        toolchainSettings: props.toolchainSettings,
      }).project;
    }

    const sourceOutput = new codepipeline.Artifact('Source');
    const sourceAction = props.source.createAction(sourceOutput);
    // No output artifact: the build role may then only read the bucket, so no build can change what waits for approval.
    const buildAction = new actions.CodeBuildAction({
      actionName: 'Build',
      project: this.buildProject,
      input: sourceOutput,
      variablesNamespace: BUILD_NAMESPACE,
    });

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: serviceName,
      pipelineType: codepipeline.PipelineType.V2,
      // CodePipeline takes either one bucket, or one per region including its own.
      ...(Object.keys(crossRegionReplicationBuckets).length === 0
        ? { artifactBucket: this.artifactBucket }
        : { crossRegionReplicationBuckets: { ...crossRegionReplicationBuckets, [Stack.of(this).region]: this.artifactBucket } }),
      restartExecutionOnUpdate: false,
      stages: [
        { stageName: 'Source', actions: [sourceAction] },
        { stageName: 'Build', actions: [buildAction] },
      ],
    });

    const smokeTest = props.smokeTest === false ? undefined : new SmokeTest(this, 'SmokeTest', {
      serviceName,
      // Under the service's URL, which on a platform path already ends in it.
      healthCheckPath: healthCheckPathUnderServiceUrl(pipelineHealthCheckPath(props), props.platformPath),
      encryptionKey: this.artifactKey,
    });
    if (smokeTest) {
      acknowledgeArtifactGrants(smokeTest.project.role!, this.artifactBucket);
    }

    // The last smoke test before the stage being added: it ran on the image the stage's approval asks about.
    let earlierSmokeTest: EarlierSmokeTest | undefined;
    for (const stage of stages) {
      const environment = environments.get(stage.name);
      const stageScope = environment ?? new Construct(this, `Stage-${stage.name}`);
      const vpc = props.platformName !== undefined
        ? platformStageVpc(stageScope, props.platformName, stage.name)
        : stage.vpc ?? createStageVpc(stageScope, 'Vpc', stage.taskSubnets);
      if (environment) {
        // The stage's tasks run under its own account's roles and pull the image from this repository.
        this.repository.addToResourcePolicy(new iam.PolicyStatement({
          sid: `PullFromStage${stage.name}`,
          principals: [new iam.AccountPrincipal(environment.account)],
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          conditions: { ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${environment.account}:role${rolePath(serviceName, stage.name)}*` } },
        }));
      }
      this.stageVpcs.set(stage.name, vpc);

      const { deploymentRole, permissionsBoundary } = createStagePermissions(stageScope, {
        serviceName,
        stage: stage.name,
        vpc,
        taskSubnets: stage.taskSubnets,
        repository: this.repository,
        taskPermissions: [...(props.taskPermissions ?? []), ...(stage.taskPermissions ?? [])],
        domain: stageDomain(props, stage),
        secrets: resolveSecrets('secrets', stage.secrets ?? {}),
        extraResourceTypes: props.extraResourceTypes,
        platformName: props.platformName,
      });
      this.deploymentRoles.set(stage.name, deploymentRole);
      this.permissionsBoundaries.set(stage.name, permissionsBoundary);
      const topics = createStageTopics(this, stageScope, environment !== undefined, {
        serviceName,
        stage: stage.name,
        emails: [...(props.notificationEmails ?? []), ...(stage.notificationEmails ?? [])],
      });
      this.notificationTopics.set(stage.name, topics.topic);

      const approvalRequired = stage.approvalRequired ?? PRODUCTION_STAGE_NAMES.includes(stage.name);
      warnAboutStagePlatform(stageScope, props, stage, approvalRequired);
      const imageUri = buildAction.variable(BuildVariable.IMAGE_URI);
      const guard = new StageGuard(stageScope, 'Guard', {
        serviceName,
        stage: stage.name,
        repository: this.repository,
        deploymentRole,
        encryptionKey: regionKeys.get(Stack.of(stageScope).region)!,
        protectLoadBalancer: PRODUCTION_STAGE_NAMES.includes(stage.name),
        imagesKept: IMAGES_KEPT_PER_STAGE,
        platform: props.platformName !== undefined ? { name: props.platformName, path: props.platformPath } : undefined,
      });
      acknowledgeArtifactGrants(guard.project.role!, this.artifactBucket);
      const stageActions: codepipeline.IAction[] = [];
      if (approvalRequired) {
        stageActions.push(stageApprovalAction({
          serviceName,
          stage: stage.name,
          branch: props.source.branch,
          imageUri,
          revision: sourceRevisionOf(sourceAction),
          executionLink: pipelineExecutionLink(serviceName),
          earlierSmokeTest,
          smokeTests: smokeTest !== undefined,
          notificationTopic: topics.pipelineTopic,
          runOrder: 1,
        }));
      }
      const strategy = stageDeploymentStrategy(props, stage, stages.indexOf(stage));
      const platform = platformParameterOverrides(props, stage, approvalRequired);
      const prepare = guard.prepareAction(sourceOutput, stageActions.length + 1, strategy.type, platform[TemplateParameter.FARGATE_SPOT], imageUri);
      stageActions.push(prepare.action);
      const deployNamespace = `Deploy-${stackName(serviceName, stage.name)}`;
      const deploy = new actions.CloudFormationCreateUpdateStackAction({
        actionName: 'Deploy',
        runOrder: stageActions.length + 1,
        // Unique in the pipeline; the smoke test reads the stack's outputs through it.
        variablesNamespace: deployNamespace,
        stackName: stackName(serviceName, stage.name),
        account: environment?.account,
        region: environment?.region,
        // From the source artifact, which no build can write: what was approved is the commit that was built.
        templatePath: sourceOutput.atPath(SourceFile.TEMPLATE),
        templateConfiguration: sourceOutput.atPath(SourceFile.TEMPLATE_CONFIGURATION),
        parameterOverrides: {
          ...parameterOverrides(stage, imageUri, props.platformName !== undefined
            ? platformParameterNames(props.platformName, serviceName, stage.name, props.platformPath)
            : ownNetwork(stage, vpc)),
          ...strategyParameterOverrides(strategy),
          ...platform,
          // A platform's load balancer is the platform's to protect.
          ...(props.platformName === undefined
            ? { [TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION]: prepare.loadBalancerDeletionProtection }
            : {}),
          [TemplateParameter.PRODUCTION_TARGET_GROUP]: prepare.productionTargetGroup,
          [TemplateParameter.SERVICE_PLACEMENT]: prepare.servicePlacement,
          [TemplateParameter.LOG_GROUP_NAMING]: prepare.logGroupNaming,
          [TemplateParameter.NOTIFICATION_TOPIC_ARN]: topics.topic.topicArn,
        },
        cfnCapabilities: [CfnCapabilities.ANONYMOUS_IAM, CfnCapabilities.AUTO_EXPAND],
        adminPermissions: false,
        deploymentRole,
      });
      stageActions.push(deploy);
      // Recorded first: the stage runs the image whether or not the smoke test passes, and must keep it to run on.
      stageActions.push(guard.recordAction(sourceOutput, stageActions.length + 1, imageUri));
      if (smokeTest) {
        const smokeTestNamespace = `SmokeTest-${stackName(serviceName, stage.name)}`;
        stageActions.push(smokeTest.action(sourceOutput, stageActions.length + 1, `#{${deployNamespace}.${TemplateOutput.SERVICE_URL}}`, smokeTestNamespace));
        earlierSmokeTest = { stage: stage.name, resultVariable: smokeTestResultVariable(smokeTestNamespace, SMOKE_TEST_RESULT) };
      }
      this.pipeline.addStage({ stageName: stage.name, actions: stageActions });
      notifyStageTopic(this.pipeline, serviceName, stage.name, topics.pipelineTopic, stage === stages[0]);
      // The deploy action's role lives with the pipeline, or in the stage's own account.
      const deployActionScope = environment ?? this.pipeline;
      const stageStackArn = Stack.of(deployActionScope).formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${stackName(serviceName, stage.name)}/*` });
      Validations.of(deployActionScope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagName(deployActionScope, stageStackArn)}]`,
        reason: 'The deploy action may manage only the stage\'s own stack; "/*" is the stack id CloudFormation generates.',
      });
      if (environment) {
        acknowledgeCrossAccountGrants(environment, crossRegionReplicationBuckets[environment.region] ?? this.artifactBucket);
        skipCheckov(guard.project.role!.node.findChild('DefaultPolicy'), 'CKV_AWS_111', 'Only KMS actions on the pipeline\'s artifact key in another account or region, which the CDK writes as "*"; the key\'s own policy names this role.');
      }
    }
    Validations.of(this.pipeline).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::cloudformation:DescribeStack*]',
        reason: 'Read-only stack status calls of the deploy actions, limited to each stage\'s own stack.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::cloudformation:GetTemplate*]',
        reason: 'Read-only template calls of the deploy actions, limited to each stage\'s own stack.',
      },
    );
    acknowledgeArtifactGrants(this.pipeline, this.artifactBucket);
    const replicationBuckets = Object.values(crossRegionReplicationBuckets);
    replicationBuckets.forEach(replicationBucket => acknowledgeArtifactGrants(this.pipeline, replicationBucket));
    if (replicationBuckets.length > 0) {
      Validations.of(this.pipeline).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Only KMS actions on the artifact keys of the other regions\' buckets, which the CDK writes as "*" across environments; each key\'s own policy names the pipeline\'s role.',
      });
    }
  }

  /**
   * The SNS topic of a stage, in its account and region, which its template's
   * alarms publish to and whose subscribers hear of the stage.
   *
   * @param stageName the stage's name
   */
  public notificationTopicOf(stageName: string): sns.ITopic {
    return lookUp(this.notificationTopics, stageName);
  }

  /**
   * The network a stage runs in: the VPC given for it, or the one created.
   *
   * @param stageName the stage's name
   */
  public vpcOf(stageName: string): ec2.IVpc {
    return lookUp(this.stageVpcs, stageName);
  }

  /**
   * The role CloudFormation deploys a stage's stack with.
   *
   * @param stageName the stage's name
   */
  public deploymentRoleOf(stageName: string): iam.IRole {
    return lookUp(this.deploymentRoles, stageName);
  }

  /**
   * The permissions boundary every role of a stage's stack must carry.
   *
   * @param stageName the stage's name
   */
  public permissionsBoundaryOf(stageName: string): iam.IManagedPolicy {
    return lookUp(this.permissionsBoundaries, stageName);
  }
}

/** The stage's own VPC, subnets and public-IP choice, for a service with its own environment. */
function ownNetwork(stage: PipelineStage, vpc: ec2.IVpc): { [name: string]: string } {
  const subnets = stageSubnetIds(vpc, stage.taskSubnets);
  return {
    ...taskSubnetsParameterOverrides(stage.taskSubnets),
    [TemplateParameter.VPC_ID]: vpc.vpcId,
    [TemplateParameter.LOAD_BALANCER_SUBNET_IDS]: Fn.join(',', subnets.loadBalancer),
    [TemplateParameter.SERVICE_SUBNET_IDS]: Fn.join(',', subnets.service),
  };
}

/** `network`: the stage's own VPC and subnets, or the names of its platform's SSM parameters. */
function parameterOverrides(stage: PipelineStage, imageUri: string, network: { [name: string]: string }): { [name: string]: string } {
  const overrides: { [name: string]: string } = {
    [TemplateParameter.STAGE]: stage.name,
    [TemplateParameter.IMAGE_URI]: imageUri,
    ...network,
  };
  if (stage.minContainers !== undefined) {
    overrides[TemplateParameter.MIN_CONTAINERS] = String(stage.minContainers);
  }
  if (stage.maxContainers !== undefined) {
    overrides[TemplateParameter.MAX_CONTAINERS] = String(stage.maxContainers);
  }
  if (stage.certificateArn !== undefined) {
    overrides[TemplateParameter.CERTIFICATE_ARN] = stage.certificateArn;
  }
  return overrides;
}

/** A stage's own strategy, else the pipeline's, else the default for its name; errors name the option given. */
function stageDeploymentStrategy(props: CodeStarFargatePipelineProps, stage: PipelineStage, index: number): ResolvedDeploymentStrategy {
  const option = stage.deploymentStrategy !== undefined ? `stages[${index}].deploymentStrategy` : 'deploymentStrategy';
  return resolveDeploymentStrategy(option, stage.deploymentStrategy ?? props.deploymentStrategy, stage.name);
}

/** The template's strategy parameters for a stage; numbers the strategy does not use keep the template's defaults. */
function strategyParameterOverrides(strategy: ResolvedDeploymentStrategy): { [name: string]: string } {
  const overrides: { [name: string]: string } = { [TemplateParameter.DEPLOYMENT_STRATEGY]: strategy.type };
  const numbers: Array<[string, number | undefined]> = [
    [TemplateParameter.BAKE_TIME_MINUTES, strategy.bakeTimeMinutes],
    [TemplateParameter.CANARY_PERCENT, strategy.canaryPercent],
    [TemplateParameter.CANARY_BAKE_TIME_MINUTES, strategy.canaryBakeTimeMinutes],
    [TemplateParameter.LINEAR_STEP_PERCENT, strategy.linearStepPercent],
    [TemplateParameter.LINEAR_STEP_BAKE_TIME_MINUTES, strategy.linearStepBakeTimeMinutes],
  ];
  for (const [name, value] of numbers) {
    if (value !== undefined) {
      overrides[name] = String(value);
    }
  }
  return overrides;
}

function validateProps(props: CodeStarFargatePipelineProps, stages: PipelineStage[], pipelineStack: Stack): void {
  if (!(props.source instanceof PipelineSource)) {
    throw new Error(`source ${JSON.stringify(props.source)} is not allowed: use PipelineSource.codeCommit(...) or PipelineSource.connection(...).`);
  }
  if (!Array.isArray(stages) || stages.some(stage => typeof stage !== 'object' || stage === null)) {
    throw new Error(`stages ${JSON.stringify(stages)} is not allowed: give a list of stages such as [{ name: "dev" }, { name: "production" }].`);
  }
  validateServiceAndStageNames(props.serviceName, stages.map(stage => stage.name));
  if (props.imageRetentionCount !== undefined) {
    requireInteger('imageRetentionCount', props.imageRetentionCount, 1, 10000);
  }
  if (props.taskPermissions !== undefined) {
    validateTaskPermissions('taskPermissions', props.taskPermissions);
  }
  if (props.pullRequestChecks !== undefined) {
    requireBoolean('pullRequestChecks', props.pullRequestChecks);
  }
  if (props.extraResourceTypes !== undefined) {
    validateExtraResourceTypes('extraResourceTypes', props.extraResourceTypes);
  }
  validateNotificationProps(props);
  validatePlatformProps(props);
  // Before the stages' own checks, which would ask a stage elsewhere for its VPC.
  validatePlatformStages(props, stages);
  validateToolchainSettings(props.toolchainSettings);
  stages.forEach((stage, index) => validateStage(stage, `stages[${index}]`, pipelineStack, props.platformName !== undefined));
  stages.forEach((stage, index) => validateStagePlatform(props, stage, `stages[${index}]`));
  stages.forEach((stage, index) => stageDeploymentStrategy(props, stage, index));
}

/** Setting names as `.projen/toolchain-settings.json` has them, each with the digest the generated buildspec computes. */
function validateToolchainSettings(toolchainSettings: { [name: string]: string } | undefined): void {
  if (toolchainSettings === undefined) {
    return;
  }
  if (typeof toolchainSettings !== 'object' || toolchainSettings === null || Array.isArray(toolchainSettings)) {
    throw new Error(`toolchainSettings ${JSON.stringify(toolchainSettings)} is not allowed: give an object of setting names to digests, as infra/toolchain.generated.ts does.`);
  }
  for (const [name, digest] of Object.entries(toolchainSettings)) {
    if (!/^[A-Za-z][A-Za-z0-9.-]{0,127}$/.test(name) || typeof digest !== 'string' || !SETTING_DIGEST_PATTERN.test(digest)) {
      throw new Error(`toolchainSettings ${JSON.stringify({ [name]: digest })} is not allowed: each name must be a letter then letters, digits, dots and hyphens (at most 128 characters), each digest 16 lowercase hex characters (the first of the value's SHA-256).`);
    }
  }
}

function validateStage(stage: PipelineStage, path: string, pipelineStack: Stack, onPlatform: boolean): void {
  validateStageEnvironment(stage, path, pipelineStack, onPlatform);
  if (stage.taskPermissions !== undefined) {
    validateTaskPermissions(`${path}.taskPermissions`, stage.taskPermissions);
  }
  if (stage.notificationEmails !== undefined) {
    validateNotificationEmails(`${path}.notificationEmails`, stage.notificationEmails);
  }
  if (stage.secrets !== undefined) {
    resolveSecrets(`${path}.secrets`, stage.secrets);
  }
  if (stage.minContainers !== undefined) {
    requireInteger(`${path}.minContainers`, stage.minContainers, 0, 5000);
  }
  if (stage.maxContainers !== undefined) {
    requireInteger(`${path}.maxContainers`, stage.maxContainers, 1, 5000);
  }
  if (stage.minContainers !== undefined && stage.maxContainers !== undefined && stage.minContainers > stage.maxContainers) {
    throw new Error(`${path}.minContainers (${stage.minContainers}) is greater than ${path}.maxContainers (${stage.maxContainers}) in stage "${stage.name}": minContainers must be at most maxContainers.`);
  }
  if (stage.certificateArn !== undefined && !Token.isUnresolved(stage.certificateArn) && !CERTIFICATE_ARN.test(stage.certificateArn)) {
    throw new Error(`${path}.certificateArn ${JSON.stringify(stage.certificateArn)} is not allowed: it must be an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d".`);
  }
  validateStageNetwork(path, stage.name, stage.vpc, stage.taskSubnets);
}

function validateNotificationProps(props: CodeStarFargatePipelineProps): void {
  if (props.notificationEmails !== undefined) {
    validateNotificationEmails('notificationEmails', props.notificationEmails);
  }
  if (props.smokeTest !== undefined && typeof props.smokeTest !== 'boolean') {
    throw new Error(`smokeTest ${JSON.stringify(props.smokeTest)} is not allowed: it must be true or false.`);
  }
  if (props.healthCheckPath !== undefined) {
    validateHealthCheckPath(props.healthCheckPath);
  }
}

function lookUp<T>(byStage: Map<string, T>, stageName: string): T {
  const value = byStage.get(stageName);
  if (value === undefined) {
    throw new Error(`stageName ${JSON.stringify(stageName)} is not a stage of this pipeline: use one of ${JSON.stringify([...byStage.keys()])}.`);
  }
  return value;
}
