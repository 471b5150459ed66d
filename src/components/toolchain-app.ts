import { awscdk, Component, SampleFile, SourceCode } from 'projen';
import { assetPath } from '../assets';
import { ServiceSettings } from '../options';

/** The generated settings module the user-owned `main.ts` imports. */
const GENERATED_MODULE = 'toolchain.generated.ts';

/**
 * The CDK app in `infra/` that deploys the toolchain: a user-owned `main.ts`
 * written once, and a managed module with the settings from `.projenrc.ts`,
 * so the wiring of options is never copied by hand.
 */
export class ToolchainApp extends Component {
  public readonly settingsModule: SourceCode;

  constructor(project: awscdk.AwsCdkTypeScriptApp, settings: ServiceSettings) {
    super(project);
    const srcdir = project.srcdir;
    new SampleFile(project, `${srcdir}/${project.appEntrypoint}`, { sourcePath: assetPath('infra/main.ts') });

    const code = new SourceCode(project, `${srcdir}/${GENERATED_MODULE}`);
    this.settingsModule = code;
    const { source } = settings;
    code.line('// Managed by projen-codestar-fargate: edit .projenrc.ts instead.');
    if (!source.connectionArn) {
      code.line("import { Repository } from 'aws-cdk-lib/aws-codecommit';");
    }
    code.line("import { Construct } from 'constructs';");
    code.line("import { CodeStarFargatePipelineProps, PipelineSource } from 'projen-codestar-fargate';");
    code.line();
    code.line('/** The service this toolchain builds and deploys. */');
    code.line(`export const serviceName = ${JSON.stringify(settings.serviceName)};`);
    code.line();
    code.line('/** The pipeline\'s settings from .projenrc.ts. Spread and override them in main.ts if you must. */');
    // The scope only holds a repository the toolchain creates; unused names would fail noUnusedParameters.
    const scope = source.connectionArn ? '_scope' : 'scope';
    code.open(`export function toolchainProps(${scope}: Construct): CodeStarFargatePipelineProps {`);
    code.open('return {');
    code.line('serviceName,');
    if (source.connectionArn && source.repository) {
      const [owner, repository] = source.repository.split('/');
      code.line(`source: PipelineSource.connection({ connectionArn: ${JSON.stringify(source.connectionArn)}, owner: ${JSON.stringify(owner)}, repository: ${JSON.stringify(repository)}, branch: ${JSON.stringify(source.branch)} }),`);
    } else {
      code.line(`source: PipelineSource.codeCommit({ repository: new Repository(scope, 'Repository', { repositoryName: serviceName, description: \`Source of \${serviceName}\` }), branch: ${JSON.stringify(source.branch)} }),`);
    }
    code.line(`stages: [${settings.stages.map((name) => `{ name: ${JSON.stringify(name)} }`).join(', ')}],`);
    code.close('};');
    code.close('}');

    project.addDevDeps('cdk-nag@^3.0.2');
  }
}
