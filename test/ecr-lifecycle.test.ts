import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { expiredImages, RepositoryImage } from './ecr-lifecycle-evaluator';
import { assetPath } from '../src/assets';
import { CodeStarFargatePipeline } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';

/**
 * The repository's lifecycle policy and the stage guard's record step, replayed through ECR's documented
 * evaluation (ecr-lifecycle-evaluator.ts) over any sequence of builds, deploys, promotions and rollbacks.
 */

/** The stages of a pipeline with one, two or three of them. */
const STAGE_NAMES: Record<number, string[]> = { 1: ['dev'], 2: ['dev', 'production'], 3: ['dev', 'staging', 'production'] };
const SOURCE = () => PipelineSource.connection({
  connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
  owner: 'acme',
  repository: 'orders-api',
});

/** What the toolchain sets up for images: the lifecycle policy and, per stage, what its record step is told. */
interface Toolchain {
  readonly policyText: string;
  readonly guards: StageGuardModel[];
}

/** The record step of one stage as the toolchain configures it (its RecordImage action's variables). */
interface StageGuardModel {
  readonly stage: string;
  readonly tagPrefix: string;
  /** How many images keep the stage's tag; undefined: the step never removes a tag. */
  readonly imagesKept?: number;
}

function synthesizeToolchain(stageCount: number, imageRetentionCount: number): Toolchain {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-lifecycle-')) });
  const stack = new Stack(app, 'Toolchain');
  const stages = STAGE_NAMES[stageCount].map(name => ({ name, approvalRequired: false }));
  new CodeStarFargatePipeline(stack, 'Toolchain', { serviceName: 'orders-api', source: SOURCE(), stages, imageRetentionCount, smokeTest: false });
  const template = Template.fromStack(stack);
  const repository = Object.values(template.findResources('AWS::ECR::Repository'))[0];
  const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0];
  const guards = stages.map(({ name }) => {
    const record = pipeline.Properties.Stages.find((stage: any) => stage.Name === name).Actions.find((action: any) => action.Name === 'RecordImage');
    const variables = Object.fromEntries(JSON.parse(record.Configuration.EnvironmentVariables)
      .map((variable: any) => [variable.name, variable.value]));
    const tagPrefix: string = variables.DEPLOYED_TAG_PREFIX ?? String(variables.DEPLOYED_TAG).replace('#{codepipeline.PipelineExecutionId}', '');
    return { stage: name, tagPrefix, imagesKept: variables.IMAGES_KEPT === undefined ? undefined : Number(variables.IMAGES_KEPT) };
  });
  return { policyText: repository.Properties.LifecyclePolicy.LifecyclePolicyText, guards };
}

