import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { UNSCOPED_ACTIONS } from '../src/constructs/deploy-permissions';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps, PipelineStage } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { BuildEnvironment, SourceFile, TemplateParameter } from '../src/contract';
import { CpuArchitecture } from '../src/options';

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const githubSource = () => PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api' });

interface Synthesized {
  readonly app: App;
  readonly stack: Stack;
  readonly construct: CodeStarFargatePipeline;
  readonly template: Template;
}

/** An environment-agnostic stack holding the construct, as DESIGN.md requires for an offline `cdk synth`. */
function synth(props: Partial<CodeStarFargatePipelineProps> = {}, configure?: (stack: Stack) => Partial<CodeStarFargatePipelineProps>): Synthesized {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-test-')) });
  const stack = new Stack(app, 'Toolchain');
  const construct = new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: 'orders-api',
    source: githubSource(),
    ...props,
    ...configure?.(stack),
  });
  return { app, stack, construct, template: Template.fromStack(stack) };
}

function importedVpc(stack: Stack, id: string, publicSubnets = 2, privateSubnets = 2): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, id, {
    vpcId: `vpc-${id.toLowerCase()}`,
    availabilityZones: ['eu-west-1a', 'eu-west-1b'].slice(0, Math.max(publicSubnets, privateSubnets)),
    publicSubnetIds: ['subnet-pub1', 'subnet-pub2'].slice(0, publicSubnets),
    privateSubnetIds: ['subnet-priv1', 'subnet-priv2'].slice(0, privateSubnets),
    publicSubnetRouteTableIds: ['rtb-pub1', 'rtb-pub2'].slice(0, publicSubnets),
    privateSubnetRouteTableIds: ['rtb-priv1', 'rtb-priv2'].slice(0, privateSubnets),
  });
}

interface PipelineStageJson {
  readonly Name: string;
  readonly Actions: Array<{ Name: string; RunOrder: number; ActionTypeId: { Category: string }; Configuration: any; Namespace?: string }>;
}

function pipelineStages(template: Template): PipelineStageJson[] {
  const pipelines = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  expect(pipelines).toHaveLength(1);
  return pipelines[0].Properties.Stages;
}

/** Stage names with their actions in run order, e.g. `production: Approve > Deploy`. */
function stageOutline(template: Template): string[] {
  return pipelineStages(template).map(stage =>
    `${stage.Name}: ${[...stage.Actions].sort((a, b) => a.RunOrder - b.RunOrder).map(action => action.Name).join(' > ')}`);
}

function deployAction(template: Template, stageName: string) {
  const stage = pipelineStages(template).find(s => s.Name === stageName)!;
  return stage.Actions.find(action => action.Name === 'Deploy')!;
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: any;
}

