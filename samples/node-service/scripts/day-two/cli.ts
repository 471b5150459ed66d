// Managed by projen-codestar-fargate: the day-two commands behind `npx projen status|logs|exec|rollback`; edit .projenrc.ts and run `npx projen` instead.
import { parseArgs, ParseArgsConfig } from 'util';
import { DayTwoError, explain, findStage, loadConfig } from './aws';
import { destroyGuard } from './destroy-guard';
import { exec } from './exec';
import { logs } from './logs';
import { rollback } from './rollback';
import { status } from './status';

const USAGE: Record<string, string> = {
  status: `npx projen status [stage] [--json]
  Per stage: the pipeline's last run through it (state, commit, when), running / desired / pending tasks, the current
  deployment (strategy, rollout state, traffic shifted), the image digest it runs and its alarms in ALARM.
  Without a stage, every stage in one line each.`,
  logs: `npx projen logs <stage> [--since 10m] [--follow] [--filter TEXT] [--json]
  The stage's container logs, newest last, with time and task id; --follow keeps printing new events (Ctrl+C stops).`,
  exec: `npx projen exec <stage> [--task ID] [-- command ...]
  ECS Exec into a running task of the stage (a shell unless a command is given); needs the Session Manager plugin.`,
  rollback: `npx projen rollback <stage> [--yes] [--json]
  Redeploys the image the stage ran before, through its own stack and deploy role; --yes confirms a stage with an approval.`,
};

const CREDENTIALS = `Credentials, region and endpoint come from the AWS SDK's usual chain: AWS_PROFILE (SSO or keys), AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL. A stage in another account needs a profile of that account.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // The first step of `npx projen destroy`, not a command of its own.
  if (command === 'destroy-guard') {
    return destroyGuard(loadConfig());
  }
  if (!command || !(command in USAGE)) {
    throw new DayTwoError(`unknown command ${JSON.stringify(command ?? '')}: use status, logs, exec or rollback.`);
  }
  // Everything after `--` is the command exec runs in the container.
  const separator = rest.indexOf('--');
  const ownArgs = separator === -1 ? rest : rest.slice(0, separator);
  const containerCommand = separator === -1 ? [] : rest.slice(separator + 1);
  const { values, positionals } = parseCommandLine(command, ownArgs);
  if (values.help) {
    console.log(`${USAGE[command]}\n\n${CREDENTIALS}`);
    return 0;
  }
  if (positionals.length > 1) {
    throw new DayTwoError(`${command} takes one stage, not ${positionals.join(' ')}: ${USAGE[command].split('\n')[0]}`);
  }
  const config = loadConfig();
  const [stageName] = positionals;
  const json = values.json === true;
  switch (command) {
    case 'status':
      return status(config, stageName === undefined ? config.stages : [findStage(config, stageName, command)], json, stageName !== undefined);
    case 'logs':
      return logs(config, findStage(config, stageName, command), {
        since: (values.since as string | undefined) ?? '10m',
        follow: values.follow === true,
        filter: values.filter as string | undefined,
        json,
      });
    case 'exec':
      return exec(config, findStage(config, stageName, command), { command: containerCommand, task: values.task as string | undefined });
    default:
      return rollback(config, findStage(config, stageName, command), { yes: values.yes === true, json });
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP: Options = { help: { type: 'boolean', short: 'h' } };
const JSON_OUTPUT: Options = { json: { type: 'boolean' } };

/** Each command's flags; another flag is refused with the command's usage line. */
const OPTIONS: Record<string, Options> = {
  status: { ...HELP, ...JSON_OUTPUT },
  logs: { ...HELP, ...JSON_OUTPUT, since: { type: 'string' }, follow: { type: 'boolean', short: 'f' }, filter: { type: 'string' } },
  exec: { ...HELP, task: { type: 'string' } },
  rollback: { ...HELP, ...JSON_OUTPUT, yes: { type: 'boolean' } },
};

function parseCommandLine(command: string, args: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS[command], allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new DayTwoError(`${(error as Error).message.split('\n')[0]}: ${USAGE[command].split('\n')[0]}`);
  }
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    // One line per failure, never a stack trace: the message says what to do.
    console.error(explain(error, undefined).message);
    process.exit(1);
  },
);