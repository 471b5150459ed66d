import { infrastructureRolePath, permissionsBoundaryName, rolePath, TemplateParameter, TEST_LISTENER_PORT } from '../contract';
import { DEPLOYMENT_STRATEGY_DEFAULTS } from '../deployment-strategy';
import { DeploymentStrategyType, ServiceSettings } from '../options';

/**
 * The parts of template.yml that release a new version by a strategy: its parameters, the conditions that
 * create the traffic-shifting resources only for blue/green, canary and linear, those resources, and the
 * service's `DeploymentConfiguration`. ROLLING adds no resource.
 */

type Json = Record<string, unknown>;

/** The logical ids of the service template this module refers to. */
export interface StrategyTemplateIds {
  readonly loadBalancer: string;
  readonly loadBalancerSecurityGroup: string;
  readonly targetGroup: string;
  readonly httpListener: string;
  readonly httpsListener: string;
  readonly hasCertificate: string;
  /** The certificate of the HTTPS listeners, under `hasCertificate`: the stage's own or the one given. */
  readonly certificateArn: Json;
  readonly tlsPolicy: string;
}

/** Logical ids of what this module adds. */
export const StrategyId = {
  SHIFTS_TRAFFIC: 'ShiftsTraffic',
  IS_CANARY: 'IsCanary',
  IS_LINEAR: 'IsLinear',
  HAS_CIRCUIT_BREAKER: 'HasCircuitBreaker',
  ALTERNATE_SERVES_PRODUCTION: 'AlternateServesProduction',
  HAS_TEST_TRAFFIC_CIDR: 'HasTestTrafficCidr',
  ALLOWS_TEST_TRAFFIC: 'AllowsTestTraffic',
  ALTERNATE_TARGET_GROUP: 'AlternateTargetGroup',
  PRODUCTION_LISTENER_RULE: 'ProductionListenerRule',
  TEST_LISTENER: 'TestListener',
  TEST_LISTENER_RULE: 'TestListenerRule',
  TEST_TRAFFIC_INGRESS: 'LoadBalancerSecurityGroupIngressTestTraffic',
  INFRASTRUCTURE_ROLE: 'LoadBalancerInfrastructureRole',
} as const;

/** The values of `ProductionTargetGroup`: the logical ids of the two target groups. */
export const PRODUCTION_TARGET_GROUPS = { primary: 'TargetGroup', alternate: 'AlternateTargetGroup' } as const;

/** Conditions under which this module creates resources; a ROLLING stack has none of them. */
export const TRAFFIC_SHIFTING_CONDITIONS: readonly string[] = [StrategyId.SHIFTS_TRAFFIC, StrategyId.ALLOWS_TEST_TRAFFIC];

const NO_VALUE = { Ref: 'AWS::NoValue' };

function ref(name: string): Json {
  return { Ref: name };
}

function sub(text: string): Json {
  return { 'Fn::Sub': text };
}

function ifCondition(condition: string, whenTrue: unknown, whenFalse: unknown): Json {
  return { 'Fn::If': [condition, whenTrue, whenFalse] };
}

function strategyIs(type: DeploymentStrategyType): Json {
  return { 'Fn::Equals': [ref(TemplateParameter.DEPLOYMENT_STRATEGY), type] };
}

/** `${Stage}` inside a `Fn::Sub` string. */
const STAGE_VARIABLE = `\${${TemplateParameter.STAGE}}`;

/**
 * The strategy and its numbers. Deployed by hand the template rolls unless told otherwise; the pipeline
 * passes each stage's strategy (canary for production unless `deploymentStrategy` says otherwise).
 */
