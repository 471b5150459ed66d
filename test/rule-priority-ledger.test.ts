import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeStarFargatePlatformProject, PlatformService } from '../src';
import { synthWritesFilesOnly } from './helpers';
import { readLedger, RULE_PRIORITY_LEDGER, updateLedger } from '../src/platform/rule-priority-ledger';

const EMPTY = { services: {}, retired: {} };

synthWritesFilesOnly();

describe('the rule priority ledger', () => {
  it('records the services and their priorities', () => {
    expect(updateLedger([{ name: 'orders-api', rulePriority: 100 }], EMPTY)).toEqual({ services: { 'orders-api': 100 }, retired: {} });
  });

  it('keeps a removed service\'s priority as retired, and gives it back when the service returns', () => {
    const removed = updateLedger([], { services: { 'orders-api': 100 }, retired: {} });
    expect(removed).toEqual({ services: {}, retired: { 'orders-api': 100 } });
    expect(updateLedger([{ name: 'orders-api', rulePriority: 100 }], removed)).toEqual({ services: { 'orders-api': 100 }, retired: {} });
  });

  it('refuses a new priority for a service that has one', () => {
    expect(() => updateLedger([{ name: 'orders-api', rulePriority: 150 }], { services: { 'orders-api': 100 }, retired: {} }))
      .toThrow('services[0].rulePriority 150 is not allowed: "orders-api" has had 100 since rule-priorities.json recorded it, and a service keeps its priority (its deployed rules have it). Give it 100 again.');
  });

  it('refuses a removed service\'s priority for another service', () => {
    expect(() => updateLedger([{ name: 'billing', rulePriority: 100 }], { services: {}, retired: { 'orders-api': 100 } }))
      .toThrow('services[0].rulePriority 100 is not allowed: rule-priorities.json records it as "orders-api"\'s, and a priority is never given to another service (rules of "orders-api" may still hold it). Give "billing" a priority nobody has had.');
  });

  it('is written by the project, committed, and read back by the next synth, which refuses a reassignment and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-ledger-'));
    const synth = (services: PlatformService[]) => new CodeStarFargatePlatformProject({ name: 'acme', defaultReleaseBranch: 'main', outdir, services }).synth();
    synth([{ name: 'orders-api', rulePriority: 100 }, { name: 'billing', rulePriority: 200 }]);
    expect(readLedger(outdir)).toEqual({ services: { 'orders-api': 100, 'billing': 200 }, retired: {} });
    expect(fs.readFileSync(path.join(outdir, '.gitignore'), 'utf-8')).toContain(`!/${RULE_PRIORITY_LEDGER}`);
    synth([{ name: 'billing', rulePriority: 200 }]);
    expect(readLedger(outdir)).toEqual({ services: { billing: 200 }, retired: { 'orders-api': 100 } });
    const written = fs.readFileSync(path.join(outdir, RULE_PRIORITY_LEDGER), 'utf-8');
    expect(() => synth([{ name: 'billing', rulePriority: 200 }, { name: 'shipping', rulePriority: 100 }])).toThrow('rule-priorities.json records it as "orders-api"\'s');
    expect(fs.readFileSync(path.join(outdir, RULE_PRIORITY_LEDGER), 'utf-8')).toBe(written);
  });
});
