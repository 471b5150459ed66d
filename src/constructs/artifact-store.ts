import { Duration, PhysicalName, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { skipCheckov } from './findings';

/** A pipeline artifact bucket and the key that encrypts it. */
export interface ArtifactStore {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
}

/**
 * An artifact bucket as the pipeline keeps its own in every region it deploys
 * to: KMS with a rotated key, TLS only, private, versioned, access-logged.
 * Named only when another account reads it.
 */
export function createArtifactStore(scope: Construct, description: string): ArtifactStore {
  const key = new kms.Key(scope, 'ArtifactKey', { description, enableKeyRotation: true });
  const accessLogs = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
  });
  const accessLogsReason = 'This bucket receives the artifact bucket\'s server access logs; logging it too would need another bucket, and so on without end.';
  Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: accessLogsReason });
  skipCheckov(accessLogs, 'CKV_AWS_18', accessLogsReason);
  const bucket = new s3.Bucket(scope, 'Artifacts', {
    bucketName: PhysicalName.GENERATE_IF_NEEDED,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'artifacts/',
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
  });
  return { bucket, key };
}
