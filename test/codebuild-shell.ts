import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Shell logic run by bash as CodeBuild runs it (one shell, command after command, stopping at the first failure),
 * against fake commands on PATH that log every call.
 */

export interface Run {
  readonly status: number;
  readonly calls: string[];
  readonly variables: Record<string, string>;
  readonly output: string;
}

/**
 * A fake command that logs its arguments and answers from `answers`: the first
 * entry whose pattern matches the joined arguments gives stdout, stderr and exit code.
 */
export type Answer = { stdout?: string; stderr?: string; status?: number };

export function fakeCommand(bin: string, name: string, log: string, answers: Array<[RegExp, Answer]>): void {
  const cases = answers.map(([pattern, answer]) => [
    `if printf '%s' "$*" | grep -Eq '${pattern.source.replace(/'/g, '\'\\\'\'')}'; then`,
    answer.stdout !== undefined ? `  printf '%s\\n' '${answer.stdout}'` : '  :',
    answer.stderr !== undefined ? `  printf '%s\\n' '${answer.stderr}' >&2` : '  :',
    `  exit ${answer.status ?? 0}`,
    'fi',
  ].join('\n')).join('\n');
  fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> '${log}'\ncat > /dev/null <&0 2>/dev/null || true\n${cases}\nexit 0\n`, { mode: 0o755 });
}

/** Runs `commands` in one bash, stopping at the first that fails, and reports the calls and the named variables. */
export type Fakes = (bin: string, log: string) => void;

export function runAsCodeBuild(commands: string[], environment: Record<string, string>, fakes: Fakes, variables: string[]): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-rerun-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(log, '');
  fakes(bin, log);
  const script = [
    ...commands.map(command => `{\n${command}\n} || exit $?`),
    ...variables.map(name => `echo "VARIABLE ${name}=\${${name}}"`),
  ].join('\n');
  const result = spawnSync('bash', ['-c', script], {
    cwd: dir,
    encoding: 'utf-8',
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, ...environment },
  });
  const output = `${result.stdout}${result.stderr}`;
  const found: Record<string, string> = {};
  for (const match of result.stdout.matchAll(/^VARIABLE (\w+)=(.*)$/gm)) {
    found[match[1]] = match[2];
  }
  return { status: result.status ?? 1, calls: fs.readFileSync(log, 'utf-8').trim().split('\n').filter(Boolean), variables: found, output };
}
