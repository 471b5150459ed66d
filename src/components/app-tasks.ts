import { Component, Project, Task, TaskShell, TextFile } from 'projen';
import { renderAsset } from '../assets';
import { AppCommands } from '../runtimes/runtime';

/**
 * The root tasks that build, test and run the app in `app/`: `app:check` first in each, `app:start` for the built
 * app and `dev` for the app reloaded on every change (by the runtime's own reload where it has one), both stopping
 * with the task.
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
  /** Runs the app from its sources and reloads it when they change. */
  public readonly devTask: Task;

  /** The managed script app:start and dev run the app with. */
  public readonly serveScript: TextFile;

  constructor(project: Project, commands: AppCommands) {
    super(project);
    this.serveScript = new TextFile(project, SERVE_SCRIPT, { lines: renderAsset('serve.sh', {}).trimEnd().split('\n'), readonly: true, marker: false });
    // The check runs first in every app task, so a missing tool is named before minutes of building.
    this.checkTask = commands.check === undefined ? undefined : project.addTask('app:check', {
      description: 'Check that this machine has what the app needs',
      exec: commands.check,
      cwd: 'app',
      // A script with if/then: projen's own cross-platform shell runs simple commands only.
      shell: TaskShell.sh(),
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
    this.startTask = appTask('app:start', 'Start the built app locally; Ctrl+C or stopping this task stops it', serveUntilStopped(commands.start), TaskShell.sh());
    this.devTask = appTask('dev', 'Run the app from its sources and reload it on every change in app/; Ctrl+C stops it',
      serveUntilStopped(commands.dev.command, commands.dev.watch, commands.dev.onChange), TaskShell.sh());
    if (commands.fix !== undefined) {
      project.addTask('app:fix', { description: 'Fix the formatting and lint findings app:test reports, in the app\'s code', exec: commands.fix, cwd: 'app' });
    }
  }
}

/** Where the generated project keeps the script that runs the app until it is stopped. */
export const SERVE_SCRIPT = 'scripts/serve.sh';

/**
 * The `sh scripts/serve.sh` line that runs `command` (words, run from app/) until it ends or is stopped, restarting it
 * on changes under `watch` or running `onChange` (one shell line without single quotes) instead (see assets/serve.sh):
 * projen logs this line instead of a whole script.
 */
export function serveUntilStopped(command: string, watch: string[] = [], onChange?: string): string {
  const watchFlags = watch.length > 0 ? `--watch ${watch.join(' ')} ` : '';
  const onChangeFlag = watch.length > 0 && onChange !== undefined ? `--on-change '${onChange}' ` : '';
  return `sh ../${SERVE_SCRIPT} ${watchFlags}${onChangeFlag}-- ${command}`;
}
