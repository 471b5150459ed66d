import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { AppRuntime } from '../src';
import { fakeCommand, runAsCodeBuild } from './codebuild-shell';
import { synthService } from './helpers';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schemas', 'buildspec.schema.json'), 'utf-8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe.each([AppRuntime.NODE, AppRuntime.SPRING_BOOT])('the %s buildspec.yml', (appRuntime) => {
  const buildspec = parse(synthService({ appRuntime })['buildspec.yml']);

  it('follows CodeBuild\'s buildspec 0.2 syntax', () => {
    validate(buildspec);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('stops before pushing anything when the tests fail', () => {
    for (const phase of ['install', 'pre_build', 'build']) {
      expect({ phase, onFailure: buildspec.phases[phase]['on-failure'] }).toEqual({ phase, onFailure: 'ABORT' });
    }
  });

  it('builds the image from nothing another commit\'s build left in the Docker daemon: no layer cache, bases fetched by digest', () => {
    expect(buildspec.phases.build.commands.filter((command: string) => /^docker build /.test(command))).toEqual([
      'docker build --pull --no-cache --tag "$REPOSITORY_URI:$IMAGE_TAG" .',
    ]);
  });

  it('pins every base image of the Dockerfile by its digest', () => {
    const bases = [...synthService({ appRuntime }).Dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map(match => match[1]).filter(image => image.includes('/'));
    expect(bases.length).toBeGreaterThan(0);
    expect(bases.filter(image => !/^[a-z0-9./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/.test(image))).toEqual([]);
  });

  it('installs nothing the CodeBuild standard image already has', () => {
    const installCommands: string[] = buildspec.phases.install.commands ?? [];
    expect(installCommands.filter((command) => /pip install|apt-get|yum|curl .*\| *(ba)?sh|dockerd/.test(command))).toEqual([]);
  });
});

describe('what a build may keep for the next, whose commit may be unapproved', () => {
  it('caches npm\'s downloads, which npm ci checks against the commit\'s package-lock.json', () => {
    expect(parse(synthService({ appRuntime: AppRuntime.NODE })['buildspec.yml']).cache).toEqual({ paths: ['/root/.npm/**/*'] });
  });

  it('caches nothing of Maven, which uses what ~/.m2 holds unchecked, only npm\'s downloads for the root\'s npm ci', () => {
    expect(parse(synthService({ appRuntime: AppRuntime.SPRING_BOOT })['buildspec.yml']).cache).toEqual({ paths: ['/root/.npm/**/*'] });
  });

  it('has the Maven wrapper verify the Maven it downloads against Maven Central\'s SHA-256', () => {
    const properties = synthService({ appRuntime: AppRuntime.SPRING_BOOT })['app/.mvn/wrapper/maven-wrapper.properties'];
    expect(properties).toContain('distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.16/apache-maven-3.9.16-bin.zip');
    // sha256sum of the zip from Maven Central, equal to its published apache-maven-3.9.16-bin.zip.sha256.
    expect(properties).toMatch(/^distributionSha256Sum=5af3b743dd8b876b5c45da33b676251e5f1687712644abb4ee519ca56e1d89ce$/m);
  });
});

describe('the buildspec schema', () => {
  it.each([
    ['a misspelt phase key', { version: 0.2, phases: { build: { command: ['make'] } } }],
    ['buildspec version 0.1 keys', { version: 0.1, environment_variables: {}, phases: { build: { commands: ['make'] } } }],
    ['an unknown report format', { version: 0.2, phases: { build: { commands: ['make'] } }, reports: { tests: { 'files': ['a.xml'], 'file-format': 'JUNIT' } } }],
  ])('refuses %s', (_what, buildspec) => {
    expect(validate(buildspec)).toBe(false);
  });
});

describe('buildspec.yml in a pull-request check (PULL_REQUEST_CHECK=true)', () => {
  const buildspec = parse(synthService()['buildspec.yml']);
  const REPOSITORY_URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders-api';
  const DIGEST = `sha256:${'ab'.repeat(32)}`;
  // The runtime's test commands need the app; the phases around them are what the switch changes.
  const dockerBuild = buildspec.phases.build.commands.filter((command: string) => command.startsWith('docker build '));
  // The build's own checks (test/build-checks.test.ts) need the service's files; the switch leaves them as they are.
  const phases = [...buildspec.phases.pre_build.commands, ...dockerBuild, ...buildspec.phases.post_build.commands].filter((command: string) => !command.includes('build-checks.sh'));
  const run = (environment: Record<string, string>, commands = phases) =>
    runAsCodeBuild(commands, {
      REPOSITORY_URI, CODEBUILD_RESOLVED_SOURCE_VERSION: '0123456789abcdef', CODEBUILD_BUILD_ID: 'orders-api:5e0b0a40', AWS_REGION: 'eu-west-1', ...environment,
    }, (bin, log) => {
      fakeCommand(bin, 'aws', log, [[/get-login-password/, { stdout: 'token' }]]);
      fakeCommand(bin, 'docker', log, [[/^push/, { stdout: `0123456789ab-5e0b0a40: digest: ${DIGEST} size: 1234` }]]);
    }, ['IMAGE_URI']);

  it('builds the image but logs in nowhere, pushes nothing and exports no image', () => {
    const check = run({ PULL_REQUEST_CHECK: 'true' });
    expect(check.status).toBe(0);
    expect(check.calls).toEqual([`docker build --pull --no-cache --tag ${REPOSITORY_URI}:0123456789ab-5e0b0a40 .`]);
    expect(check.variables.IMAGE_URI).toBe('');
  });

  it('leaves the pipeline\'s build as it was: login, push and the pushed digest exported', () => {
    const build = run({});
    expect(build.status).toBe(0);
    // The two sides of the login pipe log in either order.
    expect([...build.calls].sort()).toEqual([
      'aws ecr get-login-password --region eu-west-1',
      `docker build --pull --no-cache --tag ${REPOSITORY_URI}:0123456789ab-5e0b0a40 .`,
      'docker login --username AWS --password-stdin 111111111111.dkr.ecr.eu-west-1.amazonaws.com',
      `docker push ${REPOSITORY_URI}:0123456789ab-5e0b0a40`,
    ]);
    expect(build.variables.IMAGE_URI).toBe(`${REPOSITORY_URI}@${DIGEST}`);
  });

  it.each([['1', 'passed'], ['0', 'failed']])('tells a CodeCommit pull request the result (CODEBUILD_BUILD_SUCCEEDING=%s: %s), and nothing elsewhere', (succeeding, result) => {
    const pullRequest = { PULL_REQUEST_CHECK: 'true', PULL_REQUEST_ID: '42', REPOSITORY_NAME: 'orders-api', SOURCE_COMMIT: 'aaaa', DESTINATION_COMMIT: 'bbbb', CODEBUILD_BUILD_SUCCEEDING: succeeding };
    const commented = run(pullRequest, buildspec.phases.build.finally);
    expect(commented.calls).toEqual([expect.stringMatching(new RegExp(`^aws codecommit post-comment-for-pull-request --pull-request-id 42 --repository-name orders-api --before-commit-id bbbb --after-commit-id aaaa --content Tests, checks (and|or) docker build ${result}: build orders-api:5e0b0a40$`))]);
    expect(run({ CODEBUILD_BUILD_SUCCEEDING: succeeding }, buildspec.phases.build.finally).calls).toEqual([]);
  });
});
