import * as fs from 'fs';
import { fakeCommand, runAsCodeBuild } from './codebuild-shell';
import { PREPARED_IMAGE, PREPARED_IMAGE_CHECK } from './guarded-image';
import { assetPath } from '../src/assets';

/**
 * The stage guard's shell logic, run by bash as CodeBuild
 * runs it (one shell, command after command, stopping at the first failure),
 * against fake `aws` and `docker` commands on PATH that log every call.
 */

const REPOSITORY_URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders-api';
const DIGEST = `sha256:${'ab'.repeat(32)}`;


describe('the stage guard', () => {
  const script = fs.readFileSync(assetPath('toolchain', 'stage-guard.sh'), 'utf-8');
  const prepare = (status: string | undefined, protect = 'true') => runAsCodeBuild([script], { ...PREPARED_IMAGE, STAGE_GUARD_STEP: 'prepare', STACK_NAME: 'orders-api-production', PROTECT_LOAD_BALANCER: protect }, (bin, log) => {
    fakeCommand(bin, 'aws', log, [
      [/describe-stacks/, status === undefined
        ? { stderr: 'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id orders-api-production does not exist', status: 254 }
        : { stdout: status }],
    ]);
  }, ['LOAD_BALANCER_DELETION_PROTECTION']);

  it('lets a first create run with the load balancer unprotected, so that its rollback can delete it', () => {
    const first = prepare(undefined);
    expect(first.status).toBe(0);
    expect(first.variables.LOAD_BALANCER_DELETION_PROTECTION).toBe('false');
    expect(first.calls.filter(call => call.includes('delete-stack'))).toEqual([]);
  });

  it.each(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED'])('deletes a stack whose first create failed (%s), so the next run creates it again', (status) => {
    const recovery = prepare(status);
    expect(recovery.status).toBe(0);
    expect(recovery.calls).toEqual([
      PREPARED_IMAGE_CHECK,
      'aws cloudformation describe-stacks --stack-name orders-api-production --query Stacks[0].StackStatus --output text',
      'aws cloudformation delete-stack --stack-name orders-api-production',
      'aws cloudformation wait stack-delete-complete --stack-name orders-api-production',
    ]);
    expect(recovery.variables.LOAD_BALANCER_DELETION_PROTECTION).toBe('false');
  });

  it.each(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_FAILED'])('never deletes a stack that once succeeded (%s), and protects its load balancer in production', (status) => {
    const established = prepare(status);
    expect(established.status).toBe(0);
    expect(established.calls.filter(call => call.includes('delete-stack'))).toEqual([]);
    expect(established.variables.LOAD_BALANCER_DELETION_PROTECTION).toBe('true');
    expect(prepare(status, 'false').variables.LOAD_BALANCER_DELETION_PROTECTION).toBe('false');
  });

  it('stops, showing the error, when it cannot read the stack', () => {
    const denied = runAsCodeBuild([script], { ...PREPARED_IMAGE, STAGE_GUARD_STEP: 'prepare', STACK_NAME: 'orders-api-dev', PROTECT_LOAD_BALANCER: 'false' }, (bin, log) => {
      fakeCommand(bin, 'aws', log, [[/describe-stacks/, { stderr: 'An error occurred (AccessDenied) when calling the DescribeStacks operation', status: 254 }]]);
    }, []);
    expect(denied.status).not.toBe(0);
    expect(denied.output).toContain('AccessDenied');
  });

  const record = (putImage: { stderr?: string; status?: number }) => runAsCodeBuild([script], {
    STAGE_GUARD_STEP: 'record',
    IMAGE_URI: `${REPOSITORY_URI}@${DIGEST}`,
    DEPLOYED_TAG_PREFIX: 'deployed-production-',
    PIPELINE_EXECUTION_ID: '5e0b0a40-0000-4000-8000-000000000000',
    IMAGES_KEPT: '3',
  }, (bin, log) => {
    fakeCommand(bin, 'aws', log, [
      [/imageManifestMediaType/, { stdout: 'application/vnd.oci.image.manifest.v1+json' }],
      [/imageManifest/, { stdout: '{"schemaVersion":2}' }],
      [/put-image/, putImage],
      [/describe-images/, { stdout: '' }],
    ]);
  }, []);

  it('tags the image the stage now runs with the stage, the time and the execution, by its digest', () => {
    const tagged = record({});
    expect(tagged.status).toBe(0);
    expect(tagged.calls.filter(call => call.includes('put-image'))).toEqual([
      expect.stringMatching(new RegExp(`^aws ecr put-image --repository-name orders-api --image-tag deployed-production-\\d{8}T\\d{6}Z-5e0b0a40-0000-4000-8000-000000000000 --image-digest ${DIGEST} --image-manifest file://image-manifest.json --image-manifest-media-type application/vnd\\.oci\\.image\\.manifest\\.v1\\+json$`)),
    ]);
  });

  it('accepts a retried stage whose image already carries the tag, and fails on any other error', () => {
    expect(record({ stderr: 'An error occurred (ImageAlreadyExistsException) when calling the PutImage operation', status: 254 }).status).toBe(0);
    const denied = record({ stderr: 'An error occurred (AccessDeniedException) when calling the PutImage operation', status: 254 });
    expect(denied.status).not.toBe(0);
    expect(denied.output).toContain('AccessDeniedException');
  });

  it('refuses an unknown step, naming it', () => {
    const unknown = runAsCodeBuild([script], { STAGE_GUARD_STEP: 'deploy' }, () => undefined, []);
    expect(unknown.status).not.toBe(0);
    expect(unknown.output).toContain('STAGE_GUARD_STEP must be prepare or record, not \'deploy\'');
  });
});
