import { OptionError } from './errors';
import { TaskSubnets } from './options';

/** A stage's `taskSubnets`, PRIVATE when left out; anything but a TaskSubnets value is refused. */
export function resolveTaskSubnets(path: string, stageName: string, taskSubnets: unknown): TaskSubnets {
  if (taskSubnets === undefined) {
    return TaskSubnets.PRIVATE;
  }
  if (!(Object.values(TaskSubnets) as unknown[]).includes(taskSubnets)) {
    throw new OptionError(`${path} ${JSON.stringify(taskSubnets)} is not allowed in stage "${stageName}": use TaskSubnets.PRIVATE (private subnets with a NAT gateway) or TaskSubnets.PUBLIC (public subnets, a public IP per task, no NAT gateway).`);
  }
  return taskSubnets as TaskSubnets;
}

/** The fewest private subnets a stage's `network` needs: one for private tasks, none where the tasks run in public subnets. */
export function minPrivateSubnets(taskSubnets: TaskSubnets): number {
  return taskSubnets === TaskSubnets.PUBLIC ? 0 : 1;
}
