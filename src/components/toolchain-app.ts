import { awscdk, Component, SampleFile, TextFile } from 'projen';
import { assetPath, renderAsset } from '../assets';
import { PRODUCTION_STAGE_NAMES } from '../contract';
import { CpuArchitecture, ServiceSettings } from '../options';

/** The managed module the user-owned `main.ts` calls. */
const GENERATED_MODULE = 'toolchain.generated.ts';

/**
 * The CDK app in `infra/` that deploys the toolchain: a user-owned `main.ts`
 * written once, and a managed module that builds the app, its checks, the
 * stack and the pipeline from `.projenrc.ts`, so what the product promises
 * follows every upgrade and `main.ts` keeps only what a team adds.
 */
export class ToolchainApp extends Component {
  /** The managed `toolchain.generated.ts`. */
  public readonly settingsModule: TextFile;

  constructor(project: awscdk.AwsCdkTypeScriptApp, settings: ServiceSettings) {
    super(project);
    const srcdir = project.srcdir;
    new SampleFile(project, `${srcdir}/${project.appEntrypoint}`, { sourcePath: assetPath('infra/main.ts') });

    const { source } = settings;
    const rendered = renderAsset(`infra/${GENERATED_MODULE}`, {
      serviceName: JSON.stringify(settings.serviceName),
      // A connection needs no scope; the CodeCommit repository is created in it.
      repositoryImport: source.connectionArn ? '' : "import { Repository } from 'aws-cdk-lib/aws-codecommit';\n",
      source: sourceExpression(settings),
      stages: settings.stages.map((name) => `{ name: ${JSON.stringify(name)} }`).join(', '),
      ...deploymentStrategyRendering(settings),
      ...platformRendering(settings),
      healthCheckPath: JSON.stringify(settings.healthCheckPath),
      notificationEmails: settings.notificationEmails.map((email) => JSON.stringify(email)).join(', '),
    });
    // The asset carries its own "Managed by" line; projen's marker would be a second one.
    this.settingsModule = new TextFile(project, `${srcdir}/${GENERATED_MODULE}`, { lines: rendered.replace(/\n$/, '').split('\n'), readonly: true, marker: false });

    project.addDevDeps('cdk-nag@^3.0.2');
    warnAboutPlainHttp(project, settings);
  }
}

/** Said at every `npx projen`, besides the annotation `cdk synth` shows: production should not serve plain HTTP. */
function warnAboutPlainHttp(project: awscdk.AwsCdkTypeScriptApp, settings: ServiceSettings): void {
  const production = settings.stages.filter(stage => PRODUCTION_STAGE_NAMES.includes(stage));
  if (settings.hostedZone === undefined && production.length > 0) {
    project.logger.warn(`Stage ${production.map(stage => `"${stage}"`).join(' and ')} will serve plain HTTP: set hostedZoneId and hostedZoneName in .projenrc.ts for a domain and certificate per stage.`);
  }
}

/** The hosted zone, architecture and Spot choice as properties of the pipeline's props; nothing for defaults. */
function platformRendering({ hostedZone, architecture, fargateSpot }: ServiceSettings): { architectureImport: string; platform: string } {
  const lines = [
    hostedZone ? `hostedZone: { hostedZoneId: ${JSON.stringify(hostedZone.hostedZoneId)}, zoneName: ${JSON.stringify(hostedZone.zoneName)} },` : '',
    architecture !== CpuArchitecture.X86_64 ? `architecture: CpuArchitecture.${architecture},` : '',
    fargateSpot ? '// Stages without an approval run on Fargate Spot.\n    fargateSpot: true,' : '',
  ].filter(line => line !== '');
  return {
    architectureImport: architecture !== CpuArchitecture.X86_64 ? ', CpuArchitecture' : '',
    platform: lines.map(line => `\n    ${line}`).join(''),
  };
}

/** The project's `deploymentStrategy` as a property of the pipeline's props, and the import it needs; nothing when unset. */
function deploymentStrategyRendering({ deploymentStrategy }: ServiceSettings): { strategyImport: string; deploymentStrategy: string } {
  if (deploymentStrategy === undefined) {
    return { strategyImport: '', deploymentStrategy: '' };
  }
  const numbers = Object.entries(deploymentStrategy)
    .filter(([key, value]) => key !== 'type' && value !== undefined)
    .map(([key, value]) => `, ${key}: ${JSON.stringify(value)}`)
    .join('');
  return {
    strategyImport: ', DeploymentStrategyType',
    deploymentStrategy: `\n    deploymentStrategy: { type: DeploymentStrategyType.${deploymentStrategy.type}${numbers} },`,
  };
}

/** The `PipelineSource` the settings name, as TypeScript. */
function sourceExpression({ source }: ServiceSettings): string {
  if (source.connectionArn && source.repository) {
    const [owner, repository] = source.repository.split('/');
    return `PipelineSource.connection({ connectionArn: ${JSON.stringify(source.connectionArn)}, owner: ${JSON.stringify(owner)}, repository: ${JSON.stringify(repository)}, branch: ${JSON.stringify(source.branch)} })`;
  }
  return `PipelineSource.codeCommit({ repository: new Repository(scope, 'Repository', { repositoryName: serviceName, description: \`Source of \${serviceName}\` }), branch: ${JSON.stringify(source.branch)} })`;
}