/** The record step's tag time, as `date -u +%Y%m%dT%H%M%SZ` writes it, for a clock in seconds. */
function tagTime(clock: number): string {
  return new Date(Date.UTC(2026, 11, 1) + clock * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * The tags the record step removes (assets/toolchain/stage-guard.sh, `stage_guard_prune`): all of the stage's tags
 * but the newest of each image its record names; tags without a time count as older, newest push first.
 */
function tagsToPrune(images: readonly RepositoryImage[], tagPrefix: string, recorded: ReadonlySet<string>): string[] {
  const records = images.flatMap(image => [...image.tags].filter(tag => tag.startsWith(tagPrefix)).map(tag => {
    const stamp = tag.slice(tagPrefix.length);
    const timed = /^\d{8}T\d{6}Z-/.test(stamp);
    return { order: timed ? `1 ${stamp.split('-')[0]}` : `0 ${pushedAtText(image.pushedAt)}`, tag, digest: image.digest };
  }));
  const line = (record: { order: string; tag: string; digest: string }) => `${record.order} ${record.tag} ${record.digest}`;
  records.sort((a, b) => (line(a) < line(b) ? 1 : line(a) > line(b) ? -1 : 0));
  const kept = new Set<string>();
  const stale: string[] = [];
  for (const record of records) {
    if (!kept.has(record.digest) && recorded.has(record.digest)) {
      kept.add(record.digest);
    } else {
      stale.push(record.tag);
    }
  }
  return stale;
}

/** `imagePushedAt` as the AWS CLI prints it in text output. */
function pushedAtText(pushedAt: number): string {
  return new Date(Date.UTC(2026, 10, 1) + pushedAt * 1000).toISOString().replace('Z', '+00:00');
}

/** One event of a pipeline's life. */
type Event =
  | { readonly kind: 'release' } // a commit is built, pushed and deployed to the first stage
  | { readonly kind: 'build-only' } // a build pushes its image, then its first deploy fails
  | { readonly kind: 'promote'; readonly stage: number; readonly back: number } // the next stage deploys an image this one ran (0: its current)
  | { readonly kind: 'rollback'; readonly stage: number } // the stage deploys its previous image again
  | { readonly kind: 'redeploy'; readonly stage: number } // a re-run: the stage deploys its current image again
  | { readonly kind: 'forge'; readonly stage: number; readonly count: number }; // a dev build pushes images with a stage's tag, dated far ahead

const eventArbitrary: fc.Arbitrary<Event> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Event>({ kind: 'release' }) },
  { weight: 1, arbitrary: fc.constant<Event>({ kind: 'build-only' }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('promote' as const), stage: fc.nat(2), back: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rollback' as const), stage: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeploy' as const), stage: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('forge' as const), stage: fc.nat(2), count: fc.integer({ min: 1, max: 5 }) }) },
);

/** A repository and the pipeline using it, under ECR's lifecycle evaluation after every change. */
class Replay {
  private readonly images = new Map<string, { pushedAt: number; tags: Set<string> }>();
  /** Per stage, the images it ran, in the order it ran them. */
  private readonly ran: string[][];
  private clock = 0;
  private builds = 0;
  public readonly log: string[] = [];

  constructor(private readonly toolchain: Toolchain) {
    this.ran = toolchain.guards.map(() => []);
  }

  public apply(event: Event): void {
    const stages = this.toolchain.guards.length;
    switch (event.kind) {
      case 'release':
      case 'build-only': {
        this.builds += 1;
        const digest = `sha256:build${this.builds}`;
        this.images.set(digest, { pushedAt: this.tick(), tags: new Set([`0123456789ab-build${this.builds}`]) });
        this.log.push(`build ${this.builds} pushed`);
        this.expire();
        if (event.kind === 'release') {
          this.deploy(0, digest);
        }
        return;
      }
      case 'promote': {
        const from = event.stage % stages;
        if (from + 1 >= stages) {
          return;
        }
        const offered = this.distinctRecent(from)[event.back];
        // An image that waited for approval after it expired fails its deploy: the stage keeps what it runs.
        if (offered !== undefined && this.images.has(offered)) {
          this.deploy(from + 1, offered);
        }
        return;
      }
      case 'rollback': {
        const stage = event.stage % stages;
        const previous = this.distinctRecent(stage)[1];
        if (previous !== undefined) {
          this.deploy(stage, previous);
        }
        return;
      }
      case 'redeploy': {
        const stage = event.stage % stages;
        const current = this.distinctRecent(stage)[0];
        if (current !== undefined) {
          this.deploy(stage, current);
        }
        return;
      }
      case 'forge': {
        const guard = this.toolchain.guards[event.stage % stages];
        for (let n = 0; n < event.count; n++) {
          this.builds += 1;
          this.images.set(`sha256:forged${this.builds}`, { pushedAt: this.tick(), tags: new Set([`c0ffee-forged${this.builds}`, `${guard.tagPrefix}29991231T2359${String(n).padStart(2, '0')}Z-x${this.builds}`]) });
        }
        this.log.push(`a dev build forged ${event.count} ${guard.tagPrefix}* images`);
        this.expire();
        return;
      }
    }
  }

  /** The stage's images, most recently run first, each once: [current, previous, ...]. */
  public distinctRecent(stage: number): string[] {
    return [...new Set([...this.ran[stage]].reverse())];
  }