/** Every identity-policy statement in the template: IAM policies, managed policies and roles' inline policies. */
function iamStatements(template: Template): Array<{ logicalId: string; statement: PolicyStatementJson }> {
  const found: Array<{ logicalId: string; statement: PolicyStatementJson }> = [];
  const add = (logicalId: string, document: any) => {
    for (const statement of document?.Statement ?? []) {
      found.push({ logicalId, statement });
    }
  };
  for (const [logicalId, resource] of Object.entries(template.toJSON().Resources as Record<string, any>)) {
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      add(logicalId, resource.Properties.PolicyDocument);
      // A statement of a policy attached to a role counts as the role's too (the deploy role's are managed policies).
      for (const role of resource.Properties.Roles ?? []) {
        if (role?.Ref && resource.Type === 'AWS::IAM::ManagedPolicy') {
          add(role.Ref, resource.Properties.PolicyDocument);
        }
      }
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of resource.Properties.Policies ?? []) {
        add(logicalId, policy.PolicyDocument);
      }
    }
  }
  return found;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('CodeStarFargatePipeline', () => {
  describe('pipeline', () => {
    it('is a V2 pipeline named after the service', () => {
      synth().template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
        Name: 'orders-api',
        PipelineType: 'V2',
      });
    });

    it('runs Source, Build, then dev, then production behind a manual approval by default', () => {
      expect(stageOutline(synth().template)).toEqual([
        'Source: Source',
        'Build: Build',
        'dev: Prepare > Deploy > RecordImage > SmokeTest',
        'production: Approve > Prepare > Deploy > RecordImage > SmokeTest',
      ]);
    });

    it('puts an approval before prod and before any stage that asks for one, and none where it is turned off', () => {
      const { template } = synth({
        stages: [
          { name: 'dev' },
          { name: 'staging', approvalRequired: true },
          { name: 'prod' },
          { name: 'production', approvalRequired: false },
        ],
      });
      expect(stageOutline(template)).toEqual([
        'Source: Source',
        'Build: Build',
        'dev: Prepare > Deploy > RecordImage > SmokeTest',
        'staging: Approve > Prepare > Deploy > RecordImage > SmokeTest',
        'prod: Approve > Prepare > Deploy > RecordImage > SmokeTest',
        'production: Prepare > Deploy > RecordImage > SmokeTest',
      ]);
      const approval = pipelineStages(template)[3].Actions.find(action => action.Name === 'Approve')!;
      expect(approval.ActionTypeId.Category).toBe('Approval');
    });

    it('reads the source from a CodeStar connection on main by default', () => {
      const source = pipelineStages(synth().template)[0].Actions[0];
      expect(source.Configuration).toEqual(expect.objectContaining({
        ConnectionArn: CONNECTION_ARN,
        FullRepositoryId: 'acme/orders-api',
        BranchName: 'main',
      }));
    });

    it('may use the connection under both its CodeConnections and its older CodeStar Connections action name, and no other', () => {
      // The pull-request checks' own policy is checked in test/pull-request-checks.test.ts.
      const useConnection = iamStatements(synth().template)
        .filter(({ logicalId }) => !logicalId.includes('PullRequestChecks'))
        .map(({ statement }) => statement)
        .filter(statement => asList(statement.Action).some(action => action.endsWith(':UseConnection')));
      expect(useConnection).toEqual(expect.arrayContaining([
        expect.objectContaining({ Action: 'codestar-connections:UseConnection', Resource: CONNECTION_ARN }),
        expect.objectContaining({ Action: 'codeconnections:UseConnection', Resource: CONNECTION_ARN }),
      ]));
      expect(useConnection).toHaveLength(2);
    });

    it('reads the source from a CodeCommit repository and branch', () => {
      const { template } = synth({}, stack => ({
        source: PipelineSource.codeCommit({
          repository: codecommit.Repository.fromRepositoryName(stack, 'Repo', 'orders-api'),
          branch: 'release',
        }),
      }));
      const source = pipelineStages(template)[0].Actions[0];
      expect(source.Configuration).toEqual(expect.objectContaining({ RepositoryName: 'orders-api', BranchName: 'release' }));
    });

    it('exports the build variables under the Build namespace', () => {
      const build = pipelineStages(synth().template)[1].Actions[0];
      expect(build.Namespace).toBe('Build');
    });
  });

  describe('deploy actions', () => {
    it('create or update the stage stack from the source\'s template and configuration, which no build can write, with IAM and macro capabilities and the stage deployment role', () => {
      const { template, stack, construct } = synth();
      const deploy = deployAction(template, 'dev');
      expect(deploy.ActionTypeId.Category).toBe('Deploy');
      expect(deploy.Configuration).toEqual(expect.objectContaining({
        ActionMode: 'CREATE_UPDATE',
        StackName: 'orders-api-dev',
        TemplatePath: `Source::${SourceFile.TEMPLATE}`,
        TemplateConfiguration: `Source::${SourceFile.TEMPLATE_CONFIGURATION}`,
        Capabilities: 'CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND',
        RoleArn: stack.resolve(construct.deploymentRoleOf('dev').roleArn),
      }));
      expect(deployAction(template, 'production').Configuration.StackName).toBe('orders-api-production');
    });

    it('pass stage, image, network, container range and certificate of an existing network as parameters', () => {
      const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
      const { template, stack, construct } = synth({}, scope => ({
        stages: [{ name: 'production', vpc: importedVpc(scope, 'Prod'), minContainers: 2, maxContainers: 8, certificateArn }],
      }));
      const topic = stack.resolve(construct.notificationTopicOf('production').topicArn);
      const overrides = deployAction(template, 'production').Configuration.ParameterOverrides;
      // The topic's ARN is the one reference in the overrides: a placeholder for it makes them JSON again.
      expect(overrides['Fn::Join'][1][1]).toEqual(topic);
      expect(JSON.parse(overrides['Fn::Join'][1].map((part: unknown) => (part === overrides['Fn::Join'][1][1] ? '<topic>' : part)).join(''))).toEqual({
        [TemplateParameter.STAGE]: 'production',
        [TemplateParameter.IMAGE_URI]: '#{Build.IMAGE_URI}',
        [TemplateParameter.VPC_ID]: 'vpc-prod',
        [TemplateParameter.LOAD_BALANCER_SUBNET_IDS]: 'subnet-pub1,subnet-pub2',
        [TemplateParameter.SERVICE_SUBNET_IDS]: 'subnet-priv1,subnet-priv2',
        [TemplateParameter.MIN_CONTAINERS]: '2',
        [TemplateParameter.MAX_CONTAINERS]: '8',
        [TemplateParameter.CERTIFICATE_ARN]: certificateArn,
        // Production's default strategy: a canary (test/deployment-strategy.test.ts).
        [TemplateParameter.DEPLOYMENT_STRATEGY]: 'CANARY',
        [TemplateParameter.BAKE_TIME_MINUTES]: '5',
        [TemplateParameter.CANARY_PERCENT]: '10',
        [TemplateParameter.CANARY_BAKE_TIME_MINUTES]: '10',
        // The architecture the pipeline builds for, and Spot off (test/pipeline-platform.test.ts).
        [TemplateParameter.CPU_ARCHITECTURE]: 'X86_64',
        [TemplateParameter.FARGATE_SPOT]: 'false',
        [TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION]: '#{Prepare-orders-api-production.LOAD_BALANCER_DELETION_PROTECTION}',
        // Where ECS left production traffic, read from the deployed listener rule (test/change-rehearsal.test.ts).
        [TemplateParameter.PRODUCTION_TARGET_GROUP]: '#{Prepare-orders-api-production.PRODUCTION_TARGET_GROUP}',
        // How release 1.0 created the stage, where it did (test/service-placement.test.ts).
        [TemplateParameter.SERVICE_PLACEMENT]: '#{Prepare-orders-api-production.SERVICE_PLACEMENT}',
        [TemplateParameter.LOG_GROUP_NAMING]: '#{Prepare-orders-api-production.LOG_GROUP_NAMING}',
        [TemplateParameter.NOTIFICATION_TOPIC_ARN]: '<topic>',
      });
    });

    it('pass the new stage network\'s VPC, public and private subnets, and leave the template\'s defaults alone', () => {
      const { template, stack, construct } = synth();
      const overrides = deployAction(template, 'dev').Configuration.ParameterOverrides;
      const vpc = construct.vpcOf('dev');
      expect(overrides).toEqual({
        'Fn::Join': ['', [
          '{"Stage":"dev","ImageUri":"#{Build.IMAGE_URI}","VpcId":"',
          stack.resolve(vpc.vpcId),
          '","LoadBalancerSubnetIds":"',
          { 'Fn::Join': [',', vpc.publicSubnets.map(subnet => stack.resolve(subnet.subnetId))] },
          '","ServiceSubnetIds":"',
          { 'Fn::Join': [',', vpc.privateSubnets.map(subnet => stack.resolve(subnet.subnetId))] },
          '","DeploymentStrategy":"ROLLING","CpuArchitecture":"X86_64","FargateSpot":"false","LoadBalancerDeletionProtection":"#{Prepare-orders-api-dev.LOAD_BALANCER_DELETION_PROTECTION}","ProductionTargetGroup":"#{Prepare-orders-api-dev.PRODUCTION_TARGET_GROUP}","ServicePlacement":"#{Prepare-orders-api-dev.SERVICE_PLACEMENT}","LogGroupNaming":"#{Prepare-orders-api-dev.LOG_GROUP_NAMING}","NotificationTopicArn":"',
          stack.resolve(construct.notificationTopicOf('dev').topicArn),
          '"}',
        ]],
      });
      expect(vpc.publicSubnets).toHaveLength(2);
      expect(vpc.privateSubnets).toHaveLength(2);
    });
  });

  describe('stage networks', () => {
    it('creates one VPC per stage across two AZs, with one NAT gateway and flow logs to CloudWatch', () => {
      const { template } = synth();
      template.resourceCountIs('AWS::EC2::VPC', 2);
      template.resourceCountIs('AWS::EC2::NatGateway', 2);
      template.resourceCountIs('AWS::EC2::Subnet', 8);
      template.resourceCountIs('AWS::EC2::FlowLog', 2);
      template.allResourcesProperties('AWS::EC2::FlowLog', { LogDestinationType: 'cloud-watch-logs', TrafficType: 'ALL' });
    });

    it('creates no VPC for a stage that brings its own', () => {
      const { template } = synth({}, stack => ({
        stages: [{ name: 'dev' }, { name: 'production', vpc: importedVpc(stack, 'Prod') }],
      }));
      template.resourceCountIs('AWS::EC2::VPC', 1);
    });
  });

  describe('build', () => {
    it('runs buildspec.yml privileged on the standard image with the repository, the buildspec\'s own cache paths only, the artifact key and a timeout', () => {
      const { template, stack, construct } = synth();
      template.hasResourceProperties('AWS::CodeBuild::Project', {
        Source: { Type: 'CODEPIPELINE', BuildSpec: SourceFile.BUILDSPEC },
        Environment: {
          Type: 'LINUX_CONTAINER',
          Image: 'aws/codebuild/standard:7.0',
          ComputeType: 'BUILD_GENERAL1_SMALL',
          PrivilegedMode: true,
          EnvironmentVariables: [
            { Name: BuildEnvironment.REPOSITORY_URI, Type: 'PLAINTEXT', Value: stack.resolve(construct.repository.repositoryUri) },
          ],
        },
        // No Docker layer cache: an unapproved build, root on the privileged daemon, could leave poisoned layers behind.
        Cache: { Type: 'LOCAL', Modes: ['LOCAL_CUSTOM_CACHE'] },
        EncryptionKey: stack.resolve(construct.artifactKey.keyArn),
        TimeoutInMinutes: 30,
        LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: Match.anyValue() } },
      });
    });
  });

  describe('image repository', () => {
    it('is named after the service, scans on push, has immutable tags, KMS encryption, and is retained', () => {
      const { template } = synth({ imageRetentionCount: 10 });
      template.hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          RepositoryName: 'orders-api',
          ImageScanningConfiguration: { ScanOnPush: true },
          ImageTagMutability: 'IMMUTABLE',
          EncryptionConfiguration: { EncryptionType: 'KMS' },
        },
      });
    });

    it('keeps every image carrying a stage\'s tag for ten years, a limit forged pushes cannot fill, and expires other images beyond the count kept', () => {
      const { template } = synth({ imageRetentionCount: 10, stages: [{ name: 'dev' }, { name: 'prod' }, { name: 'production' }] });
      const repository = Object.values(template.findResources('AWS::ECR::Repository'))[0];
      // ECR: "an image that matches the tagging requirements of a rule cannot be expired by a rule with a lower priority".
      const rules = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules.map((rule: any) => ({ priority: rule.rulePriority, ...rule.selection }))).toEqual([
        { priority: 1, tagStatus: 'tagged', tagPatternList: ['deployed-production-*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3650 },
        { priority: 2, tagStatus: 'tagged', tagPatternList: ['deployed-prod-*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3650 },
        { priority: 3, tagStatus: 'tagged', tagPatternList: ['deployed-dev-*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3650 },
        { priority: 4, tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
      ]);
    });

    it('tags the image a stage runs after its deploy with the stage and the pipeline execution, keeping the tag on its last three images', () => {
      const { template } = synth();
      const record = pipelineStages(template).find(stage => stage.Name === 'production')!.Actions.find(action => action.Name === 'RecordImage')!;
      expect(JSON.parse(record.Configuration.EnvironmentVariables)).toEqual([
        { name: 'STAGE_GUARD_STEP', type: 'PLAINTEXT', value: 'record' },
        { name: 'IMAGE_URI', type: 'PLAINTEXT', value: '#{Build.IMAGE_URI}' },
        { name: 'DEPLOYED_TAG_PREFIX', type: 'PLAINTEXT', value: 'deployed-production-' },
        { name: 'PIPELINE_EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
        { name: 'IMAGES_KEPT', type: 'PLAINTEXT', value: '3' },
      ]);
    });
  });

  describe('artifact bucket', () => {
    it('is KMS-encrypted with the rotated artifact key, versioned, private and logged', () => {
      const { template, stack, construct } = synth();
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(construct.artifactKey.keyArn) },
            BucketKeyEnabled: true,
          }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'artifacts/' },
      });
      template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
        ArtifactStore: { Type: 'S3', Location: stack.resolve(construct.artifactBucket.bucketName) },
      });
    });

    it('refuses requests without TLS', () => {
      const { template, stack, construct } = synth();
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: stack.resolve(construct.artifactBucket.bucketName),
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          })]),
        },
      });
    });
  });

  describe('least privilege', () => {
    const variants: Array<[string, () => Synthesized]> = [
      ['a connection source and new networks', () => synth()],
      ['a CodeCommit source and an existing network', () => synth({}, stack => ({
        source: PipelineSource.codeCommit({ repository: codecommit.Repository.fromRepositoryName(stack, 'Repo', 'orders-api') }),
        stages: [{ name: 'dev', vpc: importedVpc(stack, 'Dev') }, { name: 'production' }],
      }))],
    ];

    it.each(variants)('grants Resource "*" only for actions AWS cannot scope, with %s', (_name, make) => {
      const statements = iamStatements(make().template);
      expect(statements.length).toBeGreaterThan(20);
      const offending = statements
        .filter(({ statement }) => statement.Effect === 'Allow' && asList(statement.Resource).includes('*'))
        .flatMap(({ logicalId, statement }) => asList(statement.Action)
          // A wildcard entry (elasticloadbalancing:Describe*) covers the single actions it names.
          .filter(action => !Object.keys(UNSCOPED_ACTIONS).some(allowed => allowed === action || (allowed.endsWith('*') && action.startsWith(allowed.slice(0, -1)))))
          .map(action => `${logicalId}: ${action}`));
      expect(offending).toEqual([]);
    });

    it.each(variants)('never allows iam:PassRole on "*", with %s', (_name, make) => {
      const passRoles = iamStatements(make().template)
        .filter(({ statement }) => statement.Effect === 'Allow')
        .filter(({ statement }) => asList(statement.Action).some(action => action === 'iam:PassRole' || action === 'iam:*' || action === '*'));
      expect(passRoles.length).toBeGreaterThan(0);
      for (const { statement } of passRoles) {
        expect(asList(statement.Action)).toEqual(['iam:PassRole']);
        expect(asList(statement.Resource)).not.toContain('*');
      }
    });

    it('lets each stage\'s deployment role manage only its own resources and pass roles under the stage\'s path to ECS tasks', () => {
      const { template, stack, construct } = synth();
      const roleId = stack.getLogicalId(construct.deploymentRoleOf('dev').node.defaultChild as any);
      const statements = iamStatements(template).filter(({ logicalId }) => logicalId === roleId).map(({ statement }) => statement);
      const bySid = (sid: string) => statements.find((statement: any) => statement.Sid === sid) as any;
      const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${resource}`]] });
      const regional = (service: string, resource: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
      });

      expect(bySid('Cluster').Resource).toEqual(regional('ecs', 'cluster/orders-api-dev'));
      expect(bySid('Service').Resource).toContainEqual(regional('ecs', 'service/orders-api-dev/*'));
      expect(bySid('LoadBalancer').Resource).toContainEqual(regional('elasticloadbalancing', 'loadbalancer/app/orders-api-dev/*'));
      expect(bySid('CreateTargetGroupTaggedForStage')).toEqual(expect.objectContaining({
        Resource: regional('elasticloadbalancing', 'targetgroup/*/*'),
        Condition: { StringEquals: { 'aws:RequestTag/service': 'orders-api', 'aws:RequestTag/stage': 'dev' } },
      }));
      expect(bySid('ChangeTargetGroupTaggedForStage').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/service': 'orders-api', 'aws:ResourceTag/stage': 'dev' } });
      // The stage's log groups named with the stack id, and the one release 1.0 named (test/service-placement.test.ts).
      expect(bySid('LogGroup').Resource).toEqual([
        regional('logs', 'log-group:/ecs/orders-api/dev/*'),
        regional('logs', 'log-group:/ecs/orders-api/dev'),
        regional('logs', 'log-group:/ecs/orders-api/dev:*'),
      ]);
      expect(bySid('ChangeSecurityGroupsTaggedForStage').Condition.StringEquals).toEqual({ 'aws:ResourceTag/service': 'orders-api', 'aws:ResourceTag/stage': 'dev' });
      expect(bySid('PassStageRolesToEcsTasks')).toEqual(expect.objectContaining({
        Action: 'iam:PassRole',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/orders-api/dev/*']] },
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }));
      expect(bySid('ServiceLinkedRoles').Condition.StringEquals['iam:AWSServiceName']).toEqual([
        'ecs.amazonaws.com',
        'elasticloadbalancing.amazonaws.com',
        'ecs.application-autoscaling.amazonaws.com',
      ]);
      expect(JSON.stringify(statements)).not.toContain('orders-api-production');
      expect(arn('unused')).toBeDefined();
    });
  });

  describe('validation', () => {
    const expectError = (props: Partial<CodeStarFargatePipelineProps>, ...fragments: string[]) => {
      let message = '';
      try {
        synth(props);
      } catch (error) {
        message = (error as Error).message;
      }
      for (const fragment of fragments) {
        expect(message).toContain(fragment);
      }
    };

    it('refuses a service name with capitals', () => expectError({ serviceName: 'Orders_API' }, 'serviceName', '"Orders_API"'));
    it('refuses a service name too long for the load balancer', () => expectError({ serviceName: 'a-very-long-service-name-indeed' }, 'serviceName', 'at most 32'));
    it('refuses an empty stage list', () => expectError({ stages: [] }, 'stages', '[]'));
    it('refuses a stage name with a hyphen', () => expectError({ stages: [{ name: 'pre-prod' }] }, 'stages', '"pre-prod"'));
    it('refuses a stage named twice', () => expectError({ stages: [{ name: 'dev' }, { name: 'dev' }] }, 'stages', '"dev" appears more than once'));
    it('refuses minContainers above maxContainers', () =>
      expectError({ stages: [{ name: 'dev', minContainers: 5, maxContainers: 2 }] }, 'stages[0].minContainers', '5', 'stages[0].maxContainers', '2'));
    it('refuses a fractional container count', () =>
      expectError({ stages: [{ name: 'dev', maxContainers: 1.5 }] }, 'stages[0].maxContainers', '1.5'));
    it('refuses a certificate that is not an ACM ARN', () =>
      expectError({ stages: [{ name: 'dev', certificateArn: 'my-cert' }] }, 'stages[0].certificateArn', '"my-cert"'));
    it('refuses zero images to keep', () => expectError({ imageRetentionCount: 0 }, 'imageRetentionCount', '0'));

    it('refuses a network without two public subnets', () => {
      expect(() => synth({}, stack => ({ stages: [{ name: 'dev', vpc: importedVpc(stack, 'Dev', 1, 1) }] })))
        .toThrow(/stages\[0\]\.vpc "vpc-dev" .*1 public and 1 private/);
    });

    it('refuses a network without private subnets', () => {
      expect(() => synth({}, stack => ({ stages: [{ name: 'dev' }, { name: 'production', vpc: importedVpc(stack, 'Prod', 2, 0) }] })))
        .toThrow(/stages\[1\]\.vpc "vpc-prod" .*2 public and 0 private/);
    });

    it('refuses a connection ARN of another service', () => {
      expect(() => PipelineSource.connection({ connectionArn: 'arn:aws:codecommit:eu-west-1:123456789012:orders-api', owner: 'acme', repository: 'orders-api' }))
        .toThrow(/connectionArn "arn:aws:codecommit:eu-west-1:123456789012:orders-api" is not allowed/);
    });

    it('accepts a connection ARN of the older codestar-connections service', () => {
      expect(() => PipelineSource.connection({
        connectionArn: 'arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
        owner: 'acme',
        repository: 'orders-api',
      })).not.toThrow();
    });

    it('refuses an owner/repository given as one', () => {
      expect(() => PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'acme/orders-api' }))
        .toThrow(/repository "acme\/orders-api" is not allowed/);
    });

    it('refuses an empty branch', () => {
      expect(() => PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api', branch: '' }))
        .toThrow(/branch "" is not allowed/);
    });

    it('names the stages there are when asked for one there is not', () => {
      expect(() => synth().construct.vpcOf('qa')).toThrow(/stageName "qa" .*\["dev","production"\]/);
    });
  });

  describe('cdk-nag AwsSolutions and CDK validation', () => {
    it.each([
      // Without a domain or certificate, production's plain HTTP is a warning (test/pipeline-platform.test.ts).
      // Fargate Spot runs only X86_64 tasks, so ARM64 goes without Spot (test/pipeline-platform.test.ts).
      ['a connection source, a hosted zone, ARM64 and extra resource types', (_stack: Stack) => ({
        hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' },
        architecture: CpuArchitecture.ARM64,
        extraResourceTypes: ['AWS::DynamoDB::Table'],
      })],
      ['a connection source, a hosted zone and Spot', (_stack: Stack) => ({
        hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' },
        fargateSpot: true,
      })],
      ['a CodeCommit source, an existing network and HTTPS', (stack: Stack) => ({
        source: PipelineSource.codeCommit({ repository: new codecommit.Repository(stack, 'Repo', { repositoryName: 'orders-api' }) }),
        stages: [
          { name: 'dev', vpc: importedVpc(stack, 'Dev') },
          { name: 'staging', approvalRequired: true, certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/9f8e7d6c-5b4a-4321-8765-0fedcba98765' },
          { name: 'prod', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' },
        ],
      })],
    ])('synthesizes offline with %s and no unacknowledged finding, error or warning', (_name, configure) => {
      const { app, stack, construct } = synth({}, configure);
      const checks = new AwsSolutionsChecks(app);
      Validations.of(app).addPlugins(checks);

      expect(checks.validateScope(app).violations).toEqual([]);
      const assembly = app.synth();
      const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports.flatMap((plugin: any) => plugin.violations)).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(construct.node.path).toBe('Toolchain/Toolchain');
    });
  });

  describe('the synthesized toolchain template', () => {
    const templateFile = () => {
      const { app, stack } = synth({}, scope => ({
        source: PipelineSource.codeCommit({ repository: new codecommit.Repository(scope, 'Repo', { repositoryName: 'orders-api' }) }),
      }));
      return path.join(app.synth().directory, stack.templateFile);
    };

    it('keeps the CodeCommit repository, the source history, when the stack deletes or replaces it', () => {
      const { template } = synth({}, stack => ({
        source: PipelineSource.codeCommit({ repository: new codecommit.Repository(stack, 'Repo', { repositoryName: 'orders-api' }) }),
      }));
      template.hasResource('AWS::CodeCommit::Repository', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('passes cfn-lint', () => {
      // W3005: aws-cdk-lib writes a DependsOn beside a GetAtt on the same role in its own pipeline and provider constructs.
      const result = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', templateFile()], { encoding: 'utf-8' });
      expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
    });

    it('passes checkov, each finding skipped in the template with its reason', () => {
      // aws-cdk-lib's own provider function that empties the default security group of each new VPC: not ours to configure.
      const cdkProviderChecks = ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117'];
      const result = spawnSync('checkov', ['-f', templateFile(), '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download', '--skip-check', cdkProviderChecks.join(',')], { encoding: 'utf-8' });
      expect({ status: result.status, output: result.stdout.split('\n').filter(line => /Check:|FAILED/.test(line)) }).toEqual({ status: 0, output: [] });
    });
  });
});

describe('a stage in another account', () => {
  const PIPELINE_ACCOUNT = '111111111111';
  const PRODUCTION_ACCOUNT = '222222222222';

  /** The pipeline's stack with an explicit env, and the Availability Zones a committed cdk.context.json would hold. */
  function synthCrossAccount(production: Partial<PipelineStage> = {}) {
    const app = new App({
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-test-')),
      context: { [`availability-zones:account=${PIPELINE_ACCOUNT}:region=eu-west-1`]: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    });
    const stack = new Stack(app, 'orders-api-toolchain', { env: { account: PIPELINE_ACCOUNT, region: 'eu-west-1' } });
    const construct = new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: 'orders-api',
      source: githubSource(),
      stages: [{ name: 'dev' }, { name: 'production', account: PRODUCTION_ACCOUNT, vpc: importedVpc(stack, 'Production'), ...production }],
    });
    return { app, stack, construct };
  }

  it('puts the stage\'s deploy role, permissions boundary and stage guard in a stack of that account', () => {
    const { app } = synthCrossAccount();
    const access = app.node.findChild('orders-api-production-access') as Stack;
    expect([access.account, access.region]).toEqual([PRODUCTION_ACCOUNT, 'eu-west-1']);
    const template = Template.fromStack(access);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'orders-api-production-boundary', Path: '/orders-api/production/' });
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'cloudformation.amazonaws.com' } })] }) });
    template.resourceCountIs('AWS::CodeBuild::Project', 1);
  });

  it('deploys the stage through a role in its account, and lets that account\'s stage roles pull the image', () => {
    const { stack } = synthCrossAccount();
    const template = Template.fromStack(stack);
    const deploy = deployAction(template, 'production');
    expect(JSON.stringify(deploy.Configuration.RoleArn)).toContain(`:iam::${PRODUCTION_ACCOUNT}:role/`);
    expect(JSON.stringify((deploy as any).RoleArn)).toContain(`:iam::${PRODUCTION_ACCOUNT}:role/`);
    const repository = Object.values(template.findResources('AWS::ECR::Repository'))[0];
    expect(repository.Properties.RepositoryPolicyText.Statement).toContainEqual(expect.objectContaining({
      Sid: 'PullFromStageproduction',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Condition: { ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${PRODUCTION_ACCOUNT}:role/orders-api/production/*`]] } } },
    }));
    // dev stays in the pipeline's account, as before.
    expect(JSON.stringify(deployAction(template, 'dev').Configuration.RoleArn)).not.toContain(PRODUCTION_ACCOUNT);
  });

  it('synthesizes offline with no unacknowledged cdk-nag finding in either account', () => {
    const { app } = synthCrossAccount();
    const checks = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(checks);
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: any) => plugin.violations)).toEqual([]);
    expect(assembly.stacks.map(artifact => artifact.stackName).sort()).toEqual(['orders-api-production-access', 'orders-api-toolchain']);
  });

  it('keeps an artifact bucket of its own, with a rotated key, in a stage\'s other region, and stays free of cdk-nag findings', () => {
    const { app } = synthCrossAccount({ region: 'us-east-1' });
    const checks = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(checks);
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: any) => plugin.violations)).toEqual([]);
    const access = Template.fromStack(app.node.findChild('orders-api-production-access') as Stack);
    access.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    // CodeBuild needs a key of its own region.
    const [guard] = Object.values(access.findResources('AWS::CodeBuild::Project'));
    expect(guard.Properties.EncryptionKey).toEqual({ 'Fn::GetAtt': [Object.keys(access.findResources('AWS::KMS::Key'))[0], 'Arn'] });
    access.hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' }, LoggingConfiguration: Match.anyValue() });
  });

  it('writes a stack for the stage\'s account that passes cfn-lint and checkov', () => {
    const { app } = synthCrossAccount({ region: 'us-east-1' });
    const assembly = app.synth();
    const templateFile = path.join(assembly.directory, assembly.getStackByName('orders-api-production-access').templateFile);
    const lint = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', templateFile], { encoding: 'utf-8' });
    expect({ status: lint.status, output: `${lint.stdout}${lint.stderr}` }).toEqual({ status: 0, output: '' });
    const checkov = spawnSync('checkov', ['-f', templateFile, '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download'], { encoding: 'utf-8' });
    expect({ status: checkov.status, output: checkov.stdout.split('\n').filter(line => /Check:|FAILED/.test(line)) }).toEqual({ status: 0, output: [] });
  });

  it('refuses an account without an explicit env on the pipeline\'s stack, naming the stage and the stack', () => {
    expect(() => synth({ stages: [{ name: 'production', account: PRODUCTION_ACCOUNT }] }))
      .toThrow('stages[0].account "222222222222" and stages[0].region null need the pipeline\'s stack "Toolchain" to have an explicit env');
  });

  it('refuses a stage in another account without its network given by ids', () => {
    expect(() => synthCrossAccount({ vpc: undefined })).toThrow('stages[1].vpc undefined is not allowed for a stage in account 222222222222, region eu-west-1: give the network there by its ids');
  });

  it.each([
    ['account', { account: '2222' }, 'stages[1].account "2222" is not allowed: it must be a 12-digit AWS account id'],
    ['region', { region: 'Europe' }, 'stages[1].region "Europe" is not allowed: it must be an AWS region such as "eu-west-1"'],
  ])('refuses a malformed %s', (_what, production, message) => {
    expect(() => synthCrossAccount(production)).toThrow(message);
  });
});
