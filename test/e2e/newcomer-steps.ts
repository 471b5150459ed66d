// What a newcomer runs, in the order the docs give it, and what each command must print.
// test/e2e/newcomer.test.ts runs every entry; test/documented-commands.test.ts holds the docs to these tables.

/** One documented command and the text its output must contain. */
export interface NewcomerStep {
  /** The command exactly as the docs show it (comment removed). */
  readonly command: string;
  /** Text the command's output (stdout and stderr) must contain. */
  readonly expectedText: string | RegExp;
  /** Text the output must not contain (noise a newcomer should not see). */
  readonly absentText?: string;
  /** Runs until the test stops it (a server); the next step talks to it. */
  readonly background?: boolean;
  /** Retried for this many milliseconds until it succeeds (a request to a server that is still starting). */
  readonly retryMs?: number;
  /** Run with no docker, podman or buildah on PATH: the machine cannot pull the Dockerfile's base images. */
  readonly withoutContainerTool?: boolean;
}

/** A bad value's error path: the setup a newcomer got wrong, the command, and the message they must see. */
export interface ErrorPath {
  /** What the newcomer did wrong, as the test's name says it. */
  readonly mistake: string;
  /** `.projenrc.ts` text replaced before the command (and restored after), when the mistake is an option. */
  readonly projenrcEdit?: { readonly from: string; readonly to: string };
  /** The command; `{tarball}` stands for this checkout packed by the README's first command. */
  readonly command: string;
  readonly expectedText: string | RegExp;
  readonly withoutContainerTool?: boolean;
  /** Run in a new empty folder (a `projen new`), not in the service. */
  readonly inEmptyFolder?: boolean;
  /** The empty folder must still be empty afterwards, so the next try behaves like the first. */
  readonly leavesFolderEmpty?: boolean;
}

/** The service the README's first command creates, next to the checkout. */
export const NEWCOMER_SERVICE = 'orders-api';

/** The commands of this package's README a newcomer runs in the fresh clone, after its first command. */
export const ROOT_README_STEPS: NewcomerStep[] = [
  { command: 'npx projen samples', expectedText: 'samples/node-service: regenerated' },
];

/**
 * The commands of the generated service's docs/service.md, for a Node.js service with the default options. The run
 * follows the order of the docs; a documented command without an entry here fails the run.
 */
export const SERVICE_README_STEPS: NewcomerStep[] = [
  // The app's tests (node:test's summary), then Biome's check; the synth itself is silent.
  { command: 'npx projen build', expectedText: /ℹ pass [1-9]\d*\nℹ fail 0[\s\S]*Checked \d+ files/ },
  { command: 'npx projen app:test', expectedText: /ℹ pass [1-9]\d*\nℹ fail 0/ },
  { command: 'npx projen app:start', expectedText: 'Server listening at http://127.0.0.1:8080', background: true },
  { command: 'curl http://localhost:8080/health', expectedText: '{"status":"ok"}', retryMs: 30_000 },
  { command: 'npx projen smoke-test http://localhost:8080', expectedText: 'smoke test passed' },
  // Starting it stops app:start first, and the test checks the port was freed: stopping a task stops its server.
  { command: 'npx projen dev', expectedText: 'Server listening at http://127.0.0.1:8080', background: true },
  // The weekly tasks: a variable of the developer's shell reaches the app that dev starts.
  { command: 'GREETING=\'Hello from my laptop\' npx projen dev', expectedText: 'Server listening at http://127.0.0.1:8080', background: true },
  { command: 'curl http://localhost:8080/hello', expectedText: 'Hello from my laptop', retryMs: 30_000 },
  { command: 'npx projen app:fix', expectedText: /Checked \d+ files?/ },
  // Base images cannot be pulled here (test/images.test.ts builds the same Dockerfile with buildah on local stand-ins).
  { command: 'npx projen image:build', expectedText: 'no container tool found: install docker, podman or buildah, or set CONTAINER_TOOL', withoutContainerTool: true },
  { command: 'npx projen image:run', expectedText: 'no container tool found: install docker, podman or buildah, or set CONTAINER_TOOL', withoutContainerTool: true },
  { command: 'npx projen', expectedText: '👾 default | ts-node --transpileOnly --project projenrc/tsconfig.json .projenrc.ts' },
  { command: 'npx cdk synth', expectedText: 'AWS::CodePipeline::Pipeline', absentText: 'feature flags are not configured' },
  // The day-two commands' own usage, offline; what they report needs an AWS account (test/day-two.test.ts runs them on moto).
  { command: 'npx projen status --help', expectedText: 'npx projen status [stage] [--json]' },
];

/** The commands of docs/first-deploy.md that need no AWS account, run in the service after the ones above. */
export const FIRST_DEPLOY_STEPS: NewcomerStep[] = [
  { command: 'git init -b main', expectedText: 'Initialized empty Git repository' },
  { command: 'git add -A && git commit -m "orders-api as projen-codestar-fargate generated it"', expectedText: '[main (root-commit)' },
];

/**
 * Mistakes a newcomer makes in the first hour, each with the message that tells them what to do. Issue 15's code
 * items add theirs here (a table row each), so the run asserts every one.
 */
export const ERROR_PATHS: ErrorPath[] = [
  {
    mistake: 'a container port out of range in .projenrc.ts',
    projenrcEdit: { from: 'appRuntime: AppRuntime.NODE,', to: 'appRuntime: AppRuntime.NODE,\n  containerPort: 70000,' },
    command: 'npx projen',
    expectedText: 'containerPort 70000 is not allowed: it must be a whole number from 1 to 65535.',
  },
  {
    mistake: 'a stage name with capitals in .projenrc.ts',
    projenrcEdit: { from: 'appRuntime: AppRuntime.NODE,', to: "appRuntime: AppRuntime.NODE,\n  stages: ['dev', 'Production']," },
    command: 'npx projen',
    expectedText: 'stages: stage name "Production" is not allowed: it must start with a lowercase letter',
  },
  {
    mistake: 'a service name with capitals and an underscore on projen new',
    command: 'npx projen new --from projen-codestar-fargate@file:{tarball} codestar-fargate --app-runtime node --no-git --service-name Orders_Api',
    expectedText: 'serviceName "Orders_Api" is not allowed: it must start with a lowercase letter',
    inEmptyFolder: true,
  },
  {
    mistake: 'a port that is not a number on projen new, which must leave the folder as it was',
    command: 'npx projen new --from projen-codestar-fargate@file:{tarball} codestar-fargate --app-runtime node --no-git --container-port abc',
    expectedText: /containerPort "abc" \(typed as --container-port abc\) is not allowed: it must be a whole number from 1 to 65535\.\s+Nothing was created; package\.json and node_modules, which projen new installed first, were removed\./,
    inEmptyFolder: true,
    leavesFolderEmpty: true,
  },
  {
    mistake: 'a runtime this package does not have on projen new',
    command: 'npx projen new --from projen-codestar-fargate@file:{tarball} codestar-fargate --no-git --app-runtime python',
    expectedText: 'appRuntime "python" is not allowed: use one of "node", "spring-boot"',
    inEmptyFolder: true,
  },
];
