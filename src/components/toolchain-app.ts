import { awscdk, Component, JsonFile, SampleFile, TextFile } from 'projen';
import { assetPath, renderAsset } from '../assets';
import { PRODUCTION_STAGE_NAMES } from '../contract';
import { defaultStageDomainName } from '../domain';
import { CpuArchitecture, DeploymentStrategy, ServiceSettings, StageSettings, TaskSubnets } from '../options';
import { secretReference, settingDigests, TOOLCHAIN_SETTINGS_FILE, toolchainSettings } from '../toolchain-settings';

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
  /** The managed `.projen/toolchain-settings.json`: the settings the build compares with the deployed toolchain's. */
  public readonly settingsFile: JsonFile;

  constructor(project: awscdk.AwsCdkTypeScriptApp, settings: ServiceSettings) {
    super(project);
    const srcdir = project.srcdir;
    new SampleFile(project, `${srcdir}/${project.appEntrypoint}`, { sourcePath: assetPath('infra/main.ts') });

    const { source } = settings;
    const values = toolchainSettings(settings);
    this.settingsFile = new JsonFile(project, TOOLCHAIN_SETTINGS_FILE, { obj: values, readonly: true });
    const rendered = renderAsset(`infra/${GENERATED_MODULE}`, {
      serviceName: JSON.stringify(settings.serviceName),
      // A connection needs no scope; the CodeCommit repository is created in it.
      repositoryImport: source.connectionArn ? '' : "import { Repository } from 'aws-cdk-lib/aws-codecommit';\n",
      hostImport: source.host !== undefined ? ', GitHost' : '',
      source: sourceExpression(settings),
      stages: stagesExpression(settings),
      ...deploymentStrategyRendering(settings),
      ...platformRendering(settings),
      ec2Import: settings.stageSettings.some(stage => stage.network) ? "import * as ec2 from 'aws-cdk-lib/aws-ec2';\n" : '',
      fnImport: settings.stageSettings.some(stage => stage.network) ? ', Fn' : '',
      taskSubnetsImport: settings.stageSettings.some(stage => stage.taskSubnets === TaskSubnets.PUBLIC) ? ', TaskSubnets' : '',
      healthCheckPath: JSON.stringify(settings.healthCheckPath),
      notificationEmails: settings.notificationEmails.map((email) => JSON.stringify(email)).join(', '),
      // One setting a line, as the committed file has them.
      toolchainSettings: JSON.stringify(settingDigests(values), null, 2).replace(/\n/g, '\n    '),
    });
    // The asset carries its own "Managed by" line; projen's marker would be a second one.
    this.settingsModule = new TextFile(project, `${srcdir}/${GENERATED_MODULE}`, { lines: rendered.replace(/\n$/, '').split('\n'), readonly: true, marker: false });

    project.addDevDeps('cdk-nag@^3.0.2');
    warnAboutPlainHttp(project, settings);
  }
}

/** A stage's domain and Spot choice where they differ from what the pipeline derives from its own props. */
function stagePlatformProperties(stage: StageSettings, settings: ServiceSettings): string[] {
  const properties: string[] = [];
  if (settings.hostedZone && stage.domainName !== defaultStageDomainName(settings.serviceName, stage.name, settings.hostedZone.zoneName)) {
    properties.push(`domainName: ${JSON.stringify(stage.domainName)}`);
  }
  if ((stage.fargateSpot ?? false) !== (settings.fargateSpot && !stage.approvalRequired)) {
    properties.push(`fargateSpot: ${stage.fargateSpot ?? false}`);
  }
  return properties;
}

