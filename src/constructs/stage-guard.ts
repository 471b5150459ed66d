import * as fs from 'fs';
import { Aws, Duration, PhysicalName, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { assetPath } from '../assets';
import { deployedTagPrefix, release1LogGroupName, STAGE_TAG, stackName, stageTagConditions } from '../contract';
import { codeBuildDefaultGrants, LOG_GROUP_ENCRYPTION_REASON, skipCheckov } from './findings';
import { GuardedPlatform, grantPlatformDomainRead, platformTemplateCheckCommand, platformTemplateCheckEnvironment } from './platform-guard';
import { roleTrustCheckCommand, roleTrustCheckEnvironment } from './role-trust-guard';

/** The variables the prepare step exports for the deploy action. */
const LOAD_BALANCER_DELETION_PROTECTION = 'LOAD_BALANCER_DELETION_PROTECTION';
const PRODUCTION_TARGET_GROUP = 'PRODUCTION_TARGET_GROUP';
const SERVICE_PLACEMENT = 'SERVICE_PLACEMENT';
const LOG_GROUP_NAMING = 'LOG_GROUP_NAMING';

/** What a stage's guard works on. */
export interface StageGuardProps {
  readonly serviceName: string;
  readonly stage: string;
  readonly repository: ecr.IRepository;
  /** The role the stage's stack was deployed with; CloudFormation deletes a failed first create with it. */
  readonly deploymentRole: iam.IRole;
  readonly encryptionKey: kms.IKey;
  /** Whether the stage's load balancer refuses deletion once its stack exists. */
  readonly protectLoadBalancer: boolean;
  /** How many of the images the stage ran last keep the stage's tag (the current one and those to roll back to). */
  readonly imagesKept: number;
  /** The platform the service runs on, and its path there: the prepare step first checks template.yml's listener rules (platform-guard.ts). */
  readonly platform?: GuardedPlatform;
}

/** The prepare action and the variables it exports for the deploy. */
export interface PrepareAction {
  readonly action: actions.CodeBuildAction;
  readonly loadBalancerDeletionProtection: string;
  readonly productionTargetGroup: string;
  readonly servicePlacement: string;
  readonly logGroupNaming: string;
}

/**
 * The CodeBuild project that runs `assets/toolchain/stage-guard.sh` around a
 * stage's deploy: before it, clears a failed first create so the stage never
 * stays blocked; after it, tags the image the stage runs and takes the stage's tag off all but the last
 * `imagesKept` images it ran, so the repository's lifecycle rule for the stage never expires one of those.
 * Its buildspec lives in the toolchain, not in the source, so no commit can
 * change what it does.
 */
export class StageGuard extends Construct {
  public readonly project: codebuild.PipelineProject;
  private readonly stack: string;
  private readonly deployedTagPrefix: string;
  private readonly imagesKept: number;
  /** The digests of the last images the stage ran, newest first, which only this guard may write: tags anyone may push. */
  public readonly deployedImages: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: StageGuardProps) {
    super(scope, id);
    this.stack = stackName(props.serviceName, props.stage);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    skipCheckov(logGroup, 'CKV_AWS_158', LOG_GROUP_ENCRYPTION_REASON);
    // A name the pipeline and the image repository can refer to from another account.
    const role = new iam.Role(this, 'Role', {
      roleName: PhysicalName.GENERATE_IF_NEEDED,
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: `Runs the stage guard of ${this.stack}`,
    });
    const deployedImagesName = `/codestar-fargate/${props.serviceName}/${props.stage}/deployed-images`;
    this.deployedImages = new ssm.StringParameter(this, 'DeployedImages', {
      parameterName: deployedImagesName,
      description: `The digests of the last images ${this.stack} ran, newest first; its stage guard prunes every other image's stage tag`,
      // No image yet; SSM refuses an empty value.
      stringValue: 'none',
    });
    this.project = new codebuild.PipelineProject(this, 'Project', {
      projectName: PhysicalName.GENERATE_IF_NEEDED,
      role,
      description: `Clears a failed first create of ${this.stack} and reads where its production traffic is, how its tasks are placed and its log group named before its deploy; records the image it runs after`,
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        env: { 'shell': 'bash', 'exported-variables': [LOAD_BALANCER_DELETION_PROTECTION, PRODUCTION_TARGET_GROUP, SERVICE_PLACEMENT, LOG_GROUP_NAMING] },
        phases: { build: { commands: [roleTrustCheckCommand(), ...(props.platform ? [platformTemplateCheckCommand()] : []), fs.readFileSync(assetPath('toolchain', 'stage-guard.sh'), 'utf-8')] } },
      }),
      environment: {
        buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: codebuild.ComputeType.SMALL,
      },
      environmentVariables: {
        STACK_NAME: { value: this.stack },
        PROTECT_LOAD_BALANCER: { value: String(props.protectLoadBalancer) },
        RELEASE1_LOG_GROUP_NAME: { value: release1LogGroupName(props.serviceName, props.stage) },
        SERVICE_TAG: { value: props.serviceName },
        STAGE_TAG: { value: props.stage },
        ...roleTrustCheckEnvironment(),
        REPOSITORY_URI: { value: props.repository.repositoryUri },
        DEPLOYED_IMAGES_PARAMETER: { value: deployedImagesName },
        ...(props.platform ? platformTemplateCheckEnvironment(props.serviceName, props.stage, props.platform) : {}),
      },
      encryptionKey: props.encryptionKey,
      // Waiting for a stack deletion is the longest thing it does.
      timeout: Duration.minutes(30),
      logging: { cloudWatch: { logGroup } },
    });
    const stackArn = `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/${this.stack}/*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ClearFailedFirstCreate',
      actions: ['cloudformation:DescribeStacks', 'cloudformation:DeleteStack'],
      resources: [stackArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadProductionListenerRule',
      actions: ['cloudformation:DescribeStackResource'],
      resources: [stackArn],
    }));
    // DescribeRules supports no resource-level permission; it reads weights, nothing else.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadProductionWeights',
      actions: ['elasticloadbalancing:DescribeRules'],
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadServicePlacement',
      actions: ['ecs:DescribeServices'],
      // The stage's own service only: template.yml names its cluster `<service>-<stage>` and the service `<service>`.
      resources: [`arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:service/${this.stack}/${props.serviceName}`],
    }));
    // DescribeScalableTargets supports no resource-level permission; the tag it adds is the stage's own, on a target
    // that carries no other stage's (release 1.0's targets carried none).
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'FindRelease1ScalableTarget',
      actions: ['application-autoscaling:DescribeScalableTargets'],
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'TagRelease1ScalableTarget',
      actions: ['application-autoscaling:TagResource'],
      resources: [`arn:${Aws.PARTITION}:application-autoscaling:${Aws.REGION}:${Aws.ACCOUNT_ID}:scalable-target/*`],
      conditions: {
        'StringEquals': stageTagConditions('aws:RequestTag', props.serviceName, props.stage),
        'StringEqualsIfExists': stageTagConditions('aws:ResourceTag', props.serviceName, props.stage),
        'ForAllValues:StringEquals': { 'aws:TagKeys': [STAGE_TAG.service, STAGE_TAG.stage] },
      },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DeleteWithTheStackRole',
      actions: ['iam:PassRole'],
      resources: [props.deploymentRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RecordDeployedImages',
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      // The name, not the parameter's Ref: the grant reads as the one parameter it is.
      resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter${deployedImagesName}`],
    }));
    // BatchDeleteImage only ever names the stage's own tags: the buildspec is the toolchain's, not the commit's.
    props.repository.grant(role, 'ecr:BatchGetImage', 'ecr:PutImage', 'ecr:DescribeImages', 'ecr:BatchDeleteImage');
    if (props.platform) {
      grantPlatformDomainRead(role, props.stage, props.platform);
    }
    const defaultGrants = codeBuildDefaultGrants(role, this.project);
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/${this.stack}/*]`,
        reason: 'Only the stage\'s own stack; "/*" is the stack id CloudFormation generates.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'elasticloadbalancing:DescribeRules and application-autoscaling:DescribeScalableTargets only, which support no resource-level permission: the Prepare step reads the production listener rule\'s weights and finds the scalable target release 1.0 created.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:application-autoscaling:<AWS::Region>:<AWS::AccountId>:scalable-target/*]',
        reason: 'Scalable target ids are generated; only tagging with this stage\'s service/stage tags, on a target no other stage\'s tag marks.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${defaultGrants.logGroup}]`,
        reason: 'CodeBuild\'s default log group of this project only; ":*" names its log streams, which CodeBuild creates per build.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${defaultGrants.reportGroups}]`,
        reason: 'Test report groups of this project only (it writes none), which CodeBuild grants every project by default.',
      },
    );
    this.deployedTagPrefix = deployedTagPrefix(props.stage);
    this.imagesKept = props.imagesKept;
  }

  /**
   * The action before the deploy, given the strategy, Fargate Spot setting and image the deploy passes (it refuses an
   * image that is not a digest of the service's repository); its variables tell
   * the deploy whether to protect the load balancer, which target group production is on and how tasks are placed.
   */
  public prepareAction(
    input: codepipeline.Artifact, runOrder: number, deploymentStrategy: string, fargateSpot: string, imageUri: string,
  ): PrepareAction {
    const action = new actions.CodeBuildAction({
      actionName: 'Prepare',
      runOrder,
      project: this.project,
      input,
      variablesNamespace: `Prepare-${this.stack}`,
      environmentVariables: {
        STAGE_GUARD_STEP: { value: 'prepare' },
        DEPLOYMENT_STRATEGY: { value: deploymentStrategy },
        FARGATE_SPOT: { value: fargateSpot },
        // The image the deploy will run: only template.yml's AllowedPattern, which the commit owns, checked it before.
        IMAGE_URI: { value: imageUri },
      },
    });
    return {
      action,
      loadBalancerDeletionProtection: action.variable(LOAD_BALANCER_DELETION_PROTECTION),
      productionTargetGroup: action.variable(PRODUCTION_TARGET_GROUP),
      servicePlacement: action.variable(SERVICE_PLACEMENT),
      logGroupNaming: action.variable(LOG_GROUP_NAMING),
    };
  }

  /** The action after the deploy: tags the image with the stage, the time and the pipeline execution, then prunes the stage's older tags. */
  public recordAction(input: codepipeline.Artifact, runOrder: number, imageUri: string): actions.CodeBuildAction {
    return new actions.CodeBuildAction({
      actionName: 'RecordImage',
      runOrder,
      project: this.project,
      input,
      environmentVariables: {
        STAGE_GUARD_STEP: { value: 'record' },
        IMAGE_URI: { value: imageUri },
        DEPLOYED_TAG_PREFIX: { value: this.deployedTagPrefix },
        PIPELINE_EXECUTION_ID: { value: '#{codepipeline.PipelineExecutionId}' },
        IMAGES_KEPT: { value: String(this.imagesKept) },
      },
    });
  }

}
