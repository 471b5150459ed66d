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
  KEEPS_LAUNCH_TYPE: 'KeepsLaunchType',
  SPOT_NEEDS_STRATEGY: 'FargateSpotNeedsCapacityProviderStrategy',
} as const;

/** The values of the `ServicePlacement` parameter. */
export const ServicePlacement = {
  /** Every service this release creates: a capacity provider strategy, FARGATE or FARGATE_SPOT. */
  STRATEGY: 'CapacityProviderStrategy',
  /** A service release 1.0 created with `LaunchType: FARGATE`, kept so that no update replaces it. */
  LAUNCH_TYPE: 'LaunchType',
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
    [TemplateParameter.SERVICE_PLACEMENT]: {
      Type: 'String',
      Description: 'How the deployed service places its tasks, as the Prepare step read it: LaunchType for a service created with LaunchType FARGATE (release 1.0), which keeps it; CapacityProviderStrategy otherwise.',
      AllowedValues: [ServicePlacement.STRATEGY, ServicePlacement.LAUNCH_TYPE],
      Default: ServicePlacement.STRATEGY,
    },
  };
}

export function platformConditions(): Json {
  return {
    [PlatformId.USES_FARGATE_SPOT]: { 'Fn::Equals': [{ Ref: TemplateParameter.FARGATE_SPOT }, 'true'] },
    [PlatformId.KEEPS_LAUNCH_TYPE]: { 'Fn::Equals': [{ Ref: TemplateParameter.SERVICE_PLACEMENT }, ServicePlacement.LAUNCH_TYPE] },
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
    [PlatformId.SPOT_NEEDS_STRATEGY]: {
      RuleCondition: { 'Fn::Equals': [{ Ref: TemplateParameter.FARGATE_SPOT }, 'true'] },
      Assertions: [{
        Assert: { 'Fn::Equals': [{ Ref: TemplateParameter.SERVICE_PLACEMENT }, ServicePlacement.STRATEGY] },
        AssertDescription: 'FargateSpot true needs ServicePlacement CapacityProviderStrategy: a service created with LaunchType FARGATE cannot move to Fargate Spot without being replaced (docs/upgrades.md).',
      }],
    },
  };
}

/** The cluster may place tasks on both; associating a provider costs nothing. */
export const CLUSTER_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/** What the cluster places a task on that names no strategy of its own: regular Fargate. */
export const CLUSTER_DEFAULT_CAPACITY_PROVIDER_STRATEGY = [{ CapacityProvider: 'FARGATE', Weight: 1 }];

/**
 * The service's placement: every task on Fargate Spot, or every task on regular Fargate, as a capacity provider
 * strategy. `LaunchType` is conditionally create-only (AWS::ECS::Service's registry schema): switching between it
 * and a strategy would replace the service, whose fixed ServiceName refuses a replacement. So a new service never
 * gets it, and a service release 1.0 created with `LaunchType: FARGATE` keeps it (the Prepare step says which).
 */
export function servicePlacement(): Json {
  const noValue = { Ref: 'AWS::NoValue' };
  return {
    LaunchType: { 'Fn::If': [PlatformId.KEEPS_LAUNCH_TYPE, 'FARGATE', noValue] },
    CapacityProviderStrategy: {
      'Fn::If': [PlatformId.KEEPS_LAUNCH_TYPE, noValue, {
        'Fn::If': [PlatformId.USES_FARGATE_SPOT, [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }], [{ CapacityProvider: 'FARGATE', Weight: 1 }]],
      }],
    },
  };
}
