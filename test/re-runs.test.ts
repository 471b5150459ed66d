import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { fakeCommand, runAsCodeBuild } from './codebuild-shell';
import { synthService } from './helpers';
import { assetPath } from '../src/assets';

/**
 * The buildspec's and the stage guard's shell logic, run by bash as CodeBuild
 * runs it (one shell, command after command, stopping at the first failure),
 * against fake `aws` and `docker` commands on PATH that log every call.
 */

const REPOSITORY_URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders-api';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('re-running a pipeline execution, the buildspec', () => {
  const buildspec = parse(synthService()['buildspec.yml']);
  // The runtime's own build commands (tests) need the app; the image logic is what a re-run changes.
  const commands: string[] = [
    ...buildspec.phases.pre_build.commands,
    ...buildspec.phases.build.commands.filter((command: string) => command.includes('docker')),
    ...buildspec.phases.post_build.commands,
  ];
  const environment = { REPOSITORY_URI, CODEBUILD_RESOLVED_SOURCE_VERSION: '0123456789abcdef0123', AWS_REGION: 'eu-west-1' };
  const run = (describeImages: Array<[RegExp, { stdout?: string; stderr?: string; status?: number }]>) =>
    runAsCodeBuild(commands, environment, (bin, log) => {
      fakeCommand(bin, 'aws', log, [[/get-login-password/, { stdout: 'token' }], ...describeImages]);
      fakeCommand(bin, 'docker', log, []);
    }, ['IMAGE_URI', 'IMAGE_TAG']);

  it('reuses the image a first run pushed, builds and pushes nothing, and deploys it by digest', () => {
    const rerun = run([[/describe-images/, { stdout: DIGEST }]]);
    expect(rerun.status).toBe(0);
    expect(rerun.calls.filter(call => /^docker (build|push)/.test(call))).toEqual([]);
    expect(rerun.variables).toEqual({ IMAGE_URI: `${REPOSITORY_URI}@${DIGEST}`, IMAGE_TAG: '0123456789ab' });
  });

  it('builds and pushes a commit\'s image once when it is not there yet, and deploys it by the digest ECR reports', () => {
    const first = runAsCodeBuild(commands, environment, (bin, log) => {
      fakeCommand(bin, 'docker', log, [[/^push/, { stdout: 'pushed' }]]);
      // ECR answers "not found" before the push and the digest after it.
      fs.writeFileSync(path.join(bin, 'aws'), `#!/usr/bin/env bash\necho "aws $*" >> '${log}'\ncase "$*" in\n  *get-login-password*) echo token ;;\n  *describe-images*) if grep -q 'docker push' '${log}'; then echo '${DIGEST}'; else echo 'An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:0123456789ab} does not exist' >&2; exit 254; fi ;;\nesac\n`, { mode: 0o755 });
    }, ['IMAGE_URI', 'IMAGE_TAG']);
    expect(first.status).toBe(0);
    expect(first.calls.filter(call => /^docker (build|push)/.test(call))).toEqual([
      `docker build --tag ${REPOSITORY_URI}:0123456789ab .`,
      `docker push ${REPOSITORY_URI}:0123456789ab`,
    ]);
    expect(first.variables.IMAGE_URI).toBe(`${REPOSITORY_URI}@${DIGEST}`);
  });

  it('stops, showing ECR\'s error, when it cannot tell whether the image exists', () => {
    const denied = run([[/describe-images/, { stderr: 'An error occurred (AccessDeniedException) when calling the DescribeImages operation: not authorized to perform ecr:DescribeImages', status: 254 }]]);
    expect(denied.status).not.toBe(0);
    expect(denied.output).toContain('AccessDeniedException');
    expect(denied.calls.filter(call => /^docker (build|push)/.test(call))).toEqual([]);
  });
});

describe('the stage guard', () => {
  const script = fs.readFileSync(assetPath('toolchain', 'stage-guard.sh'), 'utf-8');
  const prepare = (status: string | undefined, protect = 'true') => runAsCodeBuild([script], { STAGE_GUARD_STEP: 'prepare', STACK_NAME: 'orders-api-production', PROTECT_LOAD_BALANCER: protect }, (bin, log) => {
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
    const denied = runAsCodeBuild([script], { STAGE_GUARD_STEP: 'prepare', STACK_NAME: 'orders-api-dev', PROTECT_LOAD_BALANCER: 'false' }, (bin, log) => {
      fakeCommand(bin, 'aws', log, [[/describe-stacks/, { stderr: 'An error occurred (AccessDenied) when calling the DescribeStacks operation', status: 254 }]]);
    }, []);
    expect(denied.status).not.toBe(0);
    expect(denied.output).toContain('AccessDenied');
  });

  const record = (putImage: { stderr?: string; status?: number }) => runAsCodeBuild([script], {
    STAGE_GUARD_STEP: 'record',
    IMAGE_URI: `${REPOSITORY_URI}@${DIGEST}`,
    DEPLOYED_TAG: 'deployed-production-5e0b0a40-0000-4000-8000-000000000000',
  }, (bin, log) => {
    fakeCommand(bin, 'aws', log, [
      [/imageManifestMediaType/, { stdout: 'application/vnd.oci.image.manifest.v1+json' }],
      [/imageManifest/, { stdout: '{"schemaVersion":2}' }],
      [/put-image/, putImage],
    ]);
  }, []);

  it('tags the image the stage now runs with the stage and the execution, by its digest', () => {
    const tagged = record({});
    expect(tagged.status).toBe(0);
    expect(tagged.calls.filter(call => call.includes('put-image'))).toEqual([
      `aws ecr put-image --repository-name orders-api --image-tag deployed-production-5e0b0a40-0000-4000-8000-000000000000 --image-digest ${DIGEST} --image-manifest file://image-manifest.json --image-manifest-media-type application/vnd.oci.image.manifest.v1+json`,
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