/** Said at every `npx projen`, besides the annotation `cdk synth` shows: production should not serve plain HTTP. */
function warnAboutPlainHttp(project: awscdk.AwsCdkTypeScriptApp, settings: ServiceSettings): void {
  const production = settings.stageSettings
    .filter(stage => stage.approvalRequired || PRODUCTION_STAGE_NAMES.includes(stage.name))
    .map(stage => stage.name);
  // On a platform, the platform's certificate decides.
  if (settings.hostedZone === undefined && settings.platformName === undefined && production.length > 0) {
    project.logger.warn(`Stage ${production.map(stage => `"${stage}"`).join(' and ')} will serve plain HTTP: set hostedZoneId and hostedZoneName in .projenrc.ts for a domain and certificate per stage.`);
  }
  for (const stage of settings.stageSettings.filter(spot => spot.fargateSpot && spot.approvalRequired)) {
    project.logger.warn(`Stage "${stage.name}" has an approval and runs on Fargate Spot: AWS may stop its tasks with two minutes' notice.`);
  }
}

/** The hosted zone, architecture and Spot choice as properties of the pipeline's props; nothing for defaults. */
function platformRendering(settings: ServiceSettings): { architectureImport: string; platform: string } {
  const { hostedZone, architecture, fargateSpot, extraResourceTypes, pullRequestChecks, platformName, platformPath } = settings;
  const lines = [
    platformName !== undefined ? `// Every stage joins this platform's shared network, cluster and load balancer.\n    platformName: ${JSON.stringify(platformName)},` : '',
    platformPath !== undefined ? `// Its rules match this path (and <service>.<domain> where the stage has one); the stage guard accepts only those.\n    platformPath: ${JSON.stringify(platformPath)},` : '',
    hostedZone ? `hostedZone: { hostedZoneId: ${JSON.stringify(hostedZone.hostedZoneId)}, zoneName: ${JSON.stringify(hostedZone.zoneName)} },` : '',
    architecture !== CpuArchitecture.X86_64 ? `architecture: CpuArchitecture.${architecture},` : '',
    fargateSpot ? '// Stages without an approval run on Fargate Spot.\n    fargateSpot: true,' : '',
    pullRequestChecks === false ? 'pullRequestChecks: false,' : '',
    extraResourceTypes?.length ? `// Types template.yml's escape hatches add, under each stage's own names.\n    extraResourceTypes: ${JSON.stringify(extraResourceTypes)},` : '',
  ].filter(line => line !== '');
  return {
    architectureImport: architecture !== CpuArchitecture.X86_64 ? ', CpuArchitecture' : '',
    platform: lines.map(line => `\n    ${line}`).join(''),
  };
}

/** The project's `deploymentStrategy` as a property of the pipeline's props, and the import it needs; nothing when unset. */
function deploymentStrategyRendering(settings: ServiceSettings): { strategyImport: string; deploymentStrategy: string } {
  const { deploymentStrategy } = settings;
  const anyStrategy = deploymentStrategy !== undefined || settings.stageSettings.some(stage => stageStrategy(stage, settings) !== undefined);
  return {
    strategyImport: anyStrategy ? ', DeploymentStrategyType' : '',
    deploymentStrategy: deploymentStrategy === undefined ? '' : `\n    deploymentStrategy: ${strategyExpression(deploymentStrategy)},`,
  };
}

function strategyExpression(strategy: DeploymentStrategy): string {
  const numbers = Object.entries(strategy)
    .filter(([key, value]) => key !== 'type' && value !== undefined)
    .map(([key, value]) => `, ${key}: ${JSON.stringify(value)}`)
    .join('');
  return `{ type: DeploymentStrategyType.${strategy.type}${numbers} }`;
}

/** A stage's own strategy, when it differs from the project's. */
function stageStrategy(stage: StageSettings, settings: ServiceSettings): DeploymentStrategy | undefined {
  return JSON.stringify(stage.deploymentStrategy) === JSON.stringify(settings.deploymentStrategy) ? undefined : stage.deploymentStrategy;
}

/**
 * A `PipelineStage` with what the pipeline needs of the stage: the counts the template takes as parameters, the
 * approval, strategy, emails, network, account and the secrets its permissions boundary lets the tasks read.
 * Values equal to the defaults are left out, so the module reads like what `.projenrc.ts` says.
 */
