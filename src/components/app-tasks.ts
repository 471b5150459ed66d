import { Component, Project, Task, TaskShell } from 'projen';
import { AppCommands } from '../runtimes/runtime';

/**
 * The root tasks that build, test and run the app in `app/`: `app:check` first in each, `app:start` for the built
 * app and `dev` for the app restarted on every change, both stopping with the task.
 */
export class AppTasks extends Component {
  /** Checks the tools the app needs; absent when the runtime has nothing to check. */
  public readonly checkTask?: Task;
  /** Compiles, tests and packages the app. */
  public readonly buildTask: Task;
  /** Runs the app's tests. */
  public readonly testTask: Task;
  /** Starts the built app in the foreground. */
  public readonly startTask: Task;
  /** Runs the app from its sources and restarts it when they change. */
  public readonly devTask: Task;

  constructor(project: Project, commands: AppCommands) {
    super(project);
    // The check runs first in every app task, so a missing tool is named before minutes of building.
    this.checkTask = commands.check === undefined ? undefined : project.addTask('app:check', {
      description: 'Check that this machine has what the app needs',
      exec: commands.check,
      cwd: 'app',
    });
    const appTask = (name: string, description: string, exec: string, shell?: TaskShell) => {
      const task = project.addTask(name, { description, cwd: 'app', shell });
      if (this.checkTask) {
        task.spawn(this.checkTask);
      }
      task.exec(exec);
      return task;
    };
    this.buildTask = appTask('app:build', 'Compile, test and package the app in app/', commands.build);
    this.testTask = appTask('app:test', 'Run the app\'s tests (checks formatting and lint; app:fix fixes them)', commands.test);
    this.startTask = appTask('app:start', 'Start the built app locally; Ctrl+C or stopping this task stops it', serveUntilStopped(`exec ${commands.start}`), TaskShell.sh());
    this.devTask = appTask('dev', 'Run the app from its sources and restart it on every change in app/; Ctrl+C stops it',
      serveUntilStopped(commands.dev.command, commands.dev.watch), TaskShell.sh());
    if (commands.fix !== undefined) {
      project.addTask('app:fix', { description: 'Fix the formatting and lint findings app:test reports, in the app\'s code', exec: commands.fix, cwd: 'app' });
    }
  }
}

/**
 * A POSIX shell script that runs `command` in the foreground until it ends or is stopped, and, given `watch`, runs it
 * again whenever a file under those paths changes.
 *
 * projen runs a task's command in a shell of its own and does not pass on a signal that stops projen itself, so a
 * server started plainly outlived `npx projen app:start` with its port bound: here a watcher stops the server when the
 * task's projen is gone. Ctrl+C and SIGTERM stop the server with SIGTERM (its graceful shutdown), and a server that
 * ends on SIGINT or SIGTERM (exit 130 or 143, as Spring Boot's JVM does) has stopped as asked, not failed.
 */
export function serveUntilStopped(command: string, watch: string[] = []): string {
  const lines = [
    'projen=$PPID; main=$$; stopping=; restarting=',
    // The last command of the subshell is exec'd, so $server is the server's own process.
    `serve() { ( ${command} ) & server=$!; }`,
    'trap \'stopping=1; kill -TERM "$server" 2>/dev/null\' INT TERM HUP',
    '( while kill -0 "$projen" 2>/dev/null && kill -0 "$main" 2>/dev/null; do sleep 1; done; kill -TERM "$main" 2>/dev/null ) &',
  ];
  if (watch.length > 0) {
    const paths = watch.map((item) => `"${item}"`).join(' ');
    lines.push(
      'stamp="$(mktemp)"',
      'trap \'restarting=1; kill -TERM "$server" 2>/dev/null\' USR1',
      `( while kill -0 "$main" 2>/dev/null; do sleep 1; if [ -n "$(find ${paths} -newer "$stamp" -type f 2>/dev/null | head -n 1)" ]; then touch "$stamp"; kill -USR1 "$main"; fi; done ) &`,
    );
  }
  lines.push(
    'while :; do',
    '  restarting=; serve',
    // A trapped signal ends `wait` early; wait again for the server's own end and its exit status.
    '  wait "$server"; status=$?',
    '  while kill -0 "$server" 2>/dev/null; do wait "$server"; status=$?; done',
    '  [ -z "$stopping" ] || exit 0',
    '  [ -z "$restarting" ] || { echo "A file changed: restarting the app."; continue; }',
  );
  if (watch.length > 0) {
    lines.push(
      '  echo "The app stopped (exit status $status): waiting for a change to start it again; Ctrl+C stops this."',
      '  while [ -z "$restarting" ] && [ -z "$stopping" ]; do sleep 1; done',
      '  [ -z "$stopping" ] || exit 0',
    );
  } else {
    lines.push('  case "$status" in 130|143) exit 0 ;; *) exit "$status" ;; esac');
  }
  lines.push('done');
  return lines.join('\n');
}
