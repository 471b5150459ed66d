import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sharedTarball } from './e2e/harness';
import { synthService } from './helpers';

const REPO_ROOT = path.join(__dirname, '..');
const DOCS = path.join(REPO_ROOT, 'docs');

/** The ```ts blocks of a Markdown text, with the line each starts on. */
export function typeScriptExamples(markdown: string): Array<{ line: number; code: string }> {
  const examples: Array<{ line: number; code: string }> = [];
  let current: { line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (current) {
      if (/^\s*```\s*$/.test(text)) {
        examples.push({ line: current.line, code: current.lines.join('\n') });
        current = undefined;
      } else {
        current.lines.push(text);
      }
    } else if (/^\s*```(ts|typescript)\s*$/.test(text)) {
      current = { line: index + 1, lines: [] };
    }
  });
  return examples;
}

describe('the examples in README.md and the API docs', () => {
  it('compile against the package and translate to the other languages (jsii-rosetta)', async () => {
    // Packing compiles, so the .jsii jsii-rosetta reads holds the current README and doc comments.
    await sharedTarball();
    execFileSync('npx', ['jsii-rosetta', 'extract', '--compile', '--fail'], { cwd: REPO_ROOT, stdio: 'pipe' });
  });
});

describe('the examples in the guides under docs/', () => {
  it('finds the blocks of a guide and the line each starts on', () => {
    expect(typeScriptExamples('text\n```ts\nconst a = 1;\n```\n```bash\nls\n```\n```typescript\nconst b = 2;\n```\n'))
      .toEqual([{ line: 2, code: 'const a = 1;' }, { line: 8, code: 'const b = 2;' }]);
  });

  it('each compile against this package\'s source, naming the guide and line of one that does not', () => {
    // Inside the repository, so aws-cdk-lib and projen resolve from its node_modules as they would in a service.
    fs.mkdirSync(path.join(REPO_ROOT, 'test-reports'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test-reports', 'docs-examples-'));
    try {
      // infra/main.ts examples import the managed module a service has beside them.
      fs.writeFileSync(path.join(dir, 'toolchain.generated.ts'), synthService()['infra/toolchain.generated.ts']);
      const written: Record<string, string> = {};
      for (const guide of fs.readdirSync(DOCS).filter((file) => file.endsWith('.md'))) {
        typeScriptExamples(fs.readFileSync(path.join(DOCS, guide), 'utf-8')).forEach(({ line, code }) => {
          const file = `${guide.replace(/\W/g, '-')}-${line}.ts`;
          // Each example is a module of its own, as a .projenrc.ts or a CDK app is.
          fs.writeFileSync(path.join(dir, file), `${code}\nexport {};\n`);
          written[file] = `docs/${guide}:${line}`;
        });
      }
      expect(Object.keys(written).length).toBeGreaterThan(5);
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node',
          esModuleInterop: true,
          types: ['node'],
          baseUrl: '.',
          paths: { 'projen-codestar-fargate': [path.relative(dir, path.join(REPO_ROOT, 'src', 'index.ts'))] },
        },
        include: ['*.ts'],
      }));
      const result = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir, encoding: 'utf-8' });
      const errors = `${result.stdout}${result.stderr}`.split('\n').filter((line) => /error TS/.test(line))
        .map((line) => line.replace(/^(\S+?\.ts)\((\d+),\d+\)/, (_, file: string, row: string) => `${written[path.basename(file)] ?? file} (example line ${row})`));
      expect(errors).toEqual([]);
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
