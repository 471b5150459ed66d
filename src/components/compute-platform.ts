import { TemplateParameter } from '../contract';
import { ServiceSettings } from '../options';

/**
 * The parts of template.yml that choose where the tasks run: the processor (`CpuArchitecture`, which must match
 * the image the pipeline built) and regular Fargate or Fargate Spot.
 */

type Json = Record<string, unknown>;

/** Logical ids of what this module adds. */
export const PlatformId = {
  USES_FARGATE_SPOT: 'UsesFargateSpot',
} as const;

const NO_VALUE = { Ref: 'AWS::NoValue' };

export function platformParameters(settings: ServiceSettings): Json {
  return {
    [TemplateParameter.CPU_ARCHITECTURE]: {
      Type: 'String',
      Description: 'The processor the tasks run on; it must match the image\'s architecture (the pipeline passes the one it built for).',
      AllowedValues: ['X86_64', 'ARM64'],
      Default: settings.architecture,
    },
    [TemplateParameter.FARGATE_SPOT]: {
      Type: 'String',
      Description: 'Whether the tasks run on Fargate Spot (cheaper; AWS may stop a task with two minutes\' notice) instead of regular Fargate.',
      AllowedValues: ['true', 'false'],
      Default: 'false',
    },
  };
}

export function platformConditions(): Json {
  return {
    [PlatformId.USES_FARGATE_SPOT]: { 'Fn::Equals': [{ Ref: TemplateParameter.FARGATE_SPOT }, 'true'] },
  };
}

/** The cluster may place tasks on both; associating a provider costs nothing. */
export const CLUSTER_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/**
 * The service's placement: the Fargate launch type, or every task on Fargate Spot. ECS refuses a service with both
 * a launch type and a capacity provider strategy, so each is set only when the other is not.
 */
export function servicePlacement(): Json {
  return {
    LaunchType: { 'Fn::If': [PlatformId.USES_FARGATE_SPOT, NO_VALUE, 'FARGATE'] },
    CapacityProviderStrategy: {
      'Fn::If': [PlatformId.USES_FARGATE_SPOT, [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }], NO_VALUE],
    },
  };
}
