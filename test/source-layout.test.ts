import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src');
/** dpdm's command line: its library needs chalk 5, an ES module jest cannot require on this Node. */
const DPDM = path.join(path.dirname(require.resolve('dpdm/package.json')), 'lib', 'bin', 'dpdm.js');
/** The house limit on a source file (DESIGN.md, "Keep project.ts thin and no file past ~600 lines"). */
const MAX_LINES = 600;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(child) : entry.name.endsWith('.ts') ? [child] : [];
  });
}

describe('the source layout', () => {
  it('has no import cycle in src/, type-only imports included', () => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dpdm-')), 'dependencies.json');
    // Every file is an entry, so a cycle among files index.ts does not reach is found too; without --transform, type-only imports count.
    execFileSync(process.execPath, [DPDM, '--no-tree', '--no-warning', '--no-circular', '--no-progress', '--tsconfig', 'tsconfig.dev.json', '-o', output, 'src/**/*.ts'], { cwd: ROOT, stdio: 'pipe' });
    const { circulars } = JSON.parse(fs.readFileSync(output, 'utf-8')) as { circulars: string[][] };
    const cycles = circulars.map((cycle) => [...cycle, cycle[0]].join(' -> '));
    expect(cycles).toEqual([]);
  }, 60_000);

  it(`has no file in src/ past ${MAX_LINES} lines`, () => {
    const offenders = sourceFiles(SRC)
      .map((file) => ({ file: path.relative(ROOT, file), lines: fs.readFileSync(file, 'utf-8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file} (${lines} lines)`);
    expect(offenders).toEqual([]);
  });
});