  /** The stage runs `digest`; its record step tags it and prunes, with ECR free to evaluate between any two calls. */
  private deploy(stage: number, digest: string): void {
    if (!this.images.has(digest)) {
      throw new Error(`${this.toolchain.guards[stage].stage} cannot pull ${digest}: it was expired (${this.log.join('; ')})`);
    }
    this.ran[stage].push(digest);
    const guard = this.toolchain.guards[stage];
    this.log.push(`${guard.stage} runs ${digest}`);
    this.images.get(digest)!.tags.add(`${guard.tagPrefix}${tagTime(this.tick())}-execution${this.clock}`);
    this.expire();
    if (guard.imagesKept !== undefined) {
      // The guard's record: the last imagesKept distinct images the stage ran.
      const recorded = new Set(this.distinctRecent(stage).slice(0, guard.imagesKept));
      for (const tag of tagsToPrune(this.snapshot(), guard.tagPrefix, recorded)) {
        [...this.images.values()].forEach(image => image.tags.delete(tag));
      }
      this.expire();
    }
  }

  private snapshot(): RepositoryImage[] {
    return [...this.images.entries()].map(([digest, image]) => ({ digest, pushedAt: image.pushedAt, tags: image.tags }));
  }

  private tick(): number {
    this.clock += 1;
    return this.clock;
  }

  /** ECR's lifecycle run, then the property: no stage loses the image it runs or its previous one. */
  private expire(): void {
    for (const digest of expiredImages(this.toolchain.policyText, this.snapshot())) {
      this.images.delete(digest);
      this.log.push(`ECR expires ${digest}`);
    }
    this.toolchain.guards.forEach((guard, stage) => {
      for (const [role, digest] of this.distinctRecent(stage).slice(0, 2).map((image, index) => [index === 0 ? 'runs' : 'rolls back to', image])) {
        if (!this.images.has(digest)) {
          throw new Error(`ECR expired ${digest}, which ${guard.stage} ${role}, after: ${this.log.join('; ')}`);
        }
      }
    });
  }
}

describe('the image repository\'s lifecycle, replayed through ECR\'s evaluation rules', () => {
  const toolchains = new Map<number, Toolchain>();
  const toolchainOf = (stages: number, retention: number) => {
    const key = stages * 100 + retention;
    if (!toolchains.has(key)) {
      toolchains.set(key, synthesizeToolchain(stages, retention));
    }
    return toolchains.get(key)!;
  };

  it('keeps production\'s image and its previous one while dev deploys three newer builds', () => {
    const replay = new Replay(toolchainOf(2, 30));
    const events: Event[] = [
      { kind: 'release' }, { kind: 'promote', stage: 0, back: 0 },
      { kind: 'release' }, { kind: 'promote', stage: 0, back: 0 },
      { kind: 'release' }, { kind: 'release' }, { kind: 'release' }, { kind: 'release' },
    ];
    events.forEach(event => replay.apply(event));
    expect(replay.distinctRecent(1).slice(0, 2)).toEqual(['sha256:build2', 'sha256:build1']);
  });

  it('never expires the image a stage runs or its previous one, whatever the builds, deploys, promotions and rollbacks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.constantFrom(1, 30), fc.array(eventArbitrary, { maxLength: 40 }),
        (stages, retention, events) => {
          const replay = new Replay(toolchainOf(stages, retention));
          events.forEach(event => replay.apply(event));
        }),
      { numRuns: 400 },
    );
  });

  it('has one rule per stage for its own tag and the count rule last, as ECR requires', () => {
    const rules = JSON.parse(toolchainOf(3, 30).policyText).rules.sort((a: any, b: any) => a.rulePriority - b.rulePriority);
    expect(rules.map((rule: any) => rule.selection.tagPatternList ?? rule.selection.tagStatus)).toEqual([
      ['deployed-production-*'], ['deployed-staging-*'], ['deployed-dev-*'], 'any',
    ]);
    // A stage's rule expires by age, which no number of forged pushes can reach; only the last rule counts.
    expect(rules.map((rule: any) => [rule.selection.countType, rule.selection.countNumber])).toEqual([
      ['sinceImagePushed', 3650], ['sinceImagePushed', 3650], ['sinceImagePushed', 3650], ['imageCountMoreThan', 30],
    ]);
  });
});

