import { OptionError } from './errors';
import { requireInteger } from './option-checks';
import { AlarmSettings, ServiceAlarmOptions } from './options';

/** The alarm thresholds a stage gets when `alarms` leaves them out (reasons in `ServiceAlarmOptions`). */
export const DEFAULT_ALARMS: AlarmSettings = {
  errorRatePercent: 5,
  minimumRequestsPerMinute: 10,
  p99LatencyMs: 2000,
  unhealthyTargets: 1,
  cpuPercent: 90,
  memoryPercent: 90,
  evaluationMinutes: 3,
};

/**
 * An autoscaling target below the CPU alarm (`alarms.cpuPercent`, 90 unless given), which would otherwise go off
 * whenever autoscaling holds its target. An alarm threshold that is itself refused is reported by the alarms' check.
 */
export function requireAutoScalingTargetCpu(option: string, value: number, alarms: ServiceAlarmOptions | undefined, targetGiven: boolean): void {
  const chosen = alarms !== null && typeof alarms === 'object' ? alarms.cpuPercent : undefined;
  const alarm = chosen ?? DEFAULT_ALARMS.cpuPercent;
  // A default target under a given alarm: the alarm is what the user typed, so its own check names it.
  const alarmGivenOverDefaultTarget = chosen !== undefined && !targetGiven;
  if (alarmGivenOverDefaultTarget || typeof alarm !== 'number' || !Number.isInteger(alarm) || alarm < 2 || alarm > 100) {
    requireInteger(option, value, 1, 100);
    return;
  }
  requireInteger(option, value, 1, alarm - 1, `below the CPU alarm, alarms.cpuPercent ${alarm}${chosen === undefined ? ' by default' : ''}`);
}

/** Applies the alarm defaults and checks each threshold; errors name `alarms.<threshold>`. */
export function resolveAlarmSettings(alarms: ServiceAlarmOptions, autoScalingTargetCpu: number): AlarmSettings {
  if (alarms === null || typeof alarms !== 'object' || Array.isArray(alarms)) {
    throw new OptionError(`alarms ${JSON.stringify(alarms)} is not allowed: give an object of thresholds, e.g. { errorRatePercent: 5, p99LatencyMs: 2000 }.`);
  }
  const unknown = Object.keys(alarms).filter(key => !(key in DEFAULT_ALARMS));
  if (unknown.length > 0) {
    throw new OptionError(`alarms.${unknown[0]} is not allowed: the thresholds are ${Object.keys(DEFAULT_ALARMS).join(', ')}.`);
  }
  const resolved: AlarmSettings = { ...DEFAULT_ALARMS, ...withoutUndefined(alarms) };
  const { errorRatePercent } = resolved;
  if (typeof errorRatePercent !== 'number' || !Number.isFinite(errorRatePercent) || errorRatePercent <= 0 || errorRatePercent > 100) {
    throw new OptionError(`alarms.errorRatePercent ${JSON.stringify(errorRatePercent)} is not allowed: it must be a number greater than 0 and at most 100, e.g. 5.`);
  }
  requireInteger('alarms.minimumRequestsPerMinute', resolved.minimumRequestsPerMinute, 1, 100000);
  requireInteger('alarms.p99LatencyMs', resolved.p99LatencyMs, 10, 60000);
  requireInteger('alarms.unhealthyTargets', resolved.unhealthyTargets, 1, 5000);
  requireInteger('alarms.memoryPercent', resolved.memoryPercent, 1, 100);
  requireInteger('alarms.evaluationMinutes', resolved.evaluationMinutes, 1, 60);
  const { cpuPercent } = resolved;
  if (typeof cpuPercent !== 'number' || !Number.isInteger(cpuPercent) || cpuPercent <= autoScalingTargetCpu || cpuPercent > 100) {
    throw new OptionError(`alarms.cpuPercent ${JSON.stringify(cpuPercent)} is not allowed: it must be a whole number above autoScalingTargetCpu (${autoScalingTargetCpu}) and at most 100, or it goes off whenever autoscaling holds its target.`);
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
