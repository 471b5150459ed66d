import { deploymentEventsRuleName, StageAlarm, stageAlarmName, stageDashboardName, TemplateParameter } from '../contract';
import { AlarmSettings, ServiceSettings } from '../options';

/**
 * The part of `template.yml` that watches a stage: CloudWatch alarms that notify
 * the stage's topic (those a bad release sets off also roll a deployment back), an EventBridge rule that
 * sends ECS deployment events to that topic, and the stage's dashboard.
 *
 * Error rate and latency are measured on the load balancer, which sums every
 * target group: under blue/green, canary and linear deploys the new tasks sit
 * in a second target group whose role swaps on every release, so an alarm on
 * one group would watch the old tasks half of the time. Unhealthy targets exist
 * only per target group, so that alarm adds up every group of the template.
 */

type Json = Record<string, unknown>;

/** Logical ids of what this part adds. */
export const AlarmId = {
  ERROR_RATE: 'ErrorRateAlarm',
  P99_LATENCY: 'P99LatencyAlarm',
  UNHEALTHY_TARGETS: 'UnhealthyTargetsAlarm',
  CPU: 'CpuAlarm',
  MEMORY: 'MemoryAlarm',
  TASKS_NOT_STARTING: 'TasksNotStartingAlarm',
  DEPLOYMENT_EVENTS: 'DeploymentEventsRule',
  DASHBOARD: 'Dashboard',
  HAS_NOTIFICATION_TOPIC: 'HasNotificationTopic',
} as const;

/**
 * Each alarm's logical id, the `<what>` of its name, and whether it rolls a deployment back. Only what a bad release
 * causes does (5xx, latency, unhealthy targets, tasks that never start); CPU and memory follow load, so a traffic spike
 * during a release would roll good code back: they only notify.
 */
const ALARMS: ReadonlyArray<{ id: string; what: string; rollsBack: boolean }> = [
  { id: AlarmId.ERROR_RATE, what: StageAlarm.ERROR_RATE, rollsBack: true },
  { id: AlarmId.P99_LATENCY, what: StageAlarm.P99_LATENCY, rollsBack: true },
  { id: AlarmId.UNHEALTHY_TARGETS, what: StageAlarm.UNHEALTHY_TARGETS, rollsBack: true },
  { id: AlarmId.TASKS_NOT_STARTING, what: StageAlarm.TASKS_NOT_STARTING, rollsBack: true },
  { id: AlarmId.CPU, what: StageAlarm.CPU, rollsBack: false },
  { id: AlarmId.MEMORY, what: StageAlarm.MEMORY, rollsBack: false },
];

const ROLLBACK_ALARMS = ALARMS.filter(({ rollsBack }) => rollsBack);
const NOTICE_ALARMS = ALARMS.filter(({ rollsBack }) => !rollsBack);

/** The end of a notice's description, so whoever is paged knows the release was left alone on purpose. */
const NOTICE_ONLY = 'A notice only: it does not roll a deployment back, since load, not a bad release, raises it.';

/**
 * Minutes in a row with a task of the service pending before the release counts as one whose tasks never start.
 * ECS's circuit breaker does this for rolling and blue/green only; canary and linear deployments end on alarms.
 */
const TASKS_NOT_STARTING_MINUTES = 10;

/** One-minute periods: ECS's deployment watches alarms for minutes, not hours. */
const PERIOD_SECONDS = 60;

/** `${Stage}` inside a `Fn::Sub` string. */
const STAGE_VARIABLE = `\${${TemplateParameter.STAGE}}`;

const ref = (name: string): Json => ({ Ref: name });
const sub = (text: string): Json => ({ 'Fn::Sub': text });
const getAtt = (resource: string, attribute: string): Json => ({ 'Fn::GetAtt': [resource, attribute] });