export function strategyParameters(ownTestListener = true): Json {
  const minutes = (description: string, defaultValue: number) => ({
    Type: 'Number', Description: description, Default: defaultValue, MinValue: 0, MaxValue: 1440,
  });
  const percent = (description: string, defaultValue: number, min: number) => ({
    Type: 'Number', Description: `${description} A multiple of 0.1 from ${min} to 100.`, Default: defaultValue, MinValue: min, MaxValue: 100,
  });
  return {
    [TemplateParameter.DEPLOYMENT_STRATEGY]: {
      Type: 'String',
      Description: 'How ECS releases a new version: ROLLING replaces tasks in place; BLUE_GREEN, CANARY and LINEAR start a full new fleet behind a second target group and move traffic to it.',
      AllowedValues: Object.values(DeploymentStrategyType),
      Default: DeploymentStrategyType.ROLLING,
    },
    [TemplateParameter.BAKE_TIME_MINUTES]: minutes('Minutes the old tasks keep running after all traffic has moved, for an instant rollback (BLUE_GREEN, CANARY, LINEAR).', DEPLOYMENT_STRATEGY_DEFAULTS.bakeTimeMinutes),
    [TemplateParameter.CANARY_PERCENT]: percent('Percent of production traffic the canary gets (CANARY).', DEPLOYMENT_STRATEGY_DEFAULTS.canaryPercent, 0.1),
    [TemplateParameter.CANARY_BAKE_TIME_MINUTES]: minutes('Minutes the canary serves its share before the rest of the traffic moves (CANARY).', DEPLOYMENT_STRATEGY_DEFAULTS.canaryBakeTimeMinutes),
    [TemplateParameter.LINEAR_STEP_PERCENT]: percent('Percent of production traffic each step moves (LINEAR).', DEPLOYMENT_STRATEGY_DEFAULTS.linearStepPercent, 3),
    [TemplateParameter.LINEAR_STEP_BAKE_TIME_MINUTES]: minutes('Minutes between two steps (LINEAR).', DEPLOYMENT_STRATEGY_DEFAULTS.linearStepBakeTimeMinutes),
    [TemplateParameter.PRODUCTION_TARGET_GROUP]: {
      Type: 'String',
      Description: 'The target group production traffic is on now: ECS moves it to the other one on every BLUE_GREEN, CANARY or LINEAR release. The pipeline\'s Prepare step reads it from the deployed production listener rule, so that a rule or listener this update writes forwards where ECS left the traffic.',
      AllowedValues: [PRODUCTION_TARGET_GROUPS.primary, PRODUCTION_TARGET_GROUPS.alternate],
      Default: PRODUCTION_TARGET_GROUPS.primary,
    },
    // A platform's test listener is the platform's: who may reach it is the platform's security group's to say.
    ...(ownTestListener ? testTrafficCidrParameter() : {}),
  };
}

function testTrafficCidrParameter(): Json {
  return {
    [TemplateParameter.TEST_TRAFFIC_CIDR]: {
      Type: 'String',
      Description: `The IPv4 range that may reach the test listener on port ${TEST_LISTENER_PORT}, where a new release answers before production traffic moves (BLUE_GREEN, CANARY, LINEAR); empty lets nobody in.`,
      Default: '',
      AllowedPattern: '^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}/([0-9]|[12][0-9]|3[0-2]))?$',
      ConstraintDescription: 'must be an IPv4 CIDR block such as 203.0.113.0/24, or empty',
    },
  };
}

export function strategyConditions(ownTestListener = true): Json {
  return {
    [StrategyId.SHIFTS_TRAFFIC]: { 'Fn::Not': [strategyIs(DeploymentStrategyType.ROLLING)] },
    [StrategyId.IS_CANARY]: strategyIs(DeploymentStrategyType.CANARY),
    [StrategyId.IS_LINEAR]: strategyIs(DeploymentStrategyType.LINEAR),
    [StrategyId.HAS_CIRCUIT_BREAKER]: { 'Fn::Or': CIRCUIT_BREAKER_STRATEGIES.map(strategyIs) },
    // Only while traffic shifts: a ROLLING stack has no alternate group (the Prepare step refuses that switch while it serves).
    [StrategyId.ALTERNATE_SERVES_PRODUCTION]: { 'Fn::And': [{ Condition: StrategyId.SHIFTS_TRAFFIC }, { 'Fn::Equals': [ref(TemplateParameter.PRODUCTION_TARGET_GROUP), PRODUCTION_TARGET_GROUPS.alternate] }] },
    ...(ownTestListener
      ? {
        [StrategyId.HAS_TEST_TRAFFIC_CIDR]: { 'Fn::Not': [{ 'Fn::Equals': [ref(TemplateParameter.TEST_TRAFFIC_CIDR), ''] }] },
        [StrategyId.ALLOWS_TEST_TRAFFIC]: { 'Fn::And': [{ Condition: StrategyId.SHIFTS_TRAFFIC }, { Condition: StrategyId.HAS_TEST_TRAFFIC_CIDR }] },
      }
      : {}),
  };
}

/**
 * The strategies ECS's circuit breaker works under: "Both methods only support rolling update deployment and
 * blue/green deployment types" (docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html).
 * Canary and linear rely on the deployment's alarms, which include one for tasks that never start (service-alarms.ts).
 */
export const CIRCUIT_BREAKER_STRATEGIES: readonly DeploymentStrategyType[] = [DeploymentStrategyType.ROLLING, DeploymentStrategyType.BLUE_GREEN];

/**
 * The service's `DeploymentConfiguration`, built here only. ROLLING keeps its task percentages; the others start a
 * full new fleet, move traffic by the strategy and keep the old fleet for the bake time. Every field an earlier
 * strategy set that ECS could keep gets an explicit value (an omitted field is left as it was): the circuit
 * breaker off where it does not apply, and no bake time for ROLLING. Canary and linear settings stay absent
 * under other strategies: the schema makes each valid only with its own, and a switch back sends it again.
 */
