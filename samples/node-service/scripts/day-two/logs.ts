// Managed by projen-codestar-fargate: `npx projen logs <stage>`; edit .projenrc.ts and run `npx projen` instead.
import { DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig, DayTwoError, describeStack, explain, formatTime, requireStageAccount, ServiceConfig, StageConfig, whereWeLook } from './aws';

export interface LogsOptions {
  /** How far back to start: `30s`, `10m`, `2h`, `1d`. */
  readonly since: string;
  readonly follow: boolean;
  /** Only events containing this text (CloudWatch Logs' quoted term). */
  readonly filter?: string;
  readonly json: boolean;
}

/** One log event as `logs` prints it; `--json` prints one of these per line. */
export interface LogLine {
  readonly time: string;
  readonly task: string;
  readonly message: string;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** How often `--follow` asks for new events: CloudWatch Logs delivers within seconds. */
const FOLLOW_INTERVAL_MS = 2000;

export async function logs(config: ServiceConfig, stage: StageConfig, options: LogsOptions): Promise<number> {
  const startTime = Date.now() - sinceMilliseconds(options.since);
  await requireStageAccount(stage);
  const client = new CloudWatchLogsClient(clientConfig(stage));
  const logGroupName = await findLogGroup(config, stage, client);
  const seen = new Set<string>();
  let from = startTime;
  let printed = 0;
  const printNew = async () => {
    const events = await filterEvents(client, logGroupName, from, options.filter);
    for (const event of events.filter(candidate => !seen.has(candidate.eventId!))) {
      seen.add(event.eventId!);
      from = Math.max(from, event.timestamp ?? from);
      printed += 1;
      print(toLine(event), options.json);
    }
  };
  try {
    await printNew();
    if (!options.follow) {
      if (printed === 0) {
        console.error(`${stage.name}: no log events in ${logGroupName} since ${formatTime(startTime)}${options.filter ? ` containing "${options.filter}"` : ''}.`);
      }
      return 0;
    }
    console.error(`${stage.name}: following ${logGroupName}; Ctrl+C stops.`);
    for (;;) {
      await new Promise(resolve => setTimeout(resolve, FOLLOW_INTERVAL_MS));
      await printNew();
    }
  } catch (error) {
    throw explain(error, stage.name);
  }
}

function sinceMilliseconds(since: string): number {
  const match = /^(\d+)([smhd])$/.exec(since);
  if (!match || Number(match[1]) === 0) {
    throw new DayTwoError(`--since ${JSON.stringify(since)} is not allowed: give a number and a unit, s, m, h or d, e.g. --since 10m or --since 2h.`);
  }
  return Number(match[1]) * UNITS[match[2]];
}

/** The stack's own log group; without the stack, the newest group under the stage's prefix (a retained one). */
async function findLogGroup(config: ServiceConfig, stage: StageConfig, client: CloudWatchLogsClient): Promise<string> {
  try {
    const { cloudFormation } = await describeStack(stage);
    const { StackResourceDetail: resource } = await cloudFormation.send(new DescribeStackResourceCommand({
      StackName: stage.stackName,
      LogicalResourceId: config.logGroupLogicalId,
    }));
    if (resource?.PhysicalResourceId) {
      return resource.PhysicalResourceId;
    }
  } catch (error) {
    if (!(error instanceof DayTwoError) || !/is not deployed/.test(error.message)) {
      throw explain(error, stage.name);
    }
  }
  const { logGroups = [] } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: stage.logGroupPrefix })).catch(error => {
    throw explain(error, stage.name);
  });
  const newest = [...logGroups].sort((a, b) => (b.creationTime ?? 0) - (a.creationTime ?? 0))[0];
  if (!newest?.logGroupName) {
    const where = await whereWeLook(stage, await client.config.region());
    throw new DayTwoError(`${stage.name}: neither the stack ${stage.stackName} nor a log group ${stage.logGroupPrefix}* exists (${where}): let the pipeline deploy the stage, or point AWS_PROFILE and AWS_REGION at its account.`);
  }
  return newest.logGroupName;
}

async function filterEvents(client: CloudWatchLogsClient, logGroupName: string, startTime: number, filter?: string): Promise<FilteredLogEvent[]> {
  const events: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new FilterLogEventsCommand({
      logGroupName,
      startTime,
      // A quoted term matches the text as it is, spaces and punctuation included.
      ...(filter ? { filterPattern: `"${filter.replace(/"/g, '\\"')}"` } : {}),
      nextToken,
    }));
    events.push(...page.events ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  // Newest last, as a terminal scrolls.
  return events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

/** The awslogs driver names streams `<prefix>/<container>/<task id>`. */
function toLine(event: FilteredLogEvent): LogLine {
  return {
    time: new Date(event.timestamp ?? 0).toISOString(),
    task: (event.logStreamName ?? '-').split('/').pop()!,
    message: (event.message ?? '').replace(/\n$/, ''),
  };
}

function print(line: LogLine, json: boolean): void {
  console.log(json ? JSON.stringify(line) : `${line.time}  ${line.task}  ${line.message}`);
}