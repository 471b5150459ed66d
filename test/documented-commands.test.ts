import * as fs from 'fs';
import * as path from 'path';
import { AppRuntime } from '../src';
import {
  commandsInCiScript, commandsInTestSources, documentedCommands, DocumentedCommand, invocationRuns,
  NEEDS_AWS_ACCOUNT, NOT_RUN_BY_THE_TESTS, readmeFirstCommand, REPO_ROOT, simpleCommands,
} from './documented-commands';
import { ERROR_PATHS, FIRST_DEPLOY_STEPS, ROOT_README_STEPS, SERVICE_README_STEPS } from './e2e/newcomer-steps';
import { synthService } from './helpers';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf-8');

/** The docs a user reads: this package's README and first-deploy guide, and what a service of each runtime gets. */
function allDocumentedCommands(): DocumentedCommand[] {
  const generated = [AppRuntime.NODE, AppRuntime.SPRING_BOOT].flatMap((appRuntime) => {
    const files = synthService({ appRuntime });
    return ['README.md', 'docs/service.md'].flatMap((file) => documentedCommands(files[file], `${appRuntime} service ${file}`));
  });
  const guides = (fs.existsSync(path.join(REPO_ROOT, 'docs')) ? fs.readdirSync(path.join(REPO_ROOT, 'docs')) : []).filter((file) => file.endsWith('.md'))
    .flatMap((file) => documentedCommands(fs.readFileSync(path.join(REPO_ROOT, 'docs', file), 'utf-8'), `docs/${file}`));
  return [...documentedCommands(readme, 'README.md'), ...guides, ...generated];
}

describe('the commands in the docs', () => {
  /** Whole command lines a test or CI runs as they are written. */
  const linesRun = [readmeFirstCommand(readme), ...commandsInCiScript()];
  /** Single commands the newcomer run executes, and those the test files run, read from their source. */
  const stepsRun = [...ROOT_README_STEPS, ...SERVICE_README_STEPS, ...FIRST_DEPLOY_STEPS, ...ERROR_PATHS].map((step) => step.command)
    .concat(linesRun.flatMap(simpleCommands));
  const invocations = commandsInTestSources();
  const isRun = (command: string) => stepsRun.includes(command) || invocations.some((invocation) => invocationRuns(invocation, command));

  it('are each run by a test, or marked as needing an AWS account or as not run by the tests (with the reason)', () => {
    const documented = allDocumentedCommands();
    expect(documented.length).toBeGreaterThan(20);
    const untested = documented
      .filter(({ comment }) => !comment.includes(NEEDS_AWS_ACCOUNT) && !new RegExp(`${NOT_RUN_BY_THE_TESTS} \\S`).test(comment))
      .filter(({ command }) => !linesRun.includes(command) && !stepsRun.includes(command) && !simpleCommands(command).every(isRun))
      .map(({ where, command }) => `${where}: ${command}`);
    expect(untested).toEqual([]);
  });

  it('mark as needing an AWS account every deploy, bootstrap and push to AWS, which no test may run', () => {
    const needsAws = /\b(cdk (bootstrap|deploy|diff|destroy)|projen (deploy|diff|destroy)|git push|aws )/;
    const unmarked = allDocumentedCommands()
      .filter(({ command, comment }) => needsAws.test(command) && !comment.includes(NEEDS_AWS_ACCOUNT) && !comment.includes(NOT_RUN_BY_THE_TESTS))
      .map(({ where, command }) => `${where}: ${command}`);
    expect(unmarked).toEqual([]);
  });

  it('checks a command run with variables set for it as the command itself, and only that command', () => {
    expect(simpleCommands('GREETING=\'Hello from my laptop\' npx projen dev')).toEqual(['npx projen dev']);
    expect(simpleCommands('A=1 B="two words" npx projen app:start && npx projen build')).toEqual(['npx projen app:start', 'npx projen build']);
    expect(simpleCommands('npx projen logs dev --filter A=1')).toEqual(['npx projen logs dev --filter A=1']);
  });

  it('finds a test\'s command only with the same words, any value where the test passes a variable, and extra flags', () => {
    expect(invocationRuns(['npx', 'projen', 'new', '--from', '*', 'codestar-fargate', '--app-runtime', '*', '--no-git'], 'npx projen new --from projen-codestar-fargate codestar-fargate --app-runtime node')).toBe(true);
    expect(invocationRuns(['npx', 'cdk', 'synth', '-q'], 'npx cdk synth')).toBe(true);
    expect(invocationRuns(['npx', 'projen', 'build'], 'npx projen')).toBe(false);
    expect(invocationRuns(['npx', 'projen'], 'npx projen build')).toBe(false);
    expect(invocationRuns(['npx', 'projen', 'bump'], 'npx projen release')).toBe(false);
  });
});
