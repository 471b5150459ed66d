import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The parts of an OCI image config the tests check. */
export interface ImageConfig {
  readonly User?: string;
  readonly ExposedPorts?: Record<string, object>;
  readonly Entrypoint?: string[];
  readonly Cmd?: string[];
  readonly Env?: string[];
  readonly WorkingDir?: string;
}

/** Why images cannot be built on this machine (buildah, debootstrap, root), or undefined when they can. */
export function imageBuildSkipReason(): string | undefined {
  const missing = ['buildah', 'debootstrap'].filter((tool) => !findTool(tool));
  if (missing.length) {
    return `${missing.join(' and ')} not found (apt-get install buildah debootstrap)`;
  }
  if (process.getuid?.() !== 0) {
    return 'not running as root (vfs storage, chroot and debootstrap need it)';
  }
  return undefined;
}

/** Where a tool is, looking in PATH and the sbin folders a non-login root shell may lack. */
export function findTool(tool: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.map((dir) => path.join(dir, tool)).find((candidate) => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * buildah with storage of its own under `dir`: vfs (no overlay mounts, works in
 * any container) and chroot isolation (no user namespaces, no network setup:
 * RUN steps and `run` share the host's network).
 */
export class Buildah {
  private readonly globalArgs: string[];

  constructor(public readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.globalArgs = ['--storage-driver', 'vfs', '--root', path.join(dir, 'storage'), '--runroot', path.join(dir, 'run')];
  }

  /** Runs buildah and returns its standard output; on failure the error carries its output. */
  public exec(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; log?: string } = {}): string {
    try {
      return execFileSync('buildah', [...this.globalArgs, ...args], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        encoding: 'utf-8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      }).trim();
    } catch (error: any) {
      throw new Error(`buildah ${args.join(' ')} failed (exit ${error.status}):\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }

  /** `buildah bud` of `dockerfile` (in `contextDir`) with `contextDir` as context; never pulls, so FROM must name local images. */
  public buildImage(contextDir: string, tag: string, log: string, dockerfile = 'Dockerfile'): void {
    const output = this.exec(['bud', '--isolation', 'chroot', '--pull=never', '--file', dockerfile, '--tag', tag, '.'], { cwd: contextDir });
    fs.writeFileSync(log, output);
  }

  /** A working container from `image`; returns its name. */
  public from(image: string): string {
    return this.exec(['from', '--pull=never', image]);
  }

  /** The container's root folder on this machine. */
  public mount(container: string): string {
    return this.exec(['mount', container]);
  }

  /** Runs a command in the container (chroot isolation) and returns its output. */
  public runIn(container: string, command: string[], env: Record<string, string> = {}): string {
    return this.exec(['run', '--isolation', 'chroot', ...envArgs(env), container, '--', ...command]);
  }

  /** Starts a command in the container in the background, output appended to `log`; SIGTERM to it stops the command. */
  public startIn(container: string, command: string[], env: Record<string, string>, log: string): ChildProcess {
    const logFd = fs.openSync(log, 'a');
    return spawn('buildah', [...this.globalArgs, 'run', '--isolation', 'chroot', ...envArgs(env), container, '--', ...command], { stdio: ['ignore', logFd, logFd] });
  }

  public commit(container: string, tag: string): void {
    this.exec(['commit', '--quiet', '--rm', container, tag]);
  }

  public imageConfig(image: string): ImageConfig {
    const inspected = JSON.parse(this.exec(['inspect', '--type', 'image', image]));
    return inspected.OCIv1.config ?? {};
  }

  /** The image's size as buildah reports it, e.g. "312 MB". */
  public imageSize(image: string): string {
    return this.exec(['images', '--format', '{{.Size}}', image]).split('\n')[0];
  }

  public imageExists(image: string): boolean {
    try {
      this.exec(['inspect', '--type', 'image', image]);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes every container and image and the storage itself (vfs leaves root-owned files: this runs as root). */
  public destroy(): void {
    for (const args of [['rm', '--all'], ['rmi', '--all', '--force']]) {
      try {
        this.exec(args);
      } catch (error) {
        console.warn(String(error));
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Bytes under the storage folder (vfs copies every layer in full). */
  public storageBytes(): number {
    return Number(execFileSync('du', ['-sb', this.dir], { encoding: 'utf-8' }).split('\t')[0]);
  }
}

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
}
