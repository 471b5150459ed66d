/* The alarm thresholds a team may give, and the thresholds after defaults. */

/**
 * Thresholds of a stage's alarms. An alarm goes off when its value is past
 * the threshold for `evaluationMinutes` one-minute periods in a row. The
 * error rate and latency are measured on the load balancer, over every target
 * group, so they mean the same under rolling, blue/green, canary and linear
 * deploys; keep `errorRatePercent` below a canary's traffic share, or a
 * canary that fails every request cannot trip it.
 */
export interface ServiceAlarmOptions {
  /**
   * Percent of requests answered with a 5xx (by the tasks, or by the load balancer when no task could answer)
   * that trips the error-rate alarm. From more than 0 to 100; decimals allowed.
   *
   * @default 5 - far above the noise of a healthy service, and a broken route that takes a twentieth of the traffic trips it
   */
  readonly errorRatePercent?: number;

  /**
   * Requests a minute below which the error rate and p99 latency count as fine: with little traffic one error or
   * one slow answer is a large share. A whole number from 1 to 100000.
   *
   * @default 10 - a single failed request of a quiet dev stage does not roll a release back
   */
  readonly minimumRequestsPerMinute?: number;

  /**
   * The 99th percentile of the tasks' response time, in milliseconds, that trips the latency alarm. A whole
   * number from 10 to 60000 (the load balancer's default idle timeout: a slower answer never arrives).
   *
   * @default 2000
   */
  readonly p99LatencyMs?: number;

  /**
   * Targets failing the load balancer's health check, summed over the stage's target groups, that trip the
   * unhealthy-targets alarm. A whole number from 1 to 5000.
   *
   * @default 1 - a task that stays unhealthy for `evaluationMinutes` is a problem; one being replaced passes sooner
   */
  readonly unhealthyTargets?: number;

  /**
   * The service's average CPU utilisation, in percent, that trips the CPU alarm. A whole number from 1 to 100,
   * above `autoScalingTargetCpu`, which autoscaling holds the service at.
   *
   * @default 90 - autoscaling holds 50; this high for minutes means autoscaling is at its limit or the release spins
   */
  readonly cpuPercent?: number;

  /**
   * The service's average memory utilisation, in percent, that trips the memory alarm. A whole number from 1 to 100.
   *
   * @default 90 - close to the task's limit, where the container is killed
   */
  readonly memoryPercent?: number;

  /**
   * One-minute periods in a row a value must be past its threshold before the alarm goes off. A whole number
   * from 1 to 60.
   *
   * @default 3 - a brief spike is forgiven, and a bad release still rolls back within minutes
   */
  readonly evaluationMinutes?: number;
}

/** A stage's alarm thresholds after defaults and validation. */
export interface AlarmSettings {
  readonly errorRatePercent: number;
  readonly minimumRequestsPerMinute: number;
  readonly p99LatencyMs: number;
  readonly unhealthyTargets: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  readonly evaluationMinutes: number;
}
