/* How a stage replaces its tasks on a deploy. */

/**
 * How ECS replaces the running tasks with a new release (`AWS::ECS::Service`
 * `DeploymentConfiguration.Strategy`, ECS deployment controller).
 */
export enum DeploymentStrategyType {
  /** New tasks replace old ones a few at a time behind the same target group; nothing extra is created. */
  ROLLING = 'ROLLING',
  /** A full new fleet starts beside the old one; all traffic moves at once, and the old fleet stays for the bake time. */
  BLUE_GREEN = 'BLUE_GREEN',
  /** A full new fleet starts; `canaryPercent` of traffic moves to it for `canaryBakeTimeMinutes`, then the rest. */
  CANARY = 'CANARY',
  /** A full new fleet starts; traffic moves `linearStepPercent` at a time, `linearStepBakeTimeMinutes` apart. */
  LINEAR = 'LINEAR',
}

/**
 * A deployment strategy and its timings. Blue/green, canary and linear need a
 * second target group, listener rules, a test listener and an ECS
 * infrastructure role, which template.yml creates only for them. Numbers left
 * out take this package's defaults; ones that do not apply to `type` are refused.
 */
export interface DeploymentStrategy {
  /** How traffic moves to the new release. */
  readonly type: DeploymentStrategyType;

  /**
   * Minutes the old fleet keeps running after all traffic has moved, so an alarm can still roll back
   * instantly (traffic moves back; no task has to start). 0 to 1440. Not for `ROLLING`.
   *
   * @default 5
   */
  readonly bakeTimeMinutes?: number;

  /**
   * Percent of production traffic the canary gets, a multiple of 0.1 from 0.1 to 100. `CANARY` only.
   *
   * @default 10
   */
  readonly canaryPercent?: number;

  /**
   * Minutes the canary serves `canaryPercent` before the rest of the traffic moves. 0 to 1440. `CANARY` only.
   *
   * @default 10
   */
  readonly canaryBakeTimeMinutes?: number;

  /**
   * Percent of production traffic each step moves, a multiple of 0.1 from 3 to 100. `LINEAR` only.
   *
   * @default 20
   */
  readonly linearStepPercent?: number;

  /**
   * Minutes between two steps. 0 to 1440. `LINEAR` only.
   *
   * @default 3
   */
  readonly linearStepBakeTimeMinutes?: number;
}
