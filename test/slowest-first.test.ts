import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SlowestFirst = require('./slowest-first');

describe('the order jest runs the test files in', () => {
  const rootDir = path.join(__dirname, '..');
  // A context jest has never timed anything in: a cold CI machine.
  const context = { config: { rootDir, cache: false, cacheDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'csf-sequencer-')), id: 'cold' } };
  const testOf = (file: string) => ({ path: path.join(rootDir, file), context });

  it('starts the slowest suites first on a machine that never ran them, before larger but quick files', () => {
    const files = ['test/spring-boot.test.ts', 'test/e2e/node-service.test.ts', 'test/project.test.ts', 'test/e2e/upgrade.test.ts', 'test/images.test.ts'];
    const order = new SlowestFirst({}).sort(files.map(testOf)).map((test: { path: string }) => path.relative(rootDir, test.path));
    expect(order.slice(0, 3)).toEqual(['test/e2e/upgrade.test.ts', 'test/images.test.ts', 'test/e2e/node-service.test.ts']);
    expect(order.slice(3).sort()).toEqual(['test/project.test.ts', 'test/spring-boot.test.ts']);
  });
});
