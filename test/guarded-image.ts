/** The image a Prepare step is told the deploy runs, and the repository it must be in (stage-guard.ts' prepareAction). */
export const REPOSITORY_URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders-api';
export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
export const PREPARED_IMAGE = { IMAGE_URI: `${REPOSITORY_URI}@${DIGEST}`, REPOSITORY_URI };
/** The call the Prepare step makes first: ECR, asked whether the repository holds that digest. */
export const PREPARED_IMAGE_CHECK = `aws ecr describe-images --repository-name orders-api --image-ids imageDigest=${DIGEST} --query imageDetails[0].imageDigest --output text`;