/** The stage's topic parameter: the toolchain creates the topic and passes its ARN; empty notifies no one. */
export function notificationTopicParameter(): Json {
  return {
    [TemplateParameter.NOTIFICATION_TOPIC_ARN]: {
      Type: 'String',
      Description: 'The stage\'s SNS topic, created by the toolchain: alarms and ECS deployment events publish to it. Empty notifies no one; the alarms still roll deployments back.',
      Default: '',
      AllowedPattern: '^(arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256})?$',
      ConstraintDescription: 'must be an SNS topic ARN or empty',
    },
  };
}

export function alarmConditions(): Json {
  return {
    [AlarmId.HAS_NOTIFICATION_TOPIC]: { 'Fn::Not': [{ 'Fn::Equals': [ref(TemplateParameter.NOTIFICATION_TOPIC_ARN), ''] }] },
  };
}

/** `DeploymentConfiguration.Alarms` of the service: a release signal going off during a deployment rolls it back. */
export function deploymentAlarms(settings: ServiceSettings): Json {
  return { AlarmNames: ROLLBACK_ALARMS.map(({ what }) => sub(alarmName(settings, what))), Enable: true, Rollback: true };
}

/** The alarms the service depends on, so that ECS never deploys while one of its alarm names is missing. */
export function alarmIds(): string[] {
  return ROLLBACK_ALARMS.map(({ id }) => id);
}

/** A target group of the template, with the condition it exists under (the alternate one exists only when traffic shifts). */
interface TargetGroup {
  readonly id: string;
  readonly condition?: string;
}

/**
 * `build(groups)` for the target groups that exist: a conditional group's uses sit under `Fn::If` of its condition,
 * so a rolling stack never names a target group it does not have.
 */
function forExistingGroups(groups: TargetGroup[], build: (existing: TargetGroup[]) => unknown): unknown {
  const conditional = groups.find(group => group.condition !== undefined);
  if (!conditional) {
    return build(groups);
  }
  const unconditional = { id: conditional.id };
  return {
    'Fn::If': [conditional.condition,
      forExistingGroups(groups.map(group => (group === conditional ? unconditional : group)), build),
      forExistingGroups(groups.filter(group => group !== conditional), build)],
  };
}

interface Watched {
  /** The load balancer's CloudWatch dimension, `app/<name>/<id>`. */
  readonly loadBalancerFullName: unknown;
  readonly targetGroups: TargetGroup[];
  readonly clusterName: unknown;
  readonly serviceName: unknown;
}

/** The load balancer and cluster of the stage's environment (its own, or the platform's it joined). */
export interface WatchedEnvironment {
  readonly loadBalancerFullName: unknown;
  readonly clusterName: unknown;
}

/** What the alarms watch: the template's own target groups and service, so they cannot name another service's. */
function watchedResources(resources: Json, environment: WatchedEnvironment): Watched {
  const idsOfType = (type: string) => Object.keys(resources).filter(id => (resources[id] as Json).Type === type);
  const only = (type: string) => {
    const ids = idsOfType(type);
    if (ids.length !== 1) {
      throw new Error(`The stage's alarms need exactly one ${type} in template.yml; found ${ids.length}.`);
    }
    return ids[0];
  };
  const propertiesOf = (id: string) => (resources[id] as { Properties: Json }).Properties;
  return {
    loadBalancerFullName: environment.loadBalancerFullName,
    targetGroups: idsOfType('AWS::ElasticLoadBalancingV2::TargetGroup').map(id => ({ id, condition: (resources[id] as Json).Condition as string | undefined })),
    clusterName: environment.clusterName,
    serviceName: propertiesOf(only('AWS::ECS::Service')).ServiceName,
  };
}

