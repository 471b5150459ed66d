import * as fs from 'fs';
import { fakeCommand, runAsCodeBuild } from './codebuild-shell';
import { DIGEST, PREPARED_IMAGE, REPOSITORY_URI } from './guarded-image';
import { assetPath } from '../src/assets';

// Attacker review, finding 2: template.yml's AllowedPattern, which the commit owns, was the only check of the image
// the deploy runs; the Prepare step, which no commit can change, refuses anything but a digest of the service's repository.
const script = fs.readFileSync(assetPath('toolchain', 'stage-guard.sh'), 'utf-8');
const prepare = (imageUri: string, inRepository = true) => runAsCodeBuild([script], {
  ...PREPARED_IMAGE, IMAGE_URI: imageUri, STAGE_GUARD_STEP: 'prepare', STACK_NAME: 'orders-api-production', PROTECT_LOAD_BALANCER: 'true',
}, (bin, log) => {
  fakeCommand(bin, 'aws', log, [
    [/describe-images/, inRepository ? { stdout: DIGEST } : { stderr: `An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageDigest:${DIGEST}} does not exist`, status: 254 }],
    [/describe-stacks/, { stderr: 'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id orders-api-production does not exist', status: 254 }],
  ]);
}, ['LOAD_BALANCER_DELETION_PROTECTION']);

describe('the Prepare step\'s check of the image the deploy runs', () => {
  it('lets a digest of the service\'s repository through, after asking ECR for it there', () => {
    const run = prepare(PREPARED_IMAGE.IMAGE_URI);
    expect(run.status).toBe(0);
    expect(run.calls).toContainEqual(`aws ecr describe-images --repository-name orders-api --image-ids imageDigest=${DIGEST} --query imageDetails[0].imageDigest --output text`);
  });

  it.each([
    ['another repository', `222222222222.dkr.ecr.eu-west-1.amazonaws.com/attacker@${DIGEST}`],
    ['a repository whose name starts with the service\'s', `${REPOSITORY_URI}-forged@${DIGEST}`],
    ['a tag instead of a digest', `${REPOSITORY_URI}:latest`],
    ['a short digest', `${REPOSITORY_URI}@sha256:0123abcd`],
    ['a digest and something after it', `${REPOSITORY_URI}@${DIGEST}\nx`],
  ])('refuses %s before CloudFormation is asked anything', (_case, imageUri) => {
    const run = prepare(imageUri);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`refusing to deploy IMAGE_URI '${imageUri}'`);
    expect(run.calls.filter(call => call.includes('cloudformation'))).toEqual([]);
  });

  it('refuses a digest the repository does not hold, with ECR\'s answer', () => {
    const run = prepare(PREPARED_IMAGE.IMAGE_URI, false);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`refusing to deploy IMAGE_URI '${PREPARED_IMAGE.IMAGE_URI}': its digest is not in the repository orders-api`);
    expect(run.output).toContain('ImageNotFoundException');
    expect(run.calls.filter(call => call.includes('cloudformation'))).toEqual([]);
  });
});
