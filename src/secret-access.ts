import { SecretSettings } from './options';

/** Where ARNs are rendered: CloudFormation's `${AWS::Region}` in a template, the CDK's tokens in the toolchain. */
export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** What a stage's execution role (and its permissions boundary) may read to start its tasks: exactly its secrets. */
export interface SecretAccess {
  /** `secretsmanager:GetSecretValue` on these. */
  readonly secretArns: string[];
  /** `ssm:GetParameters` on these. */
  readonly parameterArns: string[];
  /** `kms:Decrypt` on these, only through the services in `viaServices`. */
  readonly kmsKeyArns: string[];
  /** `secretsmanager.<region>.amazonaws.com` and/or `ssm.<region>.amazonaws.com`, as the secrets need. */
  readonly viaServices: string[];
}

/** A full secret ARN ends in `-` and the six characters Secrets Manager appends to the name. */
const FULL_SECRET_ARN = /-[A-Za-z0-9]{6}$/;

function parameterArn(name: string, scope: ArnScope): string {
  return `arn:${scope.partition}:ssm:${scope.region}:${scope.account}:parameter/${name.replace(/^\//, '')}`;
}

function secretArn(id: string, scope: ArnScope): string {
  return id.startsWith('arn:') ? id : `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.account}:secret:${id}`;
}

/** What ECS reads for `ValueFrom`: the parameter's ARN, or the secret's name or ARN with `:<jsonKey>::`. */
export function secretValueFrom(secret: SecretSettings, scope: ArnScope): string {
  if (secret.source === 'ssmParameter') {
    return parameterArn(secret.id, scope);
  }
  return secret.jsonKey !== undefined ? `${secretArn(secret.id, scope)}:${secret.jsonKey}::` : secret.id;
}

/**
 * The ARNs the stage's secrets need. A secret by name matches its full ARN
 * through `-??????`, the six characters Secrets Manager adds, so the role
 * cannot read `<name>-more` or any other secret.
 */
export function secretAccess(secrets: { [name: string]: SecretSettings }, scope: ArnScope): SecretAccess {
  const all = Object.values(secrets);
  const unique = (values: string[]) => [...new Set(values)].sort();
  const fromSecretsManager = all.filter(secret => secret.source === 'secretsManager');
  const fromParameters = all.filter(secret => secret.source === 'ssmParameter');
  const keyed = all.filter(secret => secret.kmsKeyArn !== undefined);
  return {
    secretArns: unique(fromSecretsManager.map(secret => {
      const arn = secretArn(secret.id, scope);
      return secret.id.startsWith('arn:') && FULL_SECRET_ARN.test(secret.id) ? arn : `${arn}-??????`;
    })),
    parameterArns: unique(fromParameters.map(secret => parameterArn(secret.id, scope))),
    kmsKeyArns: unique(keyed.map(secret => secret.kmsKeyArn!)),
    viaServices: unique(keyed.map(secret => `${secret.source === 'ssmParameter' ? 'ssm' : 'secretsmanager'}.${scope.region}.amazonaws.com`)),
  };
}

/** The policy statements of `access`, in IAM's JSON. */
export function secretAccessStatements(access: SecretAccess): Array<Record<string, unknown>> {
  return [
    ...(access.secretArns.length > 0 ? [{ Sid: 'ReadStageSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: access.secretArns }] : []),
    ...(access.parameterArns.length > 0 ? [{ Sid: 'ReadStageParameters', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: access.parameterArns }] : []),
    ...(access.kmsKeyArns.length > 0
      ? [{
        Sid: 'DecryptStageSecrets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: access.kmsKeyArns,
        Condition: { StringEquals: { 'kms:ViaService': access.viaServices } },
      }]
      : []),
  ];
}
