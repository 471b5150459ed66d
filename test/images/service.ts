import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { AppRuntime, CodeStarFargateProject, CodeStarFargateProjectOptions } from '../../src';

/**
 * Writes a service's files without packing this package or installing the root's
 * toolchain (projen's post-synth `npm install`, about a minute, is skipped).
 */
export function generateService(
  options: Partial<CodeStarFargateProjectOptions> & { appRuntime: AppRuntime; outdir: string },
): CodeStarFargateProject {
  const project = new CodeStarFargateProject({ name: 'orders-api', defaultReleaseBranch: 'main', ...options });
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (previous === undefined) {
      delete process.env.PROJEN_DISABLE_POST;
    } else {
      process.env.PROJEN_DISABLE_POST = previous;
    }
  }
  return project;
}

/** Runs a command; on failure the error carries its output. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error: any) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${error.status}):\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

/** Where the generated template.yml sends health checks: the target group's and the container's own. */
export interface HealthCheckTargets {
  readonly targetGroupPort: number;
  readonly targetGroupPath: string;
  readonly containerPort: number;
  /** The task definition's container health check, the shell line of its CMD-SHELL form. */
  readonly containerCommand: string;
}

export function healthCheckTargets(serviceDir: string): HealthCheckTargets {
  const template = parse(fs.readFileSync(path.join(serviceDir, 'template.yml'), 'utf-8'));
  const resources = Object.values<any>(template.Resources);
  const targetGroup = resources.find((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties;
  const container = resources.find((resource) => resource.Type === 'AWS::ECS::TaskDefinition').Properties.ContainerDefinitions[0];
  const [form, command] = container.HealthCheck.Command;
  if (form !== 'CMD-SHELL') {
    throw new Error(`expected a CMD-SHELL container health check, got ${form}`);
  }
  return {
    targetGroupPort: targetGroup.Port,
    targetGroupPath: targetGroup.HealthCheckPath,
    containerPort: container.PortMappings[0].ContainerPort,
    containerCommand: command,
  };
}

/** Paths under `root` (relative, without the leading slash) whose entry matches; skips the pseudo file systems. */
export function findInTree(root: string, matches: (relativePath: string, entry: fs.Dirent) => boolean): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (matches(child, entry)) {
        found.push(child);
      }
      if (entry.isDirectory() && !['proc', 'sys', 'dev'].includes(child)) {
        walk(child);
      }
    }
  };
  walk('');
  return found;
}

/** The uid a process runs as, from /proc. */
export function uidOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf-8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)![1]);
}

/** Process ids below `pid` whose command name is `name` (buildah run's chroot helper sits in between). */
export function descendantsNamed(pid: number, name: string): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf-8');
      // The name is in parentheses and may hold spaces; the parent id is the second field after it.
      const close = stat.lastIndexOf(')');
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const isBelow = (candidate: number): boolean => {
    for (let parent = parents.get(candidate); parent !== undefined && parent > 0; parent = parents.get(parent)) {
      if (parent === pid) {
        return true;
      }
    }
    return false;
  };
  return [...names.entries()].filter(([candidate, processName]) => processName === name && isBelow(candidate)).map(([candidate]) => candidate);
}
