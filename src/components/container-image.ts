import { Component, Project, TextFile } from 'projen';

/** The service's `Dockerfile` and `.dockerignore`, both managed. */
export class ContainerImage extends Component {
  public readonly dockerfile: TextFile;
  public readonly dockerignore: TextFile;

  /** `dockerfile`: the whole Dockerfile; `dockerignore`: its patterns, what of the repository the build may see. */
  constructor(project: Project, dockerfile: string, dockerignore: string[]) {
    super(project);
    this.dockerfile = new TextFile(project, 'Dockerfile', {
      lines: dockerfile.trimEnd().split('\n'),
      readonly: true,
    });
    this.dockerignore = new TextFile(project, '.dockerignore', {
      lines: [
        '# Managed by projen-codestar-fargate: edit .projenrc.ts instead.',
        ...dockerignore,
      ],
      readonly: true,
    });
  }
}
