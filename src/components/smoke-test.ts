import { Component, Project, SampleFile, Task } from 'projen';
import { renderAsset } from '../assets';
import { SmokeTestEnvironment, SourceFile } from '../contract';
import { ServiceSettings } from '../options';
import { healthCheckPathUnderServiceUrl } from '../platform-membership';

/**
 * The team's smoke test: `smoke-test.sh`, written once and the user's from
 * then on, which the pipeline runs after each stage's deploy; and the
 * `smoke-test` task that runs it against a URL given, e.g. the app started
 * locally (`npx projen smoke-test http://127.0.0.1:8080`).
 */
export class SmokeTestScript extends Component {
  /** The `smoke-test` task. */
  public readonly task: Task;

  constructor(project: Project, settings: ServiceSettings) {
    super(project);
    new SampleFile(project, SourceFile.SMOKE_TEST, {
      contents: renderAsset('smoke-test/smoke-test.sh', {
        serviceName: settings.serviceName,
        containerPort: settings.containerPort,
        platformPath: settings.platformPath ?? '',
        healthCheckPath: healthCheckPathUnderServiceUrl(settings.healthCheckPath, settings.platformPath),
      }),
    });
    this.task = project.addTask('smoke-test', {
      description: `Run ${SourceFile.SMOKE_TEST} against a running service: npx projen smoke-test <base URL>`,
      exec: `bash ${SourceFile.SMOKE_TEST}`,
      receiveArgs: true,
      // The managed task follows .projenrc.ts; the script's own default is the path it was written with.
      // Under the base URL given, which for a service on a platform path is its URL with the path.
      env: { [SmokeTestEnvironment.HEALTH_CHECK_PATH]: healthCheckPathUnderServiceUrl(settings.healthCheckPath, settings.platformPath) },
    });
  }
}