function stageExpression(stage: StageSettings, settings: ServiceSettings): string {
  const properties: string[] = [`name: ${JSON.stringify(stage.name)}`];
  const add = (key: string, expression: string) => properties.push(`${key}: ${expression}`);
  if (stage.approvalRequired !== PRODUCTION_STAGE_NAMES.includes(stage.name)) {
    add('approvalRequired', String(stage.approvalRequired));
  }
  if (stage.minContainers !== settings.minContainers || stage.maxContainers !== settings.maxContainers) {
    add('minContainers', String(stage.minContainers));
    add('maxContainers', String(stage.maxContainers));
  }
  const strategy = stageStrategy(stage, settings);
  if (strategy !== undefined) {
    add('deploymentStrategy', strategyExpression(strategy));
  }
  if (stage.notificationEmails.length > 0) {
    add('notificationEmails', JSON.stringify(stage.notificationEmails));
  }
  if (Object.keys(stage.secrets).length > 0) {
    const secrets = Object.entries(stage.secrets).map(([name, secret]) => `${name}: ${JSON.stringify(secretReference(secret))}`);
    add('secrets', `{ ${secrets.join(', ')} }`);
  }
  if (stage.network) {
    const { vpcId, publicSubnetIds, privateSubnetIds } = stage.network;
    // The Availability Zones only pair with the subnets in CDK's model; the pipeline reads the ids alone. With the
    // zones a token, CDK names every subnet "undefinedSubnet<n>" unless each has a name: two private subnets collided.
    const names = (prefix: string, ids: string[]) => JSON.stringify(ids.map((_id, index) => `${prefix}${index + 1}`));
    // A network for public tasks may have no private subnets: then none are named.
    const privateSubnets = privateSubnetIds?.length ? `, privateSubnetIds: ${JSON.stringify(privateSubnetIds)}, privateSubnetNames: ${names('Private', privateSubnetIds)}` : '';
    add('vpc', `ec2.Vpc.fromVpcAttributes(scope, ${JSON.stringify(`${stage.name}-vpc`)}, { vpcId: ${JSON.stringify(vpcId)}, availabilityZones: Fn.getAzs(), publicSubnetIds: ${JSON.stringify(publicSubnetIds)}, publicSubnetNames: ${names('Public', publicSubnetIds)}${privateSubnets} })`);
  }
  if (stage.taskSubnets === TaskSubnets.PUBLIC) {
    add('taskSubnets', 'TaskSubnets.PUBLIC');
  }
  if (stage.account !== undefined) {
    add('account', JSON.stringify(stage.account));
  }
  if (stage.region !== undefined) {
    add('region', JSON.stringify(stage.region));
  }
  properties.push(...stagePlatformProperties(stage, settings));
  return `{ ${properties.join(', ')} }`;
}

/** The stages on one line while they are names only, else one a line. */
function stagesExpression(settings: ServiceSettings): string {
  const stages = settings.stageSettings.map(stage => stageExpression(stage, settings));
  return stages.every(stage => /^\{ name: "[a-z0-9]+" \}$/.test(stage)) ? stages.join(', ') : `\n${stages.map(stage => `      ${stage},\n`).join('')}    `;
}

/** The `PipelineSource` the settings name, as TypeScript. */
function sourceExpression({ source }: ServiceSettings): string {
  if (source.connectionArn && source.repository) {
    const [owner, repository] = source.repository.split('/');
    const host = source.host !== undefined ? `, host: GitHost.${source.host}` : '';
    return `PipelineSource.connection({ connectionArn: ${JSON.stringify(source.connectionArn)}, owner: ${JSON.stringify(owner)}, repository: ${JSON.stringify(repository)}, branch: ${JSON.stringify(source.branch)}${host} })`;
  }
  return `PipelineSource.codeCommit({ repository: new Repository(scope, 'Repository', { repositoryName: serviceName, description: \`Source of \${serviceName}\` }), branch: ${JSON.stringify(source.branch)} })`;
}
