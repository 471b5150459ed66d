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
  SPOT_NEEDS_X86_64: 'FargateSpotNeedsX8664',
} as const;

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

/** Refuses Fargate Spot with ARM64 before any change: Fargate Spot runs only X86_64 Linux tasks (validation.ts cites ECS). */
export function platformRules(): Json {
  return {
    [PlatformId.SPOT_NEEDS_X86_64]: {
      RuleCondition: { 'Fn::Equals': [{ Ref: TemplateParameter.FARGATE_SPOT }, 'true'] },
      Assertions: [{
        Assert: { 'Fn::Equals': [{ Ref: TemplateParameter.CPU_ARCHITECTURE }, 'X86_64'] },
        AssertDescription: 'FargateSpot true needs CpuArchitecture X86_64: Fargate Spot runs only X86_64 Linux tasks.',
      }],
    },
  };
}

/** The cluster may place tasks on both; associating a provider costs nothing. */
export const CLUSTER_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/** What the cluster places a task on that names no strategy of its own: regular Fargate. */
export const CLUSTER_DEFAULT_CAPACITY_PROVIDER_STRATEGY = [{ CapacityProvider: 'FARGATE', Weight: 1 }];

/**
 * The service's placement: every task on Fargate Spot, or every task on regular Fargate, always as a capacity
 * provider strategy. Never `LaunchType`: it is conditionally create-only (AWS::ECS::Service's registry schema),
 * so switching between it and a strategy would replace the service, whose fixed ServiceName refuses a replacement.
 */
export function servicePlacement(): Json {
  return {
    CapacityProviderStrategy: {
      'Fn::If': [PlatformId.USES_FARGATE_SPOT, [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }], [{ CapacityProvider: 'FARGATE', Weight: 1 }]],
    },
  };
}