/** The alarms, the deployment events rule and the dashboard of the stage whose other resources are `resources`. */
export function alarmResources(settings: ServiceSettings, resources: Json, environment: WatchedEnvironment): Json {
  const watched = watchedResources(resources, environment);
  const { alarms } = settings;
  const actions = { 'Fn::If': [AlarmId.HAS_NOTIFICATION_TOPIC, [ref(TemplateParameter.NOTIFICATION_TOPIC_ARN)], ref('AWS::NoValue')] };
  const alarm = (what: string, description: string, properties: Json): Json => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: sub(alarmName(settings, what)),
      AlarmDescription: sub(`${settings.serviceName} ${STAGE_VARIABLE}: ${description} for ${alarms.evaluationMinutes} minute(s) in a row. ${ROLLBACK_ALARMS.some(rollback => rollback.what === what) ? 'Rolls back a deployment in progress.' : NOTICE_ONLY} Thresholds: alarms in .projenrc.ts.`),
      EvaluationPeriods: alarms.evaluationMinutes,
      DatapointsToAlarm: alarms.evaluationMinutes,
      // No data means no traffic or no tasks: neither is a bad release (tasks that never start have their own alarm).
      TreatMissingData: 'notBreaching',
      ActionsEnabled: true,
      AlarmActions: actions,
      OKActions: actions,
      ...properties,
    },
  });
  return {
    [AlarmId.ERROR_RATE]: alarm(StageAlarm.ERROR_RATE,
      `more than ${alarms.errorRatePercent}% of requests answered with a 5xx (with at least ${alarms.minimumRequestsPerMinute} requests a minute)`,
      { ComparisonOperator: 'GreaterThanThreshold', Threshold: alarms.errorRatePercent, Metrics: errorRateMetrics(watched, alarms) }),
    [AlarmId.P99_LATENCY]: alarm(StageAlarm.P99_LATENCY,
      `p99 response time above ${alarms.p99LatencyMs} ms (with at least ${alarms.minimumRequestsPerMinute} requests a minute)`,
      { ComparisonOperator: 'GreaterThanThreshold', Threshold: alarms.p99LatencyMs, Metrics: latencyMetrics(watched, alarms) }),
    [AlarmId.UNHEALTHY_TARGETS]: alarm(StageAlarm.UNHEALTHY_TARGETS,
      `${alarms.unhealthyTargets} or more targets failing the load balancer's health check`,
      { ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: alarms.unhealthyTargets, Metrics: unhealthyTargetMetrics(watched) }),
    [AlarmId.CPU]: alarm(StageAlarm.CPU,
      `average CPU utilisation above ${alarms.cpuPercent}%`,
      { ComparisonOperator: 'GreaterThanThreshold', Threshold: alarms.cpuPercent, ...serviceMetric(watched, 'CPUUtilization') }),
    [AlarmId.MEMORY]: alarm(StageAlarm.MEMORY,
      `average memory utilisation above ${alarms.memoryPercent}%`,
      { ComparisonOperator: 'GreaterThanThreshold', Threshold: alarms.memoryPercent, ...serviceMetric(watched, 'MemoryUtilization') }),
    [AlarmId.TASKS_NOT_STARTING]: tasksNotStartingAlarm(settings, watched, actions),
    [AlarmId.DEPLOYMENT_EVENTS]: deploymentEventsRule(settings, watched),
    [AlarmId.DASHBOARD]: dashboard(settings, watched),
  };
}

/**
 * A task that cannot start (a missing secret, an image of the wrong architecture, a crash at boot) is stopped and
 * retried, so the service always has one pending (Container Insights' PendingTaskCount, which the cluster enables);
 * a task that starts leaves PENDING once its image is pulled. Under canary and linear, where the circuit breaker does
 * not apply, this alarm ends such a release instead of the CloudFormation handler's timeout.
 */
