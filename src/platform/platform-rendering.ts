import { TaskSubnets } from '../options';
import { PlatformSettings, PlatformStageSettings, defaultPlatformDomainName } from './platform-validation';

/**
 * The values of the managed platform module: the platform's stages and services as TypeScript, with only what
 * differs from the defaults, so the module reads like `.projenrc.ts`.
 */
export function platformModuleValues(settings: PlatformSettings): Record<string, string> {
  const stages = settings.stages.map(stageExpression);
  const services = settings.services.map(service => `{ name: ${JSON.stringify(service.name)}, rulePriority: ${service.rulePriority} }`);
  return {
    platformName: JSON.stringify(settings.platformName),
    taskSubnetsImport: settings.stages.some(stage => stage.taskSubnets !== TaskSubnets.PRIVATE) ? ', TaskSubnets' : '',
    stages: oneALine(stages),
    services: oneALine(services),
  };
}

/** Short lists on one line, longer ones one entry a line. */
function oneALine(entries: string[]): string {
  const line = entries.join(', ');
  return line.length <= 80 ? line : `\n${entries.map(entry => `      ${entry},\n`).join('')}    `;
}

function stageExpression(stage: PlatformStageSettings): string {
  const properties = [`name: ${JSON.stringify(stage.name)}`];
  if (stage.network) {
    properties.push(`network: ${JSON.stringify(stage.network).replace(/"(\w+)":/g, '$1: ')}`);
  }
  if (stage.taskSubnets !== TaskSubnets.PRIVATE) {
    properties.push(`taskSubnets: TaskSubnets.${stage.taskSubnets}`);
  }
  const defaultNatGateways = stage.network || stage.taskSubnets === TaskSubnets.PUBLIC ? 0 : 1;
  if (stage.natGateways !== defaultNatGateways) {
    properties.push(`natGateways: ${stage.natGateways}`);
  }
  if (stage.domain) {
    const { hostedZoneId, zoneName, domainName } = stage.domain;
    properties.push(`hostedZone: { hostedZoneId: ${JSON.stringify(hostedZoneId)}, zoneName: ${JSON.stringify(zoneName)} }`);
    if (domainName !== defaultPlatformDomainName(stage.name, zoneName)) {
      properties.push(`domainName: ${JSON.stringify(domainName)}`);
    }
  }
  if (!stage.internetFacing) {
    properties.push('internetFacing: false');
  }
  if (stage.testTrafficCidr !== undefined) {
    properties.push(`testTrafficCidr: ${JSON.stringify(stage.testTrafficCidr)}`);
  }
  return `{ ${properties.join(', ')} }`;
}