describe('ECR\'s evaluation, as the evaluator replays it', () => {
  const rule = (rulePriority: number, tagPrefixList: string[], countNumber: number) => ({
    rulePriority, selection: { tagStatus: 'tagged', tagPrefixList, countType: 'imageCountMoreThan', countNumber }, action: { type: 'expire' },
  });
  const image = (digest: string, pushedAt: number, ...tags: string[]): RepositoryImage => ({ digest, pushedAt, tags: new Set(tags) });
  const repository = [image('A', 1, 'beta-1', 'prod-1'), image('B', 2, 'beta-2', 'prod-2'), image('C', 3, 'beta-3')];

  it('expires A only when the prod rule comes first (lifecycle_policy_examples, multiple rules, Example A)', () => {
    expect([...expiredImages(JSON.stringify({ rules: [rule(1, ['prod'], 1), rule(2, ['beta'], 1)] }), repository)]).toEqual(['A']);
  });

  it('expires A and B when the beta rule comes first (Example B)', () => {
    expect([...expiredImages(JSON.stringify({ rules: [rule(1, ['beta'], 1), rule(2, ['prod'], 1)] }), repository)].sort()).toEqual(['A', 'B']);
  });

  it('selects only images with all of a rule\'s prefixes (multiple tags in a single rule, Example B)', () => {
    const tagged = [image('A', 1, 'alpha-1', 'beta-1', 'gamma-1'), image('B', 2, 'alpha-2', 'beta-2'), image('C', 3, 'alpha-3', 'beta-3', 'gamma-2'), image('D', 4, 'alpha-4')];
    expect([...expiredImages(JSON.stringify({ rules: [rule(1, ['alpha', 'beta'], 1)] }), tagged)].sort()).toEqual(['A', 'B']);
  });

  it('expires by age only images pushed more than countNumber days ago, whatever their count (evaluation rules, sinceImagePushed)', () => {
    const day = 86_400;
    const aged = { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 10 }, action: { type: 'expire' } };
    const images = [image('A', 0, 'prod-1'), image('B', 5 * day, 'prod-2'), ...[6, 7, 8, 9].map(n => image(`N${n}`, n * day, `prod-${n}`))];
    expect([...expiredImages(JSON.stringify({ rules: [aged] }), images, 10 * day)]).toEqual([]);
    expect([...expiredImages(JSON.stringify({ rules: [aged] }), images, 10 * day + 1)]).toEqual(['A']);
  });

  it('refuses an age rule without countUnit days', () => {
    const noUnit = { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'sinceImagePushed', countNumber: 10 }, action: { type: 'expire' } };
    expect(() => expiredImages(JSON.stringify({ rules: [noUnit] }), repository)).toThrow('countUnit undefined does not go with countType sinceImagePushed');
  });

  it('refuses a policy whose "any" rule is not the last', () => {
    const anyFirst = { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } };
    expect(() => expiredImages(JSON.stringify({ rules: [anyFirst, rule(2, ['prod'], 1)] }), repository)).toThrow('not the highest');
  });
});

