import { OptionError } from './errors';
import { EXTRA_RESOURCE_HANDLER_PERMISSIONS } from './extra-resource-types.generated';

/**
 * A resource type a team may add to template.yml through `extraResourceTypes`: what the stage's deploy role and
 * its tasks get on the stage's own resources of that type. CloudFormation names a resource it names itself
 * `<stack name>-<logical id>-<random>`, and the stack is `<service>-<stage>`, so `<service>-<stage>-` prefixes
 * every name of the stage's own; stage names have no hyphen, so no other stage's name starts with it.
 */
export interface ExtraResourceType {
  /** The IAM service prefix of the type's actions. */
  readonly service: string;
  /** The IAM resource names (after `arn:<partition>:<service>:<region>:<account>:`) of the stage's own resources. */
  readonly resourceNames: (stagePrefix: string) => string[];
  /** What the stage's tasks may do on them: the task role's and the permissions boundary's statement. */
  readonly taskActions: string[];
  /** Handler permissions of the type's own service the deploy role does not get, each with why. */
  readonly refusedPermissions: Readonly<Record<string, string>>;
  /** Other services the handlers call for properties the deploy role refuses, each with why. */
  readonly refusedServices: Readonly<Record<string, string>>;
}

/** The types `extraResourceTypes` takes; scripts/extra-resource-types.ts derives their handler permissions from AWS's registry schemas. */
export const EXTRA_RESOURCE_TYPES: Readonly<Record<string, ExtraResourceType>> = {
  'AWS::DynamoDB::Table': {
    service: 'dynamodb',
    resourceNames: prefix => [`table/${prefix}*`, `table/${prefix}*/index/*`],
    taskActions: [
      'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem',
      'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable',
    ],
    refusedPermissions: {
      'dynamodb:ImportTable': 'ImportSourceSpecification: it reads an S3 bucket the stage does not own',
      'dynamodb:DescribeImport': 'ImportSourceSpecification: refused with ImportTable',
      'dynamodb:CreateTableReplica': 'replicas live in other regions (AWS::DynamoDB::GlobalTable): not a stage\'s own table',
      'dynamodb:AssociateTableReplica': 'replicas live in other regions: not a stage\'s own table',
      'dynamodb:PutResourcePolicy': 'ResourcePolicy: a table policy could open the stage\'s data to principals outside the stage',
      'dynamodb:DeleteResourcePolicy': 'ResourcePolicy: refused with PutResourcePolicy',
      'dynamodb:EnableKinesisStreamingDestination': 'KinesisStreamSpecification: it writes the table to a stream the stage does not own',
      'dynamodb:DisableKinesisStreamingDestination': 'KinesisStreamSpecification: refused with EnableKinesisStreamingDestination',
      'dynamodb:UpdateKinesisStreamingDestination': 'KinesisStreamSpecification: refused with EnableKinesisStreamingDestination',
      'dynamodb:GetItem': 'the handler copies items for imports and replicas, both refused: the deploy role never reads the data',
      'dynamodb:Scan': 'the handler copies items for imports and replicas, both refused: the deploy role never reads the data',
      'dynamodb:Query': 'the handler copies items for imports and replicas, both refused: the deploy role never reads the data',
      'dynamodb:PutItem': 'the handler copies items for imports and replicas, both refused: the deploy role never writes the data',
      'dynamodb:UpdateItem': 'the handler copies items for imports and replicas, both refused: the deploy role never writes the data',
      'dynamodb:DeleteItem': 'the handler copies items for imports and replicas, both refused: the deploy role never writes the data',
      'dynamodb:BatchWriteItem': 'the handler copies items for imports and replicas, both refused: the deploy role never writes the data',
    },
    refusedServices: {
      kms: 'SSESpecification.KMSMasterKeyId (a customer key the stage does not own): tables use DynamoDB\'s own key',
      kinesis: 'KinesisStreamSpecification: a stream the stage does not own',
      s3: 'ImportSourceSpecification: a bucket the stage does not own',
      logs: 'ImportSourceSpecification: the import\'s log, refused with the import',
      iam: 'replicas\' service-linked role: replicas are refused',
    },
  },
};

