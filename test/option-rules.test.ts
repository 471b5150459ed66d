import * as fc from 'fast-check';
import { AppRuntime, CodeStarFargateProjectOptions } from '../src';
import { OptionError } from '../src/errors';
import { resolveServiceSettings } from '../src/validation';

/**
 * Each rule-based option, held to what its refusal says: every value the message allows is accepted, and values just
 * outside are refused with a message that names the option and the value. Seeded, so a failure repeats.
 */
const RUNS = { seed: 29, numRuns: 150 };
const TASK_SIZE = { cpu: 256, memoryMiB: 512 };
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

function resolve(overrides: Partial<CodeStarFargateProjectOptions>) {
  return resolveServiceSettings({ name: 'orders-api', defaultReleaseBranch: 'main', appRuntime: AppRuntime.NODE, ...overrides }, TASK_SIZE);
}

/** The message of the OptionError the options get, or undefined when they are accepted. */
function refusal(overrides: Partial<CodeStarFargateProjectOptions>): string | undefined {
  try {
    resolve(overrides);
    return undefined;
  } catch (error) {
    if (!(error instanceof OptionError)) {
      throw error;
    }
    return error.message;
  }
}

/** Asserts a refusal that starts with `<option> <value>`. */
function expectRefused(overrides: Partial<CodeStarFargateProjectOptions>, option: string, value: unknown): string {
  const message = refusal(overrides);
  expect({ value, message }).toEqual({ value, message: expect.stringMatching(new RegExp(`^${escape(option)} ${escape(JSON.stringify(value))}`)) });
  return message!;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map(list => list.join(''));

/** What the stage-name message allows: a lowercase letter, then lowercase letters and digits, at most 16 characters. */
const stageName = fc.tuple(chars(LOWER, 1, 1), chars(LOWER + DIGITS, 0, 15)).map(([first, rest]) => first + rest);

/** What the serviceName message allows for a longest stage of `longest` characters. */
function serviceNameOf(minLength: number, maxLength: number) {
  return fc.tuple(chars(LOWER, 1, 1), chars(LOWER + DIGITS + '-', minLength - 2, maxLength - 2), chars(LOWER + DIGITS, 1, 1))
    .map(([first, middle, last]) => first + middle + last)
    .filter(name => !name.includes('--'));
}

/** The numbers "from <min> to <max>" in a message. */
function rangeIn(message: string): [number, number] {
  const match = /from (\d+) to (\d+)/.exec(message);
  expect(match).not.toBeNull();
  return [Number(match![1]), Number(match![2])];
}

describe('each option the project type checks by a rule', () => {
  it('serviceName: every 2-to-N-character name of lowercase letters, digits and single hyphens the message allows is accepted, with N from the longest stage', () => {
    fc.assert(fc.property(fc.uniqueArray(stageName, { minLength: 1, maxLength: 4 }), fc.nat(), (stages, pick) => {
      const message = expectRefused({ serviceName: 'A', stages }, 'serviceName', 'A');
      const [min, max] = /(\d+) to (\d+) characters/.exec(message)!.slice(1).map(Number);
      expect(min).toBe(2);
      const serviceName = fc.sample(serviceNameOf(min, max), { seed: pick, numRuns: 1 })[0];
      expect(resolve({ serviceName, stages }).serviceName).toBe(serviceName);
      // One character longer than the message allows.
      expectRefused({ serviceName: `${'a'.repeat(max)}1`, stages }, 'serviceName', `${'a'.repeat(max)}1`);
    }), RUNS);
  });

  it('serviceName: a name just outside the character rule is refused, naming serviceName and the name', () => {
    for (const serviceName of ['a', '1orders', 'orders-', 'orders--api', 'Orders', 'orders_api', 'orders.api', '-orders']) {
      expectRefused({ serviceName }, 'serviceName', serviceName);
    }
  });

  it('stages: every name the message allows is accepted; 17 characters, a capital, a digit first or a hyphen is refused', () => {
    fc.assert(fc.property(fc.uniqueArray(stageName, { minLength: 1, maxLength: 5 }), stages => {
      expect(resolve({ serviceName: 'svc', stages }).stages).toEqual(stages);
    }), RUNS);
    for (const bad of ['a'.repeat(17), 'Dev', '1dev', 'dev-eu', '']) {
      expect(refusal({ serviceName: 'svc', stages: ['dev', bad] })).toMatch(new RegExp(`^stages: stage name ${escape(JSON.stringify(bad))} is not allowed`));
    }
  });

  it.each([
    ['containerPort', 1, 65535],
    ['minContainers', 0, 5000],
    ['autoScalingTargetCpu', 1, 89],
  ] as const)('%s: every whole number of the range the message states is accepted, and the numbers just outside it are refused', (option, min, max) => {
    const others = option === 'minContainers' ? { maxContainers: 5000 } : {};
    const message = expectRefused({ ...others, [option]: max + 1 }, option, max + 1);
    expect(rangeIn(message)).toEqual([min, max]);
    expectRefused({ ...others, [option]: min - 1 }, option, min - 1);
    expectRefused({ ...others, [option]: min + 0.5 }, option, min + 0.5);
    fc.assert(fc.property(fc.integer({ min, max }), value => {
      expect(refusal({ ...others, [option]: value })).toBeUndefined();
    }), RUNS);
  });

  it('maxContainers: every whole number from minContainers to 5000 is accepted; 0 and 5001 are refused', () => {
    expect(rangeIn(expectRefused({ maxContainers: 5001 }, 'maxContainers', 5001))).toEqual([1, 5000]);
    expectRefused({ maxContainers: 0, minContainers: 0 }, 'maxContainers', 0);
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (a, b) => {
      const [minContainers, maxContainers] = [Math.min(a, b), Math.max(a, b, 1)];
      expect(refusal({ minContainers, maxContainers })).toBeUndefined();
    }), RUNS);
  });

  it('autoScalingTargetCpu: the range follows the CPU alarm the message names, and a stage\'s own target obeys the same rule', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 100 }), fc.nat(), (cpuPercent, pick) => {
      const alarms = { cpuPercent };
      const message = expectRefused({ alarms, autoScalingTargetCpu: cpuPercent }, 'autoScalingTargetCpu', cpuPercent);
      expect(message).toContain(`alarms.cpuPercent ${cpuPercent}`);
      const [min, max] = rangeIn(message);
      const target = min + (pick % (max - min + 1));
      expect(refusal({ alarms, autoScalingTargetCpu: target })).toBeUndefined();
      // The service-wide target is the stages' default, so it is kept in range too.
      expect(refusal({ alarms, autoScalingTargetCpu: min, stageOptions: [{ name: 'dev', autoScalingTargetCpu: target }] })).toBeUndefined();
      expectRefused({ alarms, autoScalingTargetCpu: min, stageOptions: [{ name: 'dev', autoScalingTargetCpu: max + 1 }] }, 'stageOptions[0].autoScalingTargetCpu', max + 1);
    }), RUNS);
  });

  it('cpu and memory: every memory the message lists for each Fargate CPU value is accepted; the values between and beyond are refused', () => {
    const cpuMessage = expectRefused({ cpu: 300 }, 'cpu', 300);
    const cpus = /use one of ([\d, ]+)\./.exec(cpuMessage)![1].split(', ').map(Number);
    expect(cpus.length).toBeGreaterThan(3);
    for (const cpu of cpus) {
      const accepts = /Fargate accepts (.*)\.$/.exec(expectRefused({ cpu, memory: 1 }, 'memory', 1))![1];
      const stepped = /^(\d+) to (\d+) MiB in steps of (\d+)$/.exec(accepts);
      const [from, to, by] = stepped ? stepped.slice(1).map(Number) : [0, 0, 0];
      const allowed = stepped
        ? Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by)
        : accepts.replace(/ MiB$/, '').split(', ').map(Number);
      for (const memory of allowed) {
        expect({ cpu, memory, refused: refusal({ cpu, memory }) }).toEqual({ cpu, memory, refused: undefined });
      }
      const step = stepped ? by : 512;
      for (const memory of [allowed[0] - step, allowed[allowed.length - 1] + step, allowed[0] + step / 2]) {
        if (!allowed.includes(memory)) {
          expectRefused({ cpu, memory }, 'memory', memory);
        }
      }
    }
  });

  it('healthCheckPath: every path of "/" then letters, digits and . _ ~ - / up to 1024 characters is accepted; one character more or another character is refused', () => {
    const path = chars('abcXYZ019._~-/', 0, 1023).map(rest => `/${rest}`);
    fc.assert(fc.property(path, healthCheckPath => {
      expect(resolve({ healthCheckPath }).healthCheckPath).toBe(healthCheckPath);
    }), RUNS);
    const longest = `/${'a'.repeat(1023)}`;
    expect(refusal({ healthCheckPath: longest })).toBeUndefined();
    for (const healthCheckPath of [`${longest}a`, 'health', '/health?x=1', '/he alth', '/h%20', '']) {
      expectRefused({ healthCheckPath }, 'healthCheckPath', healthCheckPath);
    }
  });

  it.each([
    ['minimumRequestsPerMinute', 1, 100000],
    ['p99LatencyMs', 10, 60000],
    ['unhealthyTargets', 1, 5000],
    ['memoryPercent', 1, 100],
    ['evaluationMinutes', 1, 60],
  ] as const)('alarms.%s: every whole number of the stated range is accepted, the numbers just outside refused', (threshold, min, max) => {
    const option = `alarms.${threshold}`;
    expect(rangeIn(expectRefused({ alarms: { [threshold]: max + 1 } }, option, max + 1))).toEqual([min, max]);
    expectRefused({ alarms: { [threshold]: min - 1 } }, option, min - 1);
    fc.assert(fc.property(fc.integer({ min, max }), value => {
      expect(refusal({ alarms: { [threshold]: value } })).toBeUndefined();
    }), RUNS);
  });

  it('alarms.errorRatePercent: every number above 0 and at most 100 is accepted; 0 and just above 100 are refused', () => {
    expect(expectRefused({ alarms: { errorRatePercent: 0 } }, 'alarms.errorRatePercent', 0)).toContain('greater than 0 and at most 100');
    expectRefused({ alarms: { errorRatePercent: 100.01 } }, 'alarms.errorRatePercent', 100.01);
    fc.assert(fc.property(fc.double({ min: Number.MIN_VALUE, max: 100, noNaN: true }), errorRatePercent => {
      expect(refusal({ alarms: { errorRatePercent } })).toBeUndefined();
    }), RUNS);
  });

  it('alarms.cpuPercent: every whole number above autoScalingTargetCpu and at most 100 is accepted; the target itself and 101 are refused', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99 }), fc.nat(), (autoScalingTargetCpu, pick) => {
      const message = expectRefused({ autoScalingTargetCpu, alarms: { cpuPercent: 101 } }, 'alarms.cpuPercent', 101);
      expect(message).toContain(`above autoScalingTargetCpu (${autoScalingTargetCpu}) and at most 100`);
      const cpuPercent = autoScalingTargetCpu + 1 + (pick % (100 - autoScalingTargetCpu));
      expect(refusal({ autoScalingTargetCpu, alarms: { cpuPercent } })).toBeUndefined();
    }), RUNS);
  });
});
