import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { synthService } from './helpers';
import { AppRuntime } from '../src';

/**
 * The generated buildspec.yml's commands, run by bash as CodeBuild runs them (one shell, stopping at the first
 * failure), against stand-ins for `docker` and `aws` that keep an ECR repository with immutable tags in a folder.
 * An unapproved build may have pushed any tag it could guess, the commit's own included: a build must deploy
 * the image it built and pushed itself, or fail.
 */

const REPOSITORY_URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders-api';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const PLANTED = `sha256:${'ba'.repeat(32)}`;

/**
 * `docker` and `aws` stand-ins sharing a repository folder (one file per tag, holding its digest):
 * `docker build` writes a fresh image id; `docker push` refuses an existing tag, as an immutable repository does,
 * and otherwise stores the tag with a digest of its own and prints it as Docker does; `aws ecr describe-images`
 * answers by tag as ECR does, so a buildspec that looks a tag up finds the planted image.
 */
function standIns(bin: string, repository: string, log: string): void {
  fs.writeFileSync(path.join(bin, 'docker'), `#!/usr/bin/env bash
echo "docker $*" >> '${log}'
case "$1" in
  login) cat > /dev/null; echo 'Login Succeeded' ;;
  build) head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n' > "$(dirname "$0")/built" ;;
  push)
    tag="\${2##*:}"
    if [ -e '${repository}'/"$tag" ]; then
      echo "tag invalid: The image tag '$tag' already exists in the 'orders-api' repository and cannot be overwritten because the repository is immutable." >&2
      exit 1
    fi
    digest="sha256:$(sha256sum "$(dirname "$0")/built" | cut -c 1-64)"
    echo "$digest" > '${repository}'/"$tag"
    echo "The push refers to repository [\${2%:*}]"
    echo "5f70bf18a086: Pushed"
    echo "$tag: digest: $digest size: 1573"
    ;;
esac
`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'aws'), `#!/usr/bin/env bash
echo "aws $*" >> '${log}'
case "$*" in
  *get-login-password*) echo token ;;
  *describe-images*)
    tag="$(printf '%s' "$*" | sed -n 's/.*imageTag=\\([^ ]*\\).*/\\1/p')"
    if [ -e '${repository}'/"$tag" ]; then cat '${repository}'/"$tag"; else echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:$tag} does not exist" >&2; exit 254; fi
    ;;
esac
`, { mode: 0o755 });
}

interface Build {
  readonly status: number;
  readonly output: string;
  readonly imageUri?: string;
  readonly imageTag?: string;
  /** What the repository holds after the build, by tag. */
  readonly repository: Record<string, string>;
}

describe.each([AppRuntime.NODE, AppRuntime.SPRING_BOOT])('the %s buildspec against a tag an unapproved build planted', (appRuntime) => {
  const buildspec = parse(synthService({ appRuntime })['buildspec.yml']);
  // The runtime's own build commands (tests) and the checks (build-checks.test.ts) need the service; what reaches the deploys is the image logic.
  const commands: string[] = [
    ...buildspec.phases.pre_build.commands.filter((command: string) => !command.includes('build-checks.sh')),
    ...buildspec.phases.build.commands.filter((command: string) => command.includes('docker')),
    ...buildspec.phases.post_build.commands,
  ];

  /** One build of COMMIT in a repository folder shared across builds, as CodeBuild numbers and names them. */
  function build(repository: string, buildNumber: number): Build {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-planted-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(dir, 'calls.log');
    standIns(bin, repository, log);
    const script = [
      ...commands.map(command => `{\n${command}\n} || exit $?`),
      'echo "VARIABLE IMAGE_URI=$IMAGE_URI"',
      'echo "VARIABLE IMAGE_TAG=$IMAGE_TAG"',
    ].join('\n');
    const result = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf-8',
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: dir,
        REPOSITORY_URI,
        AWS_REGION: 'eu-west-1',
        CODEBUILD_RESOLVED_SOURCE_VERSION: COMMIT,
        CODEBUILD_BUILD_NUMBER: String(buildNumber),
        CODEBUILD_BUILD_ID: `orders-api-build:${uuidOf(buildNumber)}`,
      },
    });
    const variable = (name: string) => new RegExp(`^VARIABLE ${name}=(.*)$`, 'm').exec(result.stdout)?.[1];
    const held = Object.fromEntries(fs.readdirSync(repository).map(tag => [tag, fs.readFileSync(path.join(repository, tag), 'utf-8').trim()]));
    return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}`, imageUri: variable('IMAGE_URI'), imageTag: variable('IMAGE_TAG'), repository: held };
  }

  /** A repository where the hostile build pushed its image under every tag it could guess for the commit's next builds. */
  function plantedRepository(): string {
    const repository = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-ecr-'));
    const guesses = [COMMIT.slice(0, 12), COMMIT, ...[41, 42, 43].flatMap(number => [`${COMMIT.slice(0, 12)}-${number}`, `${COMMIT.slice(0, 12)}-build${number}`])];
    guesses.forEach(tag => fs.writeFileSync(path.join(repository, tag), `${PLANTED}\n`));
    return repository;
  }

  it('deploys the digest of the image it built and pushed itself, never the planted one', () => {
    const repository = plantedRepository();
    const first = build(repository, 42);
    expect(first.status).toBe(0);
    expect(first.imageUri).not.toContain(PLANTED);
    // The digest is the one this build's push stored under this build's own tag.
    expect(first.imageUri).toBe(`${REPOSITORY_URI}@${first.repository[first.imageTag!]}`);
    expect(first.imageTag).toMatch(new RegExp(`^${COMMIT.slice(0, 12)}-`));
  });

  it('builds and pushes again on a re-run of the execution, deploying that run\'s own image', () => {
    const repository = plantedRepository();
    const first = build(repository, 42);
    const rerun = build(repository, 43);
    expect(rerun.status).toBe(0);
    expect(rerun.imageTag).not.toBe(first.imageTag);
    expect(rerun.imageUri).toBe(`${REPOSITORY_URI}@${rerun.repository[rerun.imageTag!]}`);
    expect([first.imageUri, rerun.imageUri].filter(uri => uri?.includes(PLANTED))).toEqual([]);
  });

  it('fails, deploying nothing, when the push does not go through', () => {
    const repository = plantedRepository();
    const first = build(repository, 42);
    // Someone pushed this build's own tag first: the repository refuses to overwrite it.
    fs.writeFileSync(path.join(repository, `${COMMIT.slice(0, 12)}-${uuidOf(44)}`), `${PLANTED}\n`);
    const refused = build(repository, 44);
    expect(first.status).toBe(0);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('cannot be overwritten');
    expect(refused.imageUri).toBeUndefined();
  });
});

/** A CodeBuild build id's UUID, fixed per build number so a test can reason about one build. */
function uuidOf(buildNumber: number): string {
  return `5e0b0a40-0000-4000-8000-${String(buildNumber).padStart(12, '0')}`;
}