function tasksNotStartingAlarm(settings: ServiceSettings, watched: Watched, actions: Json): Json {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: sub(alarmName(settings, StageAlarm.TASKS_NOT_STARTING)),
      AlarmDescription: sub(`${settings.serviceName} ${STAGE_VARIABLE}: a task pending in each of ${TASKS_NOT_STARTING_MINUTES} minutes in a row, so tasks are failing to start. Rolls back a deployment in progress.`),
      Namespace: 'ECS/ContainerInsights',
      MetricName: 'PendingTaskCount',
      Dimensions: [{ Name: 'ClusterName', Value: watched.clusterName }, { Name: 'ServiceName', Value: watched.serviceName }],
      Statistic: 'Maximum',
      Period: PERIOD_SECONDS,
      EvaluationPeriods: TASKS_NOT_STARTING_MINUTES,
      DatapointsToAlarm: TASKS_NOT_STARTING_MINUTES,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      ActionsEnabled: true,
      AlarmActions: actions,
      OKActions: actions,
    },
  };
}

function alarmName(settings: ServiceSettings, what: string): string {
  return stageAlarmName(settings.serviceName, STAGE_VARIABLE, what);
}

function loadBalancerDimension(watched: Watched): Json {
  return { Name: 'LoadBalancer', Value: watched.loadBalancerFullName };
}

/** A metric of the whole load balancer in an alarm's metric math; `id` names it in the expressions. */
function loadBalancerMetric(watched: Watched, id: string, metricName: string, stat: string): Json {
  return {
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: [loadBalancerDimension(watched)] },
      Period: PERIOD_SECONDS,
      Stat: stat,
    },
  };
}

function expression(id: string, text: string, label?: string): Json {
  return { Id: id, Expression: text, ReturnData: label !== undefined, ...(label ? { Label: label } : {}) };
}

/**
 * 5xx per request in percent: the tasks' 5xx plus the load balancer's own
 * (502/503/504 when no task answered). RequestCount leaves out requests no
 * target was chosen for, so the larger of requests and errors divides; below
 * the minimum traffic the rate is zero, so one error of a quiet stage is no alarm.
 */
function errorRateMetrics(watched: Watched, alarms: AlarmSettings): Json[] {
  return [
    loadBalancerMetric(watched, 'requests', 'RequestCount', 'Sum'),
    loadBalancerMetric(watched, 'targetErrors', 'HTTPCode_Target_5XX_Count', 'Sum'),
    loadBalancerMetric(watched, 'loadBalancerErrors', 'HTTPCode_ELB_5XX_Count', 'Sum'),
    expression('errors', 'FILL(targetErrors, 0) + FILL(loadBalancerErrors, 0)'),
    expression('answered', 'IF(errors > FILL(requests, 0), errors, FILL(requests, 0))'),
    expression('errorRate', `IF(answered >= ${alarms.minimumRequestsPerMinute}, 100 * errors / answered, 0)`, '5xx responses (% of requests)'),
  ];
}

/** The tasks' p99 response time in milliseconds, zero below the minimum traffic (one slow answer is the p99 of a few). */
function latencyMetrics(watched: Watched, alarms: AlarmSettings): Json[] {
  return [
    loadBalancerMetric(watched, 'requests', 'RequestCount', 'Sum'),
    loadBalancerMetric(watched, 'p99Seconds', 'TargetResponseTime', 'p99'),
    expression('p99Latency', `IF(FILL(requests, 0) >= ${alarms.minimumRequestsPerMinute}, FILL(p99Seconds, 0) * 1000, 0)`, 'p99 response time (ms)'),
  ];
}

/** Unhealthy targets of every target group: under blue/green the new tasks are in the second one. */
function unhealthyTargetMetrics(watched: Watched): unknown {
  return forExistingGroups(watched.targetGroups, existing => unhealthyTargetMetricsOf(watched, existing));
}

