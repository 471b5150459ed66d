import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen';
import { AppRuntime, CodeStarFargateProject } from '../src';
import { listFiles, serviceOptions, synthService } from './helpers';

/*
 * What a service's dependency on this package looks like, and what synth does when an upgrade meets user files
 * written for an earlier release (README, "Install, upgrade and what an upgrade may change").
 */

const JEST_TEST = [
  "import { buildServer } from '../src/server';",
  "describe('the service', () => {",
  "  it('answers', async () => {",
  '    expect(buildServer()).toBeDefined();',
  '  });',
  '});',
  '',
].join('\n');

/** A service folder holding only app/test files, as an upgraded one would. */
function serviceWithAppTests(tests: Record<string, string>): string {
  const outdir = serviceOptions().outdir!;
  fs.mkdirSync(path.join(outdir, 'app', 'test'), { recursive: true });
  for (const [file, content] of Object.entries(tests)) {
    fs.writeFileSync(path.join(outdir, 'app', 'test', file), content);
  }
  return outdir;
}

describe('the dependency on this package', () => {
  it('is a caret range on the running release when .projenrc.ts names the package without a version', () => {
    const files = synthService({ devDeps: ['projen-codestar-fargate'] });
    expect(files['package.json'].devDependencies['projen-codestar-fargate']).toBe('^0.0.0');
  });

  it('keeps the range .projenrc.ts gives', () => {
    const files = synthService({ devDeps: ['projen-codestar-fargate@^0.0.0'] });
    expect(files['package.json'].devDependencies['projen-codestar-fargate']).toBe('^0.0.0');
  });

  it('writes the range into the .projenrc.ts that projen new creates', () => {
    const args = { devDeps: ['projen-codestar-fargate'], ['dev-deps']: ['projen-codestar-fargate'] };
    const options = serviceOptions({ devDeps: ['projen-codestar-fargate'] });
    new CodeStarFargateProject({ ...options, __new__: { fqn: 'projen-codestar-fargate.CodeStarFargateProject', args } } as any);
    expect(args.devDeps).toEqual(['projen-codestar-fargate@^0.0.0']);
  });

  it('says loudly when .projenrc.ts asks for another release than the one running', () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      new CodeStarFargateProject(serviceOptions({ devDeps: ['projen-codestar-fargate@^2.1.0'] }));
      const said = errors.mock.calls.flat().join('\n');
      expect(said).toContain('.projenrc.ts asks for projen-codestar-fargate@^2.1.0, but 0.0.0 is installed');
      expect(said).toContain('change the range in devDeps in .projenrc.ts');
    } finally {
      errors.mockRestore();
    }
  });
});

describe('a Node.js service whose app tests were written for jest (releases before 1.0.0)', () => {
  it('stops before writing anything, naming each jest test file and the edit to make', () => {
    const outdir = serviceWithAppTests({ 'server.test.ts': JEST_TEST, 'orders.test.ts': JEST_TEST });
    expect(() => new CodeStarFargateProject(serviceOptions({ outdir }))).toThrow(
      /app\/test\/orders\.test\.ts, app\/test\/server\.test\.ts use jest[\s\S]*Nothing was written[\s\S]*from 'node:test'[\s\S]*assert\.equal/,
    );
    expect(listFiles(outdir)).toEqual(['app/test/orders.test.ts', 'app/test/server.test.ts']);
  });

  it('synthesizes once the tests import node:test', () => {
    const migrated = `import assert from 'node:assert/strict';\nimport { describe, it } from 'node:test';\n${JEST_TEST.replace('expect(buildServer()).toBeDefined();', 'assert.ok(buildServer());')}`;
    const outdir = serviceWithAppTests({ 'server.test.ts': migrated });
    const files = Testing.synth(new CodeStarFargateProject(serviceOptions({ outdir })));
    expect(files['app/package.json'].devDependencies).not.toHaveProperty('jest');
    expect(files['app/test/server.test.ts']).toBe(migrated);
  });

  it('leaves a Spring Boot service alone', () => {
    const outdir = serviceWithAppTests({ 'server.test.ts': JEST_TEST });
    expect(() => new CodeStarFargateProject(serviceOptions({ outdir, appRuntime: AppRuntime.SPRING_BOOT }))).not.toThrow();
  });
});