export function deploymentConfiguration(): Json {
  const whenRolling = (value: unknown) => ifCondition(StrategyId.SHIFTS_TRAFFIC, NO_VALUE, value);
  return {
    Strategy: ref(TemplateParameter.DEPLOYMENT_STRATEGY),
    MinimumHealthyPercent: whenRolling(100),
    MaximumPercent: whenRolling(200),
    DeploymentCircuitBreaker: ifCondition(StrategyId.HAS_CIRCUIT_BREAKER, { Enable: true, Rollback: true }, { Enable: false, Rollback: false }),
    // 0 under ROLLING: no bake, not the one an earlier strategy left; CloudFormation then waits up to 36 hours, as for the others.
    BakeTimeInMinutes: ifCondition(StrategyId.SHIFTS_TRAFFIC, ref(TemplateParameter.BAKE_TIME_MINUTES), 0),
    CanaryConfiguration: ifCondition(StrategyId.IS_CANARY, {
      CanaryPercent: ref(TemplateParameter.CANARY_PERCENT),
      CanaryBakeTimeInMinutes: ref(TemplateParameter.CANARY_BAKE_TIME_MINUTES),
    }, NO_VALUE),
    LinearConfiguration: ifCondition(StrategyId.IS_LINEAR, {
      StepPercent: ref(TemplateParameter.LINEAR_STEP_PERCENT),
      StepBakeTimeInMinutes: ref(TemplateParameter.LINEAR_STEP_BAKE_TIME_MINUTES),
    }, NO_VALUE),
  };
}

/** The traffic-shifting strategies need the ECS deployment controller; CODE_DEPLOY and EXTERNAL refuse them. */
export const DEPLOYMENT_CONTROLLER = { Type: 'ECS' };

/** The service's load balancer entry's `AdvancedConfiguration`: the second target group, both rules, ECS's role. */
export function advancedConfiguration(): Json {
  return ifCondition(StrategyId.SHIFTS_TRAFFIC, {
    AlternateTargetGroupArn: ref(StrategyId.ALTERNATE_TARGET_GROUP),
    ProductionListenerRule: ref(StrategyId.PRODUCTION_LISTENER_RULE),
    TestListenerRule: ref(StrategyId.TEST_LISTENER_RULE),
    RoleArn: { 'Fn::GetAtt': [StrategyId.INFRASTRUCTURE_ROLE, 'Arn'] },
  }, NO_VALUE);
}

/**
 * The target group production traffic is on, for a listener's default action: the primary one, or the alternate
 * one when ECS's last release left production there. `targetGroup` is the primary group's logical id.
 */
export function productionTargetGroupArn(targetGroup: string): Json {
  return ifCondition(StrategyId.ALTERNATE_SERVES_PRODUCTION, ref(StrategyId.ALTERNATE_TARGET_GROUP), ref(targetGroup));
}

/**
 * Everything on /* goes to the target group production is on; ECS moves the weights during a release. A rule
 * CloudFormation writes (a new one when a domain moves it to another listener, or any update of it) starts where ECS
 * left the traffic, never at a fixed 100/0 that could point at the group without tasks.
 */
export function weightedForward(ids: Pick<StrategyTemplateIds, 'targetGroup'>, followsProduction: boolean): Json[] {
  const weights = (primary: number) => [
    { TargetGroupArn: ref(ids.targetGroup), Weight: primary },
    { TargetGroupArn: ref(StrategyId.ALTERNATE_TARGET_GROUP), Weight: 100 - primary },
  ];
  return [{
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: followsProduction ? ifCondition(StrategyId.ALTERNATE_SERVES_PRODUCTION, weights(0), weights(100)) : weights(100),
    },
  }];
}

const ALL_PATHS = [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }];

/**
 * The resources the traffic-shifting strategies need, each only under `ShiftsTraffic`. `targetGroup` is the
 * live target group's properties: the alternate one must check health and drain the same way.
 */
