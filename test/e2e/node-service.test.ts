import * as fs from 'fs';
import * as path from 'path';
import { describeGeneratedService } from './generated-service';

describeGeneratedService({
  runtime: 'node',
  enumMember: 'NODE',
  start: () => ['node', ['lib/server.js']],
  userFile: (appDir) => path.join(appDir, 'src', 'server.ts'),
  appSettingsFile: 'app/src/service.generated.ts',
  appDependency: {
    spec: 'ms@^2.1.3',
    arrived: (service) => JSON.parse(fs.readFileSync(path.join(service, 'app', 'package.json'), 'utf-8')).dependencies.ms === '^2.1.3'
      && fs.existsSync(path.join(service, 'app', 'node_modules', 'ms')),
  },
  startupTimeoutMs: 30_000,
  userOwnedFiles: ['app/README.md', 'app/src/server.ts', 'app/test/server.test.ts', 'app/src/config.ts', 'app/test/config.test.ts'],
  // The app's test command without its JUnit report: 20 runs took 110 s beside two CPU burners on a busy 2-core machine (the budget stops it sooner).
  skeletonTests: { command: 'node', args: ['--require', 'ts-node/register/transpile-only', '--test', 'test/server.test.ts'], env: { NODE_ENV: 'test' }, runs: 20 },
});