describe('the record step\'s pruning, run by bash against a stand-in ECR', () => {
  const script = fs.readFileSync(assetPath('toolchain', 'stage-guard.sh'), 'utf-8');
  const PREFIX = 'deployed-dev-';

  /** A stand-in `aws` keeping a repository in a JSON file: put-image adds a tag, describe-images lists, batch-delete-image removes. */
  function standInAws(bin: string, state: string): void {
    const program = `
const fs = require('fs');
const args = process.argv.slice(2);
const repo = JSON.parse(fs.readFileSync(${JSON.stringify(state)}, 'utf-8'));
const value = (name) => args[args.indexOf(name) + 1];
const command = args[1];
if (command === 'get-parameter') {
  console.log(repo.parameter);
} else if (command === 'put-parameter') {
  repo.parameter = value('--value');
} else if (command === 'batch-get-image') {
  console.log(value('--query').includes('MediaType') ? 'application/vnd.oci.image.manifest.v1+json' : '{"schemaVersion":2}');
} else if (command === 'put-image') {
  repo.images.find((image) => image.digest === value('--image-digest')).tags.push(value('--image-tag'));
} else if (command === 'describe-images') {
  const prefix = /starts_with\\(@, '([^']*)'\\)/.exec(value('--query'))[1];
  for (const image of repo.images) {
    console.log([image.digest, image.pushedAt, image.tags.filter((tag) => tag.startsWith(prefix)).join(' ')].join('\\t'));
  }
} else if (command === 'batch-delete-image') {
  const ids = args.slice(args.indexOf('--image-ids') + 1).filter((arg) => arg.startsWith('imageTag='));
  for (const id of ids) {
    const tag = id.slice('imageTag='.length);
    repo.images.forEach((image) => { image.tags = image.tags.filter((other) => other !== tag); });
    repo.deleted.push(tag);
  }
}
fs.writeFileSync(${JSON.stringify(state)}, JSON.stringify(repo));
`;
    fs.writeFileSync(path.join(bin, 'aws.js'), program);
    fs.writeFileSync(path.join(bin, 'aws'), '#!/usr/bin/env bash\nexec node "$(dirname "$0")/aws.js" "$@"\n', { mode: 0o755 });
  }

  /** Records `digest` for dev with the real script, given the guard's record before; returns the tags it removed, the repository and the record after. */
  function record(images: RepositoryImage[], digest: string, imagesKept: number, parameter = 'none') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-prune-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const state = path.join(dir, 'repository.json');
    const held = images.map(item => ({ digest: item.digest, pushedAt: pushedAtText(item.pushedAt), tags: [...item.tags] }));
    fs.writeFileSync(state, JSON.stringify({ images: held, deleted: [], parameter }));
    standInAws(bin, state);
    const result = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf-8',
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        STAGE_GUARD_STEP: 'record',
        IMAGE_URI: `111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders-api@${digest}`,
        DEPLOYED_TAG_PREFIX: PREFIX,
        PIPELINE_EXECUTION_ID: '5e0b0a40-0000-4000-8000-000000000000',
        IMAGES_KEPT: String(imagesKept),
        DEPLOYED_IMAGES_PARAMETER: '/codestar-fargate/orders-api/dev/deployed-images',
      },
    });
    const after = JSON.parse(fs.readFileSync(state, 'utf-8'));
    return { status: result.status, output: `${result.stdout}${result.stderr}`, deleted: after.deleted as string[], images: after.images as Array<{ digest: string; tags: string[] }>, parameter: after.parameter as string };
  }

  it('keeps the stage\'s tag on the last images it ran, its other stages\' tags and build tags untouched', () => {
    const images = [
      image('sha256:a', 1, 'build-a', `${PREFIX}20261101T000000Z-e1`, 'deployed-production-20261101T000100Z-e2'),
      image('sha256:b', 2, 'build-b', `${PREFIX}20261102T000000Z-e3`),
      image('sha256:c', 3, 'build-c', `${PREFIX}20261103T000000Z-e4`),
      image('sha256:d', 4, 'build-d'),
    ];
    const run = record(images, 'sha256:d', 3, 'sha256:c sha256:b sha256:a');
    expect(run.status).toBe(0);
    expect(run.parameter).toBe('sha256:d sha256:c sha256:b');
    expect(run.deleted).toEqual([`${PREFIX}20261101T000000Z-e1`]);
    expect(run.images.find(item => item.digest === 'sha256:a')!.tags).toEqual(['build-a', 'deployed-production-20261101T000100Z-e2']);
    expect(run.images.find(item => item.digest === 'sha256:d')!.tags).toEqual(['build-d', expect.stringMatching(/^deployed-dev-\d{8}T\d{6}Z-5e0b0a40-0000-4000-8000-000000000000$/)]);
  });

  it('takes forged future-dated tags off images the record does not name, and keeps the tag on the images the stage ran', () => {
    const images = [
      image('sha256:a', 1, 'build-a', `${PREFIX}20261101T000000Z-e1`),
      image('sha256:b', 2, 'build-b', `${PREFIX}20261115T000000Z-e2`),
      image('sha256:f1', 3, 'forged-1', `${PREFIX}29991231T235951Z-x`),
      image('sha256:f2', 4, 'forged-2', `${PREFIX}29991231T235952Z-x`),
      image('sha256:c', 5, 'build-c'),
    ];
    const run = record(images, 'sha256:c', 3, 'sha256:b sha256:a');
    expect(run.status).toBe(0);
    expect(run.deleted.sort()).toEqual([`${PREFIX}29991231T235951Z-x`, `${PREFIX}29991231T235952Z-x`]);
    for (const digest of ['sha256:a', 'sha256:b', 'sha256:c']) {
      expect(run.images.find(item => item.digest === digest)!.tags.some(tag => tag.startsWith(PREFIX))).toBe(true);
    }
  });

  it('removes exactly the tags the replayed model removes, tags from before the time was in them included', () => {
    const tagArbitrary = fc.oneof(
      fc.integer({ min: 1, max: 28 }).map(day => `${PREFIX}202611${String(day).padStart(2, '0')}T120000Z-e${day}`),
      fc.uuid().map(uuid => `${PREFIX}${uuid}`),
      fc.constant('deployed-production-20261101T000000Z-e0'),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(tagArbitrary, { maxLength: 3 }), { minLength: 1, maxLength: 6, selector: tags => tags.join() }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.nat(5), { maxLength: 4 }),
        (tagLists, imagesKept, previous) => {
          const used = new Set<string>();
          const images = tagLists.map((tags, index) => image(`sha256:${index}`, index + 1, `build-${index}`, ...tags.filter(tag => !used.has(tag) && used.add(tag))));
          const current = `sha256:${images.length - 1}`;
          const before = previous.map(n => `sha256:${n}`);
          const run = record(images, current, imagesKept, before.length ? before.join(' ') : 'none');
          const recorded = [...new Set([current, ...before])].slice(0, imagesKept);
          expect(run.parameter).toBe(recorded.join(' '));
          expect(run.status).toBe(0);
          const added = run.images[images.length - 1].tags.find(tag => tag.startsWith(PREFIX) && !images[images.length - 1].tags.has(tag))!;
          const tagged = images.map((item, index) => (index === images.length - 1 ? { ...item, tags: new Set([...item.tags, added]) } : item));
          expect(run.deleted.sort()).toEqual(tagsToPrune(tagged, PREFIX, new Set(recorded)).sort());
        }),
      { numRuns: 12 },
    );
  });

  it('stops, showing ECR\'s answer, when a tag could not be removed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-prune-'));
    fs.writeFileSync(path.join(dir, 'aws'), `#!/usr/bin/env bash
case "$*" in
  *get-parameter*) echo none ;;
  *put-parameter*) ;;
  *MediaType*) echo application/vnd.oci.image.manifest.v1+json ;;
  *batch-get-image*) echo '{"schemaVersion":2}' ;;
  *describe-images*) printf 'sha256:a\\t2026-11-01T00:00:00+00:00\\t${PREFIX}20261101T000000Z-e1\\nsha256:b\\t2026-11-02T00:00:00+00:00\\t\\n' ;;
  *batch-delete-image*) printf '${PREFIX}20261101T000000Z-e1\\tImageNotFound\\n' ;;
esac
`, { mode: 0o755 });
    const result = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf-8',
      env: { PATH: `${dir}:${process.env.PATH}`, STAGE_GUARD_STEP: 'record', IMAGE_URI: 'r.example/orders-api@sha256:b', DEPLOYED_TAG_PREFIX: PREFIX, PIPELINE_EXECUTION_ID: 'e', IMAGES_KEPT: '0', DEPLOYED_IMAGES_PARAMETER: 'p' },
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ImageNotFound');
  });

  function image(digest: string, pushedAt: number, ...tags: string[]): RepositoryImage {
    return { digest, pushedAt, tags: new Set(tags) };
  }
});
