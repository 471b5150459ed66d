import { Aws } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { templateCheckCommand } from './template-check-command';
import { platformListenerRuleConditions, PlatformParameter, platformParameterPath, platformRuleTemplateConditions, PlatformTemplateParameter, TemplateParameter } from '../contract';

/**
 * The stage guard's check of a platform service's template.yml before each deploy
 * (assets/toolchain/platform-template-check.py): IAM has no key for a listener rule's priority, host or listener,
 * nor for the target group ECS registers tasks in, so the toolchain's own code refuses a template that would take
 * another service's traffic or create what only the platform's stacks may.
 */

/** The SSM-typed parameters the check relies on: the rule's priority, host and listeners come only from the platform. */
const CHECKED_PLATFORM_PARAMETERS = [
  PlatformTemplateParameter.RULE_PRIORITY,
  PlatformTemplateParameter.DOMAIN_NAME,
  PlatformTemplateParameter.PRODUCTION_LISTENER_ARN,
  PlatformTemplateParameter.TEST_LISTENER_ARN,
];

/** The buildspec command that runs the checker in the prepare step, before stage-guard.sh. */
export function platformTemplateCheckCommand(): string {
  return templateCheckCommand('platform-template-check.py', ['template.yml', 'template-configuration.json']);
}

/** The platform a guarded service runs on, and the path it is routed by there (absent: its host name). */
export interface GuardedPlatform {
  readonly name: string;
  readonly path?: string;
}

/** The SSM parameter of the stage's domain, which the check reads where the service is routed by its host name. */
function domainParameterName(stage: string, platform: GuardedPlatform): string {
  return `${platformParameterPath(platform.name, stage)}${PlatformParameter.DOMAIN_NAME}`;
}

/** What the checker compares the template with: the accepted rule shape, and the parameters the pipeline owns. */
export function platformTemplateCheckEnvironment(
  serviceName: string, stage: string, platform: GuardedPlatform,
): { [name: string]: codebuild.BuildEnvironmentVariable } {
  const routing = { serviceName, platformPath: platform.path };
  return {
    PLATFORM_RULE_CONDITIONS: { value: JSON.stringify(platformListenerRuleConditions(routing)) },
    PLATFORM_RULE_TEMPLATE_CONDITIONS: { value: JSON.stringify(platformRuleTemplateConditions(routing)) },
    PLATFORM_RULE_PRIORITY_PARAMETER: { value: PlatformTemplateParameter.RULE_PRIORITY },
    PLATFORM_LISTENER_PARAMETERS: { value: [PlatformTemplateParameter.PRODUCTION_LISTENER_ARN, PlatformTemplateParameter.TEST_LISTENER_ARN].join(',') },
    PLATFORM_CLUSTER_PARAMETER: { value: PlatformTemplateParameter.CLUSTER_NAME },
    PLATFORM_SSM_PARAMETERS: { value: CHECKED_PLATFORM_PARAMETERS.join(',') },
    TOOLCHAIN_PARAMETERS: { value: [...Object.values(TemplateParameter), ...Object.values(PlatformTemplateParameter)].join(',') },
    // A host name needs the stage's domain; a path-routed service is reached on any stage.
    ...(platform.path === undefined ? { PLATFORM_DOMAIN_PARAMETER: { value: domainParameterName(stage, platform) } } : {}),
  };
}

/** Lets the guard read the one platform value it checks before a host-routed service's deploy: the stage's domain. */
export function grantPlatformDomainRead(role: iam.IRole, stage: string, platform: GuardedPlatform): void {
  if (platform.path !== undefined) {
    return;
  }
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadPlatformDomain',
    actions: ['ssm:GetParameter'],
    resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter${domainParameterName(stage, platform)}`],
  }));
}
