// Jest's order of test files, slowest first even on a machine that has never run them (a cold CI machine).
// Jest's own order puts files it has timed last and the rest by size, so there the 10-minute upgrade suite could
// start last and leave the other worker idle for its whole length.
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Seconds each slow file took in a cold `.ci/run` on a new 2-core machine (issue 28; the "Suite times" that .ci/run
 * prints): renew them from that list when a suite's time moves by minutes.
 */
const COLD_RUN_SECONDS = {
  'test/e2e/upgrade.test.ts': 716,
  'test/images.test.ts': 421,
  'test/e2e/newcomer.test.ts': 406,
  'test/e2e/spring-boot-service.test.ts': 388,
  'test/e2e/node-service.test.ts': 340,
  'test/e2e/platform.test.ts': 278,
  'test/consumers.test.ts': 270,
  'test/e2e/container-service.test.ts': 228,
  'test/e2e/go-service.test.ts': 167,
};

class SlowestFirst extends Sequencer {
  sort(tests) {
    const seconds = (test) => {
      const timed = this.time(test);
      if (timed !== undefined) return timed / 1000;
      return COLD_RUN_SECONDS[path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/')] ?? 0;
    };
    return [...tests].sort((a, b) =>
      // A file that failed last time first, as Jest does, then the slowest; untimed files keep Jest's order by size.
      (Number(this.hasFailed(b)) - Number(this.hasFailed(a))) || (seconds(b) - seconds(a)) || (sizeOf(b) - sizeOf(a)));
  }
}

function sizeOf(test) {
  try {
    return require('fs').statSync(test.path).size;
  } catch {
    return 0;
  }
}

module.exports = SlowestFirst;