function unhealthyTargetMetricsOf(watched: Watched, targetGroups: TargetGroup[]): Json[] {
  const perGroup = targetGroups.map(targetGroup => ({
    Id: `unhealthy${watched.targetGroups.findIndex(group => group.id === targetGroup.id)}`,
    ReturnData: false,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'UnHealthyHostCount',
        Dimensions: [{ Name: 'TargetGroup', Value: getAtt(targetGroup.id, 'TargetGroupFullName') }, loadBalancerDimension(watched)],
      },
      Period: PERIOD_SECONDS,
      Stat: 'Maximum',
    },
  }));
  const sum = perGroup.map(metric => `FILL(${metric.Id}, 0)`).join(' + ');
  return [...perGroup, expression('unhealthyTargets', sum, 'Unhealthy targets')];
}

/** An ECS service metric, averaged over its tasks. */
function serviceMetric(watched: Watched, metricName: string): Json {
  return {
    Namespace: 'AWS/ECS',
    MetricName: metricName,
    Dimensions: [{ Name: 'ClusterName', Value: watched.clusterName }, { Name: 'ServiceName', Value: watched.serviceName }],
    Statistic: 'Average',
    Period: PERIOD_SECONDS,
  };
}

/**
 * Deployment state changes (started, completed, failed and rolled back) and
 * service actions ECS marks WARN or ERROR (tasks that cannot start or be
 * placed), as one readable line on the stage's topic.
 */
function deploymentEventsRule(settings: ServiceSettings, watched: Watched): Json {
  const serviceArn = {
    'Fn::Sub': [
      'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${ClusterName}/${ServiceName}',
      { ClusterName: watched.clusterName, ServiceName: watched.serviceName },
    ],
  };
  const consoleUrl = `https://\${AWS::Region}.console.aws.amazon.com/ecs/v2/clusters/${settings.serviceName}-${STAGE_VARIABLE}/services/${settings.serviceName}/deployments`;
  return {
    Type: 'AWS::Events::Rule',
    Condition: AlarmId.HAS_NOTIFICATION_TOPIC,
    Properties: {
      Name: sub(deploymentEventsRuleName(settings.serviceName, STAGE_VARIABLE)),
      Description: sub(`${settings.serviceName} ${STAGE_VARIABLE}: ECS deployment events and service warnings to the stage's topic.`),
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.ecs'],
        resources: [serviceArn],
        $or: [
          { 'detail-type': ['ECS Deployment State Change'] },
          { 'detail-type': ['ECS Service Action'], 'detail': { eventType: ['WARN', 'ERROR'] } },
        ],
      },
      Targets: [{
        Id: 'StageTopic',
        Arn: ref(TemplateParameter.NOTIFICATION_TOPIC_ARN),
        InputTransformer: {
          InputPathsMap: {
            event: '$.detail.eventName',
            severity: '$.detail.eventType',
            reason: '$.detail.reason',
            deployment: '$.detail.deploymentId',
            time: '$.time',
          },
          InputTemplate: sub(`"${settings.serviceName} ${STAGE_VARIABLE}: <event> (<severity>) at <time>. <reason> Deployment <deployment>. ${consoleUrl}"`),
        },
      }],
    },
  };
}

/** A widget that graphs an alarm's own metric and threshold. */
function alarmWidget(title: string, alarmId: string, x: number, y: number, width: number): Json {
  return {
    type: 'metric',
    x,
    y,
    width,
    height: 6,
    properties: { title, view: 'timeSeries', region: '${AWS::Region}', annotations: { alarms: [`\${${alarmId}.Arn}`] } },
  };
}

function metricWidget(title: string, metrics: unknown[][], x: number, y: number, width: number): Json {
  return {
    type: 'metric',
    x,
    y,
    width,
    height: 6,
    properties: { title, view: 'timeSeries', region: '${AWS::Region}', period: PERIOD_SECONDS, metrics },
  };
}

/**
 * `<service>-<stage>`: the alarms' states, requests and 5xx, latency, healthy
 * targets, CPU and memory, running tasks and deployments (Container Insights,
 * which the cluster enables, counts a service's deployments; above 1 a release is under way).
 */
