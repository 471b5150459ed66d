import {
  PLATFORM_HAS_DOMAIN_CONDITION, platformListenerRuleConditions, PlatformParameter, platformRuleTemplateConditions,
  PlatformTemplateParameter, platformValuesAServiceReads,
} from '../contract';
import { ServiceSettings } from '../options';
import { infrastructureRole, StrategyId, weightedForward } from './deployment-strategy';
import { ServiceTemplateIds, TemplateEnvironment } from './template-environment';
import { Json, ref, stageTags, sub } from './template-json';

/**
 * A service on a platform's shared stage environment: template.yml creates no network, cluster or load balancer,
 * and reads the platform's through `AWS::SSM::Parameter::Value` parameters (the pipeline passes each stage's SSM
 * names), so synth needs no AWS. The service adds its own listener rules, on `<service>.<platform domain>` (with
 * `platformPath`: and that path, or the path alone on a stage without a domain), at the priority the platform gave
 * it, on the production listener always and on the test listener while traffic shifts.
 */

const P = PlatformTemplateParameter;

/** What each platform value is, as its parameter's description says it. */
const DESCRIPTIONS: Record<ReturnType<typeof platformValuesAServiceReads>[number], string> = {
  VPC_ID: 'The platform stage\'s VPC id.',
  SERVICE_SUBNET_IDS: 'The subnets the platform runs services\' tasks in.',
  ASSIGN_PUBLIC_IP: 'ENABLED where the platform\'s task subnets are public (no NAT gateway), else DISABLED.',
  CLUSTER_NAME: 'The platform stage\'s ECS cluster.',
  LOAD_BALANCER_FULL_NAME: 'The platform\'s load balancer as CloudWatch names it (app/<name>/<id>), for the alarms.',
  LOAD_BALANCER_SECURITY_GROUP_ID: 'The platform load balancer\'s security group: the only source the tasks accept.',
  PRODUCTION_LISTENER_ARN: 'The platform\'s listener for production traffic.',
  TEST_LISTENER_ARN: 'The platform\'s test listener, where a BLUE_GREEN, CANARY or LINEAR release answers first.',
  URL_SCHEME: 'https or http: how the platform\'s URLs start.',
  DOMAIN_NAME: 'The platform stage\'s domain; the service answers on <service>.<domain>.',
  LOAD_BALANCER_DNS_NAME: 'The platform load balancer\'s own DNS name, where a path-routed service answers on a stage without a domain.',
};

function platformParameters(platformPath: string | undefined): Json {
  const parameters: Json = {};
  for (const key of platformValuesAServiceReads(platformPath)) {
    parameters[P[key]] = {
      Type: key === 'SERVICE_SUBNET_IDS' ? 'AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>' : 'AWS::SSM::Parameter::Value<String>',
      Description: `${DESCRIPTIONS[key]} The name of the platform's SSM parameter (.../${PlatformParameter[key]}).`,
    };
  }
  parameters[P.RULE_PRIORITY] = {
    Type: 'AWS::SSM::Parameter::Value<String>',
    Description: 'The listener rule priority the platform gave this service, the same on both listeners. The name of the platform\'s SSM parameter (.../services/<service>/rule-priority).',
  };
  return parameters;
}

export function platformEnvironment(settings: ServiceSettings, service: ServiceTemplateIds): TemplateEnvironment {
  const { serviceName, platformPath } = settings;
  return {
    parameters: platformParameters(platformPath),
    rules: {},
    conditions: platformRuleTemplateConditions(settings),
    resources: {},
    vpcId: ref(P.VPC_ID),
    serviceSubnetIds: ref(P.SERVICE_SUBNET_IDS),
    assignPublicIp: ref(P.ASSIGN_PUBLIC_IP),
    clusterReference: P.CLUSTER_NAME,
    clusterName: ref(P.CLUSTER_NAME),
    loadBalancerFullName: ref(P.LOAD_BALANCER_FULL_NAME),
    loadBalancerSecurityGroupId: ref(P.LOAD_BALANCER_SECURITY_GROUP_ID),
    serviceDependsOn: [StrategyId.PRODUCTION_LISTENER_RULE],
    // The Ref cfn-lint sees is under ShiftsTraffic only; a ROLLING stack needs the DependsOn.
    serviceMetadata: { 'cfn-lint': { config: { ignore_checks: ['W3005'] } } },
    ...serviceUrl(serviceName, platformPath),
    listenerRules: targetGroupProperties => platformListenerRules(settings, service, targetGroupProperties),
  };
}

/** The service's URL (the smoke test's base URL): its host, or on a stage without a domain the load balancer's, and its path. */
function serviceUrl(serviceName: string, platformPath: string | undefined): { serviceUrl: Json; serviceUrlDescription: string } {
  const onDomain = `\${${P.URL_SCHEME}}://${serviceName}.\${${P.DOMAIN_NAME}}`;
  if (platformPath === undefined) {
    return { serviceUrl: sub(onDomain), serviceUrlDescription: 'The service\'s URL on the platform: <scheme>://<service>.<platform domain>.' };
  }
  return {
    serviceUrl: { 'Fn::If': [PLATFORM_HAS_DOMAIN_CONDITION, sub(`${onDomain}${platformPath}`), sub(`\${${P.URL_SCHEME}}://\${${P.LOAD_BALANCER_DNS_NAME}}${platformPath}`)] },
    serviceUrlDescription: `The service's URL on the platform: <scheme>://<service>.<platform domain>${platformPath}, or <scheme>://<load balancer DNS name>${platformPath} on a stage without a domain.`,
  };
}

/**
 * The service's rules on the platform's listeners. The production rule exists under every strategy (the shared
 * listener's default action is the platform's), forwarding where ECS left production; the test rule only while
 * traffic shifts, for ECS to point at the new release.
 */
function platformListenerRules(settings: ServiceSettings, service: ServiceTemplateIds, targetGroupProperties: Json): Json {
  // The one shape the stage guard accepts (contract.ts).
  const conditions = platformListenerRuleConditions(settings);
  const onlyPrimary = [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: ref(service.targetGroup), Weight: 100 }] } }];
  return {
    // Tagged like the live one: the deploy role may create and change only target groups tagged for its stage.
    [StrategyId.ALTERNATE_TARGET_GROUP]: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Condition: StrategyId.SHIFTS_TRAFFIC,
      Properties: targetGroupProperties,
    },
    [StrategyId.PRODUCTION_LISTENER_RULE]: {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn: ref(P.PRODUCTION_LISTENER_ARN),
        Priority: ref(P.RULE_PRIORITY),
        Conditions: conditions,
        Actions: { 'Fn::If': [StrategyId.SHIFTS_TRAFFIC, weightedForward(service, true), onlyPrimary] },
        // The deploy role may create rules on the platform's listeners only with the service's tags, and change only those.
        Tags: stageTags(settings),
      },
    },
    [StrategyId.TEST_LISTENER_RULE]: {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Condition: StrategyId.SHIFTS_TRAFFIC,
      Properties: {
        ListenerArn: ref(P.TEST_LISTENER_ARN),
        Priority: ref(P.RULE_PRIORITY),
        Conditions: conditions,
        // ECS points it at the new release during one; CloudFormation never changes it, so its weights never fight ECS's.
        Actions: weightedForward(service, false),
        Tags: stageTags(settings),
      },
    },
    [StrategyId.INFRASTRUCTURE_ROLE]: infrastructureRole(settings, service.targetGroup, []),
  };
}
