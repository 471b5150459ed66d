import { Component, Project, TextFile } from 'projen';
import { ServiceSettings } from '../options';
import { AppRuntimeDefinition } from '../runtimes/runtime';

/** The service's `Dockerfile` and `.dockerignore`, both managed. */
export class ContainerImage extends Component {
  public readonly dockerfile: TextFile;
  public readonly dockerignore: TextFile;

  constructor(project: Project, runtime: AppRuntimeDefinition, settings: ServiceSettings) {
    super(project);
    this.dockerfile = new TextFile(project, 'Dockerfile', {
      lines: runtime.dockerfile(settings).trimEnd().split('\n'),
      readonly: true,
    });
    this.dockerignore = new TextFile(project, '.dockerignore', {
      lines: [
        '# Managed by projen-codestar-fargate: edit .projenrc.ts instead.',
        ...runtime.dockerignore(),
      ],
      readonly: true,
    });
  }
}