/** Types refused by name, with why: each could reach beyond the stage or change who may do what. */
const NEVER_EXTRA: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'a role outside the stage\'s path and boundary could escalate; template.yml\'s own roles are already granted',
  'AWS::IAM::Policy': 'it could give the stage\'s roles any permission',
  'AWS::IAM::ManagedPolicy': 'it could give the stage\'s roles any permission',
  'AWS::IAM::User': 'a user is an identity outside the stage\'s boundary',
  'AWS::IAM::InstanceProfile': 'it hands a role to EC2',
  'AWS::Lambda::Function': 'a function runs with any role it is given',
  'AWS::CloudFormation::Stack': 'a nested stack could create any type',
  'AWS::CloudFormation::CustomResource': 'a custom resource runs code with another role',
  'AWS::SQS::Queue': 'a commit could make any queue of the account, another stage\'s too, its dead-letter queue (RedrivePolicy, which no IAM condition limits) and move its own messages into it',
};

/**
 * Refuses anything but a list of the types EXTRA_RESOURCE_TYPES holds, naming the option, the value and what is
 * allowed; the same rule for the project option and the construct prop.
 */
export function validateExtraResourceTypes(option: string, types: unknown): string[] {
  const allowed = `${option} takes ${Object.keys(EXTRA_RESOURCE_TYPES).join(' and ')} (docs/security.md)`;
  if (!Array.isArray(types) || types.some(type => typeof type !== 'string')) {
    throw new OptionError(`${option} ${JSON.stringify(types)} is not allowed: give a list of CloudFormation resource types; ${allowed}.`);
  }
  for (const type of types as string[]) {
    if (NEVER_EXTRA[type]) {
      throw new OptionError(`${option} "${type}" is not allowed: a stage's deploy role never manages it (${NEVER_EXTRA[type]}); ${allowed}.`);
    }
    if (!EXTRA_RESOURCE_TYPES[type]) {
      throw new OptionError(`${option} "${type}" is not allowed: it is not a type whose handler permissions this release can scope to a stage's own resources; ${allowed}.`);
    }
  }
  const repeated = (types as string[]).find((type, index) => types.indexOf(type) !== index);
  if (repeated !== undefined) {
    throw new OptionError(`${option} names "${repeated}" twice: give each type once; ${allowed}.`);
  }
  return [...types as string[]];
}

/** The prefix of every name CloudFormation gives the stage's own resources: `<service>-<stage>-`. */
export function extraResourcePrefix(stackName: string): string {
  return `${stackName}-`;
}

/** What the stage's deploy role may call on the stage's own resources of `type`: its handler permissions, as derived from the schemas. */
export function extraDeployActions(type: string): string[] {
  return [...EXTRA_RESOURCE_HANDLER_PERMISSIONS[type]];
}

/**
 * The handler permissions of `type` the deploy role gets, from the registry schema's create, read, update and
 * delete handlers: those of the type's own service that it does not refuse. Throws on a permission of a service
 * the type does not name, so a schema that starts calling another service is seen when the table is regenerated.
 */
export function deriveExtraDeployActions(type: string, schema: { handlers?: Record<string, { permissions?: string[] }> }): string[] {
  const extra = EXTRA_RESOURCE_TYPES[type];
  const permissions = ['create', 'read', 'update', 'delete'].flatMap(phase => schema.handlers?.[phase]?.permissions ?? []);
  const unknown = permissions.filter(permission => permission.split(':')[0] !== extra.service && !(permission.split(':')[0] in extra.refusedServices));
  if (unknown.length > 0) {
    throw new Error(`${type}'s handlers call ${[...new Set(unknown)].join(', ')}: say in EXTRA_RESOURCE_TYPES whether the deploy role may.`);
  }
  return [...new Set(permissions.filter(permission => permission.split(':')[0] === extra.service && !(permission in extra.refusedPermissions)))].sort();
}
