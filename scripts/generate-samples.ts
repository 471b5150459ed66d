// Regenerates samples/: the whole output of the project type per runtime, as `projen new` would write it.
import * as fs from 'fs';
import * as path from 'path';
import { AppRuntime, CodeStarFargateProject } from '../src';
import { runningVersion } from '../src/components/release-dependency';

/** The runtimes with a sample, and the folder each lives in under samples/. */
export const SAMPLES: ReadonlyArray<{ runtime: AppRuntime; folder: string }> = [
  { runtime: AppRuntime.NODE, folder: 'node-service' },
  { runtime: AppRuntime.SPRING_BOOT, folder: 'spring-boot-service' },
];

const ENUM_NAMES: Record<AppRuntime, string> = {
  [AppRuntime.NODE]: 'NODE',
  [AppRuntime.SPRING_BOOT]: 'SPRING_BOOT',
  [AppRuntime.CONTAINER]: 'CONTAINER',
};

/** Writes the sample for `runtime` into `outdir` (which must not exist yet): generated files and the user's .projenrc.ts. */
export function generateSample(runtime: AppRuntime, name: string, outdir: string): void {
  // What `projen new --from projen-codestar-fargate` writes: the release that created the service, as a caret range.
  const dependency = `projen-codestar-fargate@^${runningVersion()}`;
  const previous = process.env.PROJEN_DISABLE_POST;
  // No dependency installs: a sample is the generated text, not a working copy.
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    new CodeStarFargateProject({
      name,
      appRuntime: runtime,
      defaultReleaseBranch: 'main',
      devDeps: [dependency],
      outdir,
    }).synth();
  } finally {
    process.env.PROJEN_DISABLE_POST = previous;
  }
  fs.writeFileSync(path.join(outdir, '.projenrc.ts'), [
    "import { AppRuntime, CodeStarFargateProject } from 'projen-codestar-fargate';",
    'const project = new CodeStarFargateProject({',
    `  appRuntime: AppRuntime.${ENUM_NAMES[runtime]},`,
    "  defaultReleaseBranch: 'main',",
    `  devDeps: ['${dependency}'],`,
    `  name: '${name}',`,
    '});',
    'project.synth();',
    '',
  ].join('\n'));
}

if (require.main === module) {
  const samplesDir = path.resolve(__dirname, '..', 'samples');
  for (const { runtime, folder } of SAMPLES) {
    const outdir = path.join(samplesDir, folder);
    fs.rmSync(outdir, { recursive: true, force: true });
    generateSample(runtime, folder, outdir);
    console.error(`samples/${folder}: regenerated`);
  }
}
