// The shell commands the docs show, and the commands the tests run, so one test can hold the docs to what is tested.
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.join(__dirname, '..');

/** The mark on a documented command that needs AWS (credentials, an account), which no test may call. */
export const NEEDS_AWS_ACCOUNT = 'needs an AWS account';
/** The mark on a maintainer's command the suite cannot run, followed by why (it runs the suite itself, it publishes). */
export const NOT_RUN_BY_THE_TESTS = 'not run by the tests:';

/** One command line of a fenced shell block, with its trailing comment. */
export interface DocumentedCommand {
  readonly command: string;
  readonly comment: string;
  /** The file and line it was read from, for messages. */
  readonly where: string;
}

/** Every command line of the ```bash / ```sh / ```shell blocks of a Markdown text, in order. */
export function documentedCommands(markdown: string, file: string): DocumentedCommand[] {
  const commands: DocumentedCommand[] = [];
  let inShellBlock = false;
  let inOtherBlock = false;
  markdown.split('\n').forEach((line, index) => {
    const fence = /^\s*```(\w*)/.exec(line);
    if (fence) {
      if (inShellBlock || inOtherBlock) {
        inShellBlock = inOtherBlock = false;
      } else if (['bash', 'sh', 'shell'].includes(fence[1])) {
        inShellBlock = true;
      } else {
        inOtherBlock = true;
      }
      return;
    }
    const trimmed = line.trim();
    if (!inShellBlock || trimmed === '' || trimmed.startsWith('#')) {
      return;
    }
    // A comment starts at a `#` after whitespace; the docs' commands have none inside quotes.
    const commentStart = trimmed.search(/\s#\s/);
    commands.push({
      command: commentStart === -1 ? trimmed : trimmed.slice(0, commentStart).trim(),
      comment: commentStart === -1 ? '' : trimmed.slice(commentStart).replace(/^\s*#\s*/, ''),
      where: `${file}:${index + 1}`,
    });
  });
  return commands;
}

/** Variables set for one command (`GREETING='Hi there' npx projen dev`): they change the app's input, not what runs. */
const LEADING_ASSIGNMENTS = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|[^\s'"]*)\s+)+/;

/** The simple commands of a command line: `a && b` is two; variables set before a command are left off. */
export function simpleCommands(commandLine: string): string[] {
  return commandLine.split('&&').map((part) => part.trim().replace(LEADING_ASSIGNMENTS, '')).filter(Boolean);
}

/** The first command of the README's first shell block: what a newcomer runs first. */
export function readmeFirstCommand(readme: string): string {
  const [first] = documentedCommands(readme, 'README.md');
  if (!first) {
    throw new Error('README.md has no shell block');
  }
  return first.command;
}

/**
 * The commands the test files run through `spawnSync`, `execFileSync`, `spawn` or a `run` helper, read from their
 * source: program and arguments as words, `*` for an argument that is not a string literal (a path, a version).
 */
export function commandsInTestSources(testDir = path.join(REPO_ROOT, 'test')): string[][] {
  const invocations: string[][] = [];
  const call = /\b(?:spawnSync|execFileSync|spawn|run|runAsync)\(\s*'([^']+)'\s*,\s*\[([^\]]*)\]/g;
  for (const file of sourceFiles(testDir)) {
    for (const match of fs.readFileSync(file, 'utf-8').matchAll(call)) {
      const args = match[2].split(',').map((arg) => arg.trim()).filter(Boolean)
        .map((arg) => /^'[^']*'$/.test(arg) ? arg.slice(1, -1) : '*');
      invocations.push([match[1], ...args]);
    }
  }
  return invocations;
}

/** The command lines `.ci/run` runs: CI is where the README's test command runs, word for word. */
export function commandsInCiScript(): string[] {
  const script = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf-8');
  return script.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
}

/**
 * Whether a test's invocation runs `command`: the same words in order, where `*` stands for any one word, and where
 * the test may add flags of its own (`-q`, `--no-git`) the docs leave out.
 */
export function invocationRuns(invocation: string[], command: string): boolean {
  const words = command.split(/\s+/);
  let at = 0;
  for (const word of invocation) {
    if (at < words.length && (word === '*' || word === words[at])) {
      at += 1;
    } else if (!word.startsWith('-') && word !== '*') {
      return false;
    }
  }
  return at === words.length;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['__snapshots__', 'fixtures', 'schemas'].includes(entry.name) ? [] : sourceFiles(full);
    }
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}