export function trafficShiftingResources(settings: ServiceSettings, targetGroup: Json, ids: StrategyTemplateIds): Json {
  const withCertificate = (whenSet: unknown, whenEmpty: unknown) => ifCondition(ids.hasCertificate, whenSet, whenEmpty);
  return {
    // Tagged like the live one: the deploy role may create and change only target groups tagged for its stage.
    [StrategyId.ALTERNATE_TARGET_GROUP]: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Condition: StrategyId.SHIFTS_TRAFFIC,
      Properties: targetGroup,
    },
    // On the listener that serves production: HTTPS with a certificate (HTTP then only redirects), else HTTP.
    [StrategyId.PRODUCTION_LISTENER_RULE]: {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Condition: StrategyId.SHIFTS_TRAFFIC,
      Properties: {
        ListenerArn: withCertificate(ref(ids.httpsListener), ref(ids.httpListener)),
        Priority: 1,
        Conditions: ALL_PATHS,
        Actions: weightedForward(ids, true),
      },
    },
    [StrategyId.TEST_LISTENER]: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Condition: StrategyId.SHIFTS_TRAFFIC,
      Metadata: {
        checkov: {
          skip: ['CKV_AWS_2', 'CKV_AWS_103'].map(id => ({
            id,
            comment: 'HTTPS with the production listener\'s TLS 1.2+ policy whenever the stage has a certificate; plain HTTP only on a stage that serves HTTP anyway, and only TestTrafficCidr reaches this port.',
          })),
        },
      },
      Properties: {
        LoadBalancerArn: ref(ids.loadBalancer),
        Port: TEST_LISTENER_PORT,
        Protocol: withCertificate('HTTPS', 'HTTP'),
        SslPolicy: withCertificate(ids.tlsPolicy, NO_VALUE),
        Certificates: withCertificate([{ CertificateArn: ids.certificateArn }], NO_VALUE),
        // Only the rule answers; a request the rule does not match learns nothing.
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not found' } }],
      },
    },
    [StrategyId.TEST_LISTENER_RULE]: {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Condition: StrategyId.SHIFTS_TRAFFIC,
      Properties: {
        ListenerArn: ref(StrategyId.TEST_LISTENER),
        Priority: 1,
        Conditions: ALL_PATHS,
        // ECS points it at the new release during one; CloudFormation never changes it, so its weights never fight ECS's.
        Actions: weightedForward(ids, false),
      },
    },
    // The internet reaches the test port only from TestTrafficCidr; without it nobody does.
    [StrategyId.TEST_TRAFFIC_INGRESS]: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Condition: StrategyId.ALLOWS_TEST_TRAFFIC,
      Properties: {
        GroupId: { 'Fn::GetAtt': [ids.loadBalancerSecurityGroup, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: TEST_LISTENER_PORT,
        ToPort: TEST_LISTENER_PORT,
        CidrIp: ref(TemplateParameter.TEST_TRAFFIC_CIDR),
        Description: 'Test traffic to a new release before production traffic moves',
      },
    },
    [StrategyId.INFRASTRUCTURE_ROLE]: infrastructureRole(settings, ids.targetGroup,
      [ref(ids.httpListener), ifCondition(ids.hasCertificate, ref(ids.httpsListener), NO_VALUE), ref(StrategyId.TEST_LISTENER)]),
  };
}

/**
 * The role ECS assumes to move traffic: the stage's own rules, target groups and `listeners` by their ARNs
 * (AWS's AmazonECSInfrastructureRolePolicyForLoadBalancers grants them on every load balancer of the account).
 * A service on a platform passes no listener: the shared ones are the platform's, and ECS moves its rules only.
 */
export function infrastructureRole(settings: ServiceSettings, targetGroup: string, listeners: unknown[]): Json {
  return {
    Type: 'AWS::IAM::Role',
    Condition: StrategyId.SHIFTS_TRAFFIC,
    Properties: {
      Description: `Lets ECS move ${settings.serviceName}'s traffic between its two target groups during a release.`,
      Path: sub(infrastructureRolePath(settings.serviceName, STAGE_VARIABLE)),
      PermissionsBoundary: sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy${rolePath(settings.serviceName, STAGE_VARIABLE)}${permissionsBoundaryName(settings.serviceName, STAGE_VARIABLE)}`),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [{
        PolicyName: 'ShiftTraffic',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              // Describe calls support no resource-level permission.
              Effect: 'Allow',
              Action: [
                'elasticloadbalancing:DescribeListeners',
                'elasticloadbalancing:DescribeRules',
                'elasticloadbalancing:DescribeTargetGroups',
                'elasticloadbalancing:DescribeTargetHealth',
              ],
              Resource: '*',
            },
            {
              Effect: 'Allow',
              Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
              Resource: [ref(targetGroup), ref(StrategyId.ALTERNATE_TARGET_GROUP)],
            },
            {
              Effect: 'Allow',
              Action: 'elasticloadbalancing:ModifyRule',
              Resource: [ref(StrategyId.PRODUCTION_LISTENER_RULE), ref(StrategyId.TEST_LISTENER_RULE)],
            },
            ...(listeners.length > 0 ? [{ Effect: 'Allow', Action: 'elasticloadbalancing:ModifyListener', Resource: listeners }] : []),
          ],
        },
      }],
    },
  };
}
