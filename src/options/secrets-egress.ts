/* The secrets a task reads and the outbound traffic it may send. */

/**
 * Where a secret comes from: give exactly one of `secretsManager` and
 * `ssmParameter`. ECS reads it when a task starts and passes it to the
 * container as an environment variable; it never appears in the template.
 */
export interface SecretReference {
  /**
   * A Secrets Manager secret in the stage's account and region, by name
   * (`orders/db`) or full ARN.
   *
   * @default - none; give `ssmParameter` instead
   */
  readonly secretsManager?: string;

  /**
   * With `secretsManager`, the key in the secret's JSON whose value the
   * variable gets.
   *
   * @default - the whole secret string
   */
  readonly jsonKey?: string;

  /**
   * An SSM Parameter Store parameter in the stage's account and region, by
   * name (`/orders/db-password`); a `SecureString` is decrypted.
   *
   * @default - none; give `secretsManager` instead
   */
  readonly ssmParameter?: string;

  /**
   * The ARN of the customer managed KMS key the secret or parameter is
   * encrypted with; the execution role may decrypt with it only through
   * Secrets Manager or SSM.
   *
   * @default - the AWS managed key, which needs no permission
   */
  readonly kmsKeyArn?: string;
}

/**
 * A destination the tasks may open TCP connections to: `port` (to `toPort`)
 * on either `cidr` or `securityGroupId`.
 */
export interface EgressRule {
  /** The TCP port, or the first of a range with `toPort`: 1 to 65535. */
  readonly port: number;

  /**
   * The last port of the range.
   *
   * @default - `port` only
   */
  readonly toPort?: number;

  /**
   * An IPv4 CIDR block, e.g. `10.0.0.0/16`.
   *
   * @default - none; give `securityGroupId` instead
   */
  readonly cidr?: string;

  /**
   * A security group in the stage's VPC, e.g. the database's `sg-0123456789abcdef0`.
   *
   * @default - none; give `cidr` instead
   */
  readonly securityGroupId?: string;

  /**
   * What is reached, shown on the security group rule.
   *
   * @default - the destination and port
   */
  readonly description?: string;
}
