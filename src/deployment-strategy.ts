import { PRODUCTION_STAGE_NAMES } from './contract';
import { OptionError } from './errors';
import { DeploymentStrategy, DeploymentStrategyType } from './options';

/** A strategy with every number it uses filled in; numbers that do not apply to `type` are absent. */
export type ResolvedDeploymentStrategy = DeploymentStrategy;

/**
 * The numbers a strategy takes when left out. A 10% canary for 10 minutes lets the deployment alarms see
 * real traffic (ECS's own 5% can be a handful of requests on a quiet service); 5 minutes of bake after the
 * last shift keeps the old tasks for an instant rollback without paying for two fleets ECS's 15 minutes;
 * linear moves 20% every 3 minutes (4 waits, 12 minutes) so it takes about as long as the canary.
 */
export const DEPLOYMENT_STRATEGY_DEFAULTS = {
  bakeTimeMinutes: 5,
  canaryPercent: 10,
  canaryBakeTimeMinutes: 10,
  linearStepPercent: 20,
  linearStepBakeTimeMinutes: 3,
} as const;

/** The strategy a stage gets when none is given: a canary for production, rolling elsewhere. */
export function defaultDeploymentStrategy(stage: string): DeploymentStrategy {
  return { type: PRODUCTION_STAGE_NAMES.includes(stage) ? DeploymentStrategyType.CANARY : DeploymentStrategyType.ROLLING };
}

/** ECS's limits (AWS::ECS::Service DeploymentConfiguration, CanaryConfiguration, LinearConfiguration). */
const MAX_BAKE_MINUTES = 1440;
/** CloudFormation refuses a canary or linear deployment whose bake times add up to more than 33 hours. */
const MAX_TOTAL_BAKE_MINUTES = 33 * 60;

const NUMBERS_OF: Record<DeploymentStrategyType, ReadonlyArray<keyof typeof DEPLOYMENT_STRATEGY_DEFAULTS>> = {
  [DeploymentStrategyType.ROLLING]: [],
  [DeploymentStrategyType.BLUE_GREEN]: ['bakeTimeMinutes'],
  [DeploymentStrategyType.CANARY]: ['bakeTimeMinutes', 'canaryPercent', 'canaryBakeTimeMinutes'],
  [DeploymentStrategyType.LINEAR]: ['bakeTimeMinutes', 'linearStepPercent', 'linearStepBakeTimeMinutes'],
};

/**
 * Checks a strategy and fills in its defaults. Throws an error that names `option` (e.g.
 * `deploymentStrategy.canaryPercent`), the value and what is allowed; `stage` picks the default when
 * `strategy` is undefined.
 */
export function resolveDeploymentStrategy(option: string, strategy: DeploymentStrategy | undefined, stage: string): ResolvedDeploymentStrategy {
  const given = strategy ?? defaultDeploymentStrategy(stage);
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new OptionError(`${option} ${JSON.stringify(given)} is not allowed: give an object such as { type: "CANARY", canaryPercent: 10 }.`);
  }
  const types = Object.values(DeploymentStrategyType) as string[];
  if (!types.includes(given.type)) {
    throw new OptionError(`${option}.type ${JSON.stringify(given.type)} is not allowed: use one of ${types.join(', ')}.`);
  }
  const allowed = NUMBERS_OF[given.type];
  for (const key of Object.keys(given)) {
    if (key !== 'type' && !(allowed as string[]).includes(key) && (given as any)[key] !== undefined) {
      const where = Object.entries(NUMBERS_OF).filter(([, keys]) => (keys as string[]).includes(key)).map(([type]) => type);
      throw new OptionError(`${option}.${key} ${JSON.stringify((given as any)[key])} is not allowed with type ${given.type}: ${where.length ? `it applies to ${where.join(', ')} only` : `it is not a strategy setting; ${given.type} takes ${allowed.length ? allowed.join(', ') : 'no other setting'}`}.`);
    }
  }
  const resolved: Record<string, number | string> = { type: given.type };
  for (const key of allowed) {
    resolved[key] = given[key] ?? DEPLOYMENT_STRATEGY_DEFAULTS[key];
  }
  const result = resolved as unknown as ResolvedDeploymentStrategy;
  for (const key of ['bakeTimeMinutes', 'canaryBakeTimeMinutes', 'linearStepBakeTimeMinutes'] as const) {
    const value = result[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_BAKE_MINUTES)) {
      throw new OptionError(`${option}.${key} ${JSON.stringify(value)} is not allowed: it must be a whole number of minutes from 0 to ${MAX_BAKE_MINUTES} (ECS's limit, 24 hours).`);
    }
  }
  requireTenths(`${option}.canaryPercent`, result.canaryPercent, 0.1);
  requireTenths(`${option}.linearStepPercent`, result.linearStepPercent, 3);
  const total = trafficShiftMinutes(result) + (result.bakeTimeMinutes ?? 0);
  if (total > MAX_TOTAL_BAKE_MINUTES) {
    throw new OptionError(`${option} ${JSON.stringify(given)} is not allowed: its bake times add up to ${total} minutes, and CloudFormation refuses a deployment over ${MAX_TOTAL_BAKE_MINUTES} (33 hours); shorten the bake times or take bigger steps.`);
  }
  return result;
}

/** Throws unless `value` is undefined or a multiple of 0.1 from `min` to 100 (ECS's traffic percentages). */
function requireTenths(option: string, value: number | undefined, min: number): void {
  if (value === undefined) {
    return;
  }
  const tenths = typeof value === 'number' ? Math.round(value * 10) : NaN;
  if (!Number.isFinite(value) || Math.abs(value * 10 - tenths) > 1e-9 || value < min || value > 100) {
    throw new OptionError(`${option} ${JSON.stringify(value)} is not allowed: it must be a percentage from ${min} to 100 in steps of 0.1 (ECS's limit), e.g. 10.`);
  }
}

/**
 * How many waits a linear deployment makes: none after the step that reaches 100%, as CloudFormation
 * counts them (AWS::ECS::Service LinearConfiguration).
 */
export function linearSteps(stepPercent: number): number {
  const steps = 100 / stepPercent;
  return Number.isInteger(Math.round(steps * 1e9) / 1e9) ? Math.round(steps) - 1 : Math.floor(steps);
}

/** Minutes a strategy holds traffic partly shifted: the canary's bake, or every linear step's wait. */
export function trafficShiftMinutes(strategy: ResolvedDeploymentStrategy): number {
  switch (strategy.type) {
    case DeploymentStrategyType.CANARY:
      return strategy.canaryBakeTimeMinutes!;
    case DeploymentStrategyType.LINEAR:
      return strategy.linearStepBakeTimeMinutes! * linearSteps(strategy.linearStepPercent!);
    default:
      return 0;
  }
}

/** Minutes a release of this strategy waits on purpose, beyond starting and draining tasks: shifting plus bake. */
export function deliberateWaitMinutes(strategy: ResolvedDeploymentStrategy): number {
  return trafficShiftMinutes(strategy) + (strategy.bakeTimeMinutes ?? 0);
}
