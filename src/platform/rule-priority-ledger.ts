import * as fs from 'fs';
import * as path from 'path';
import { JsonFile, Project } from 'projen';
import { OptionError } from '../errors';
import { PlatformService } from './platform-options';

/** The committed record of every rule priority the platform has given, beside `.projenrc.ts`. */
export const RULE_PRIORITY_LEDGER = 'rule-priorities.json';

/** Who has had which priority: the services listed now, and those removed since (whose rules may still exist). */
export interface RulePriorityLedger {
  readonly services: Record<string, number>;
  readonly retired: Record<string, number>;
}

/** The ledger in `outdir`, or an empty one before the first synth. */
export function readLedger(outdir: string): RulePriorityLedger {
  const file = path.join(outdir, RULE_PRIORITY_LEDGER);
  if (!fs.existsSync(file)) {
    return { services: {}, retired: {} };
  }
  const { services = {}, retired = {} } = JSON.parse(fs.readFileSync(file, 'utf-8'));
  return { services, retired };
}

/**
 * The ledger after this synth: a service keeps the priority it was first given, and a priority once given is never
 * given to another service, even after the first is removed. Errors name the option, the value and who had it.
 */
export function updateLedger(services: PlatformService[], ledger: RulePriorityLedger): RulePriorityLedger {
  const holders = new Map<number, string>();
  for (const [name, priority] of [...Object.entries(ledger.retired), ...Object.entries(ledger.services)]) {
    holders.set(priority, name);
  }
  services.forEach((service, index) => {
    const recorded = ledger.services[service.name] ?? ledger.retired[service.name];
    if (recorded !== undefined && recorded !== service.rulePriority) {
      throw new OptionError(`services[${index}].rulePriority ${service.rulePriority} is not allowed: "${service.name}" has had ${recorded} since ${RULE_PRIORITY_LEDGER} recorded it, and a service keeps its priority (its deployed rules have it). Give it ${recorded} again.`);
    }
    const holder = holders.get(service.rulePriority);
    if (holder !== undefined && holder !== service.name) {
      throw new OptionError(`services[${index}].rulePriority ${service.rulePriority} is not allowed: ${RULE_PRIORITY_LEDGER} records it as "${holder}"'s, and a priority is never given to another service (rules of "${holder}" may still hold it). Give "${service.name}" a priority nobody has had.`);
    }
  });
  const listed = new Set(services.map(service => service.name));
  const retired = { ...ledger.retired, ...Object.fromEntries(Object.entries(ledger.services).filter(([name]) => !listed.has(name))) };
  for (const name of listed) {
    delete retired[name];
  }
  return { services: Object.fromEntries(services.map(service => [service.name, service.rulePriority])), retired };
}

/** Writes the ledger as a managed file: committed with the repository, so every clone checks against the same history. */
export function writeLedger(project: Project, ledger: RulePriorityLedger): JsonFile {
  return new JsonFile(project, RULE_PRIORITY_LEDGER, { obj: ledger, readonly: true, committed: true });
}