function dashboard(settings: ServiceSettings, watched: Watched): Json {
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: sub(stageDashboardName(settings.serviceName, STAGE_VARIABLE)),
      DashboardBody: forExistingGroups(watched.targetGroups, existing => dashboardBody(watched, existing)),
    },
  };
}

/** The dashboard's JSON with a line per existing target group. */
function dashboardBody(watched: Watched, targetGroups: TargetGroup[]): Json {
  const loadBalancer = ['LoadBalancer', '${LoadBalancerFullName}'];
  const service = ['ClusterName', '${ClusterName}', 'ServiceName', '${ServiceName}'];
  const indexOf = (targetGroup: TargetGroup) => watched.targetGroups.findIndex(group => group.id === targetGroup.id);
  const targetGroupVariables = Object.fromEntries(targetGroups.map(targetGroup =>
    [`TargetGroupFullName${indexOf(targetGroup)}`, getAtt(targetGroup.id, 'TargetGroupFullName')]));
  const body = {
    widgets: [
      {
        type: 'alarm',
        x: 0,
        y: 0,
        width: 16,
        height: 3,
        properties: { title: 'Alarms that roll a deployment back', alarms: ROLLBACK_ALARMS.map(({ id }) => `\${${id}.Arn}`) },
      },
      {
        type: 'alarm',
        x: 16,
        y: 0,
        width: 8,
        height: 3,
        properties: { title: 'Alarms that only notify (a load spike is no bad release)', alarms: NOTICE_ALARMS.map(({ id }) => `\${${id}.Arn}`) },
      },
      metricWidget('Requests and 5xx responses', [
        ['AWS/ApplicationELB', 'RequestCount', ...loadBalancer, { stat: 'Sum', label: 'Requests' }],
        ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', ...loadBalancer, { stat: 'Sum', label: '5xx from the tasks' }],
        ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ...loadBalancer, { stat: 'Sum', label: '5xx from the load balancer' }],
      ], 0, 3, 12),
      alarmWidget('5xx rate (%)', AlarmId.ERROR_RATE, 12, 3, 12),
      alarmWidget('p99 response time (ms)', AlarmId.P99_LATENCY, 0, 9, 12),
      metricWidget('Healthy and unhealthy targets', targetGroups.map(indexOf).flatMap(index => [
        ['AWS/ApplicationELB', 'HealthyHostCount', 'TargetGroup', `\${TargetGroupFullName${index}}`, ...loadBalancer, { stat: 'Maximum', label: `Healthy (target group ${index + 1})` }],
        ['AWS/ApplicationELB', 'UnHealthyHostCount', 'TargetGroup', `\${TargetGroupFullName${index}}`, ...loadBalancer, { stat: 'Maximum', label: `Unhealthy (target group ${index + 1})` }],
      ]), 12, 9, 12),
      alarmWidget('CPU utilisation (%)', AlarmId.CPU, 0, 15, 8),
      alarmWidget('Memory utilisation (%)', AlarmId.MEMORY, 8, 15, 8),
      metricWidget('Tasks', [
        ['ECS/ContainerInsights', 'RunningTaskCount', ...service, { stat: 'Average', label: 'Running' }],
        ['ECS/ContainerInsights', 'DesiredTaskCount', ...service, { stat: 'Average', label: 'Desired' }],
        ['ECS/ContainerInsights', 'PendingTaskCount', ...service, { stat: 'Average', label: 'Pending' }],
      ], 16, 15, 8),
      metricWidget('Deployments (above 1: a release is under way)', [
        ['ECS/ContainerInsights', 'DeploymentCount', ...service, { stat: 'Maximum', label: 'Deployments' }],
      ], 0, 21, 24),
    ],
  };
  return {
    'Fn::Sub': [JSON.stringify(body), {
      LoadBalancerFullName: watched.loadBalancerFullName,
      ...targetGroupVariables,
      ClusterName: watched.clusterName,
      ServiceName: watched.serviceName,
    }],
  };
}
