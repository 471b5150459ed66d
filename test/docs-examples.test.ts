import { execFileSync } from 'child_process';
import * as path from 'path';
import { sharedTarball } from './e2e/harness';

describe('the examples in README.md and the API docs', () => {
  it('compile against the package and translate to the other languages (jsii-rosetta)', async () => {
    // Packing compiles, so the .jsii jsii-rosetta reads holds the current README and doc comments.
    await sharedTarball();
    execFileSync('npx', ['jsii-rosetta', 'extract', '--compile', '--fail'], { cwd: path.join(__dirname, '..'), stdio: 'pipe' });
  });
});
