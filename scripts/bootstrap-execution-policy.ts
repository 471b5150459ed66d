// Writes assets/bootstrap-execution-policy.json: what CloudFormation needs in a stage's own account to deploy the
// toolchain's `<service>-<stage>-access` stack there, derived from the stack and from AWS's registry schemas.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { registrySchemas } from './registry-schemas';
import { CodeStarFargatePipeline, PipelineSource } from '../src';
import { PLATFORMS_PARAMETER_ROOT } from '../src/contract';

export const POLICY_FILE = path.join(__dirname, '..', 'assets', 'toolchain', 'bootstrap-execution-policy.json');

/** The handlers CloudFormation calls for a resource it creates, reads back, updates and deletes. */
const HANDLERS = ['create', 'read', 'update', 'delete'];

const PIPELINE_ACCOUNT = '111111111111';
const STAGE_ACCOUNT = '222222222222';

/**
 * What differs between cross-account stacks: the stage's region (another one adds an artifact bucket), a zone,
 * emails, and a platform (its stage reads the platform's SSM parameters there instead of taking a VPC).
 */
const VARIANTS: Array<{ region: string; hostedZone?: boolean; emails?: boolean; platformName?: string }> = [
  { region: 'eu-west-1' },
  { region: 'us-east-1', hostedZone: true, emails: true },
  // The policy names every platform's parameters, not this one's.
  { region: 'eu-central-1', platformName: 'acme' },
];

/** The CloudFormation templates of `<service>-<stage>-access` in each variant, as `cdk synth` writes them. */
export function accessStackTemplates(): any[] {
  return VARIANTS.map(variant => {
    const app = new App({
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-policy-')),
      context: { [`availability-zones:account=${PIPELINE_ACCOUNT}:region=eu-west-1`]: ['eu-west-1a', 'eu-west-1b'] },
    });
    const stack = new Stack(app, 'orders-api-toolchain', { env: { account: PIPELINE_ACCOUNT, region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'ProductionVpc', {
      vpcId: 'vpc-0abc', availabilityZones: ['a', 'b'].map(zone => `${variant.region}${zone}`), publicSubnetIds: ['subnet-1', 'subnet-2'], privateSubnetIds: ['subnet-3', 'subnet-4'],
    });
    new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: 'orders-api',
      source: PipelineSource.connection({ connectionArn: `arn:aws:codeconnections:eu-west-1:${PIPELINE_ACCOUNT}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`, owner: 'acme', repository: 'orders-api' }),
      stages: [{ name: 'dev' }, { name: 'production', account: STAGE_ACCOUNT, region: variant.region, ...(variant.platformName ? {} : { vpc }) }],
      ...(variant.platformName ? { platformName: variant.platformName } : {}),
      ...(variant.hostedZone ? { hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' } } : {}),
      ...(variant.emails ? { notificationEmails: ['team@example.com'] } : {}),
    });
    return app.synth().getStackByName('orders-api-production-access').template;
  });
}

/** The resource types of the templates, sorted. */
export function resourceTypesOf(templates: any[]): string[] {
  return [...new Set(templates.flatMap(template => Object.values(template.Resources ?? {}).map((resource: any) => resource.Type as string)))].sort();
}

/**
 * Types whose registry schema lists no handlers (CloudFormation still provisions them the old way), with the calls
 * that provisioning needs, from the CodeBuild permissions reference
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-permissions-reference.html):
 * create, read back, update and delete the project, and pass it its service role.
 */
export const TYPES_WITHOUT_HANDLERS: Record<string, string[]> = {
  'AWS::CodeBuild::Project': ['codebuild:BatchGetProjects', 'codebuild:CreateProject', 'codebuild:DeleteProject', 'codebuild:UpdateProject', 'iam:PassRole'],
};

/** Per resource type, the permissions its registry schema lists for the create, read, update and delete handlers. */
export function handlerPermissions(types: string[], region = 'us-east-1'): Record<string, string[]> {
  const schemaOf = registrySchemas(region);
  const permissions: Record<string, string[]> = {};
  for (const type of types) {
    const schema = schemaOf(type);
    if (!schema) {
      throw new Error(`${type} has no registry schema in cfn-lint's ${region} provider: the execution policy cannot be derived for it.`);
    }
    if (schema.handlers === undefined && !(type in TYPES_WITHOUT_HANDLERS)) {
      throw new Error(`${type}'s registry schema lists no handler permissions: add the calls CloudFormation makes for it to TYPES_WITHOUT_HANDLERS, citing AWS's page.`);
    }
    permissions[type] = schema.handlers === undefined
      ? TYPES_WITHOUT_HANDLERS[type]
      : [...new Set(HANDLERS.flatMap(handler => schema.handlers[handler]?.permissions ?? []))].sort();
  }
  return permissions;
}

/** The SSM parameters the templates' parameters resolve (the CDK's bootstrap version check, a platform's values), as ARN patterns. */
export function ssmParametersOf(templates: any[]): string[] {
  const names = templates.flatMap(template => Object.values(template.Parameters ?? {})
    .filter((parameter: any) => String(parameter.Type).startsWith('AWS::SSM::Parameter::Value'))
    .map((parameter: any) => String(parameter.Default))
    // Any platform's and stage's: what a platform publishes there is ids and ARNs, no secret.
    .map(name => (name.startsWith(PLATFORMS_PARAMETER_ROOT) ? `${PLATFORMS_PARAMETER_ROOT}*` : name)));
  return [...new Set(names)].sort().map(name => `arn:aws:ssm:*:*:parameter${name}`);
}

/** How an IAM action is written: IAM and the policy simulator refuse anything else in a policy. */
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/** Handler permissions that are no IAM action (the S3 bucket schema lists "s3:REST.PUT.OBJECT"), left out. */
export function notIamActions(permissions: Record<string, string[]>): string[] {
  return [...new Set(Object.values(permissions).flat().filter(permission => !IAM_ACTION.test(permission)))].sort();
}

/** The execution policy: every handler permission of every resource type the access stack creates, and its SSM reads. */
export function deriveExecutionPolicy(): any {
  const templates = accessStackTemplates();
  const permissions = handlerPermissions(resourceTypesOf(templates));
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccessStackResources',
        Effect: 'Allow',
        Action: [...new Set(Object.values(permissions).flat().filter(permission => IAM_ACTION.test(permission)))].sort(),
        Resource: '*',
      },
      {
        Sid: 'StackParameters',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: ssmParametersOf(templates),
      },
    ],
  };
}

if (require.main === module) {
  fs.writeFileSync(POLICY_FILE, `${JSON.stringify(deriveExecutionPolicy(), undefined, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), POLICY_FILE)}`);
}
