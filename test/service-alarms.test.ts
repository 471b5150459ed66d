import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Project, Testing } from 'projen';
import { parse } from 'yaml';
import { serviceOptions, orderApiSettings } from './helpers';
import { deployedAs } from './template-conditions';
import { CodeStarFargateProject, DeploymentStrategyType } from '../src';
import { strategyConditions } from '../src/components/deployment-strategy';
import { ServiceTemplate } from '../src/components/service-template';
import { TemplateParameter } from '../src/contract';
import { AlarmSettings, ServiceAlarmOptions, ServiceSettings } from '../src/options';
import { DEFAULT_ALARMS } from '../src/validation';

const SETTINGS: ServiceSettings = orderApiSettings();

/** template.yml for these alarm thresholds, as text and parsed. */
function synth(alarms: Partial<AlarmSettings> = {}): { text: string; template: any } {
  const project = new Project({ name: 'test', outdir: fs.mkdtempSync(join(tmpdir(), 'service-alarms-')) });
  new ServiceTemplate(project, {
    settings: { ...SETTINGS, alarms: { ...DEFAULT_ALARMS, ...alarms } },
    healthCheck: { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: () => 'exit 0' },
  });
  const text: string = Testing.synth(project)['template.yml'];
  return { text, template: parse(text) };
}

const { template } = synth();
const STRATEGY_CONDITIONS = Object.keys(strategyConditions());
/** The stack as a strategy deploys it: the alternate target group exists only when traffic shifts. */
const deployedWith = (strategy: DeploymentStrategyType) =>
  deployedAs(template, { [TemplateParameter.DEPLOYMENT_STRATEGY]: strategy }, STRATEGY_CONDITIONS);
const resources: Record<string, any> = deployedWith(DeploymentStrategyType.ROLLING).Resources;
const idsOfType = (type: string, of: Record<string, any> = resources) => Object.keys(of).filter(id => of[id].Type === type);
const alarms = idsOfType('AWS::CloudWatch::Alarm').map(id => ({ id, ...resources[id].Properties }));
const alarmNamed = (what: string) => alarms.find(alarm => alarm.AlarmName['Fn::Sub'] === `orders-api-\${Stage}-${what}`);
const [loadBalancerId] = idsOfType('AWS::ElasticLoadBalancingV2::LoadBalancer');
const [clusterId] = idsOfType('AWS::ECS::Cluster');
const [serviceId] = idsOfType('AWS::ECS::Service');
const service = resources[serviceId];

/** Every metric an alarm reads, whether it has one metric or metric math. */
function metricsOf(alarm: any): Array<{ Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: unknown }>; stat: string }> {
  if (alarm.Metrics) {
    return alarm.Metrics
      .filter((metric: any) => metric.MetricStat)
      .map((metric: any) => ({ ...metric.MetricStat.Metric, stat: metric.MetricStat.Stat }));
  }
  return [{ Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions, stat: alarm.Statistic }];
}

describe('the stage\'s alarms', () => {
  it('names six alarms <service>-<stage>-<what>: four for what makes a release bad, CPU and memory for load', () => {
    expect(alarms.map(alarm => alarm.AlarmName['Fn::Sub']).sort()).toEqual([
      'orders-api-${Stage}-cpu-high',
      'orders-api-${Stage}-error-rate',
      'orders-api-${Stage}-memory-high',
      'orders-api-${Stage}-p99-latency',
      'orders-api-${Stage}-tasks-not-starting',
      'orders-api-${Stage}-unhealthy-targets',
    ]);
  });

  it.each([DeploymentStrategyType.CANARY, DeploymentStrategyType.LINEAR])('ends a %s release whose tasks never start, which no circuit breaker watches there, by an alarm on pending tasks in its deployment alarms', (strategy) => {
    const stack = deployedWith(strategy).Resources;
    const configuration = stack.Service.Properties.DeploymentConfiguration;
    expect(configuration.DeploymentCircuitBreaker).toEqual({ Enable: false, Rollback: false });
    const alarm = stack.TasksNotStartingAlarm.Properties;
    expect(configuration.Alarms).toMatchObject({ Enable: true, Rollback: true });
    expect(configuration.Alarms.AlarmNames).toContainEqual(alarm.AlarmName);
    expect(stack.Service.DependsOn).toContain('TasksNotStartingAlarm');
    expect(alarm).toMatchObject({
      Namespace: 'ECS/ContainerInsights',
      MetricName: 'PendingTaskCount',
      Dimensions: [{ Name: 'ClusterName', Value: stack.Cluster.Properties.ClusterName }, { Name: 'ServiceName', Value: stack.Service.Properties.ServiceName }],
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 10,
      DatapointsToAlarm: 10,
    });
    // Container Insights publishes the metric only for clusters that enable it.
    expect(stack.Cluster.Properties.ClusterSettings).toContainEqual({ Name: 'containerInsights', Value: 'enabled' });
  });

  it('rolls a deployment back only on what a bad release causes (5xx, latency, unhealthy targets, tasks not starting), keeps the circuit breaker, and deploys only once those alarms exist', () => {
    const configuration = service.Properties.DeploymentConfiguration;
    const named = (...whats: string[]) => whats.map(what => alarmNamed(what).AlarmName);
    expect(configuration.Alarms).toEqual({
      AlarmNames: named('error-rate', 'p99-latency', 'unhealthy-targets', 'tasks-not-starting'),
      Enable: true,
      Rollback: true,
    });
    expect(configuration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    const names = configuration.Alarms.AlarmNames.map((name: unknown) => JSON.stringify(name));
    const rollsBack = (alarm: any) => names.includes(JSON.stringify(alarm.AlarmName));
    const releaseSignals = alarms.filter(rollsBack);
    expect(service.DependsOn).toEqual(expect.arrayContaining(releaseSignals.map(alarm => alarm.id)));
  });

  it('keeps CPU and memory as notices: they notify the stage\'s topic but a load spike during a release rolls nothing back', () => {
    const deploymentAlarmNames = JSON.stringify(service.Properties.DeploymentConfiguration.Alarms.AlarmNames);
    const actions = { 'Fn::If': ['HasNotificationTopic', [{ Ref: TemplateParameter.NOTIFICATION_TOPIC_ARN }], { Ref: 'AWS::NoValue' }] };
    for (const what of ['cpu-high', 'memory-high']) {
      const alarm = alarmNamed(what);
      expect(deploymentAlarmNames).not.toContain(JSON.stringify(alarm.AlarmName));
      const declared = template.Resources[alarm.id].Properties;
      expect({ what, enabled: declared.ActionsEnabled, alarm: declared.AlarmActions, ok: declared.OKActions })
        .toEqual({ what, enabled: true, alarm: actions, ok: actions });
      expect(alarm.AlarmDescription['Fn::Sub']).toContain('A notice only: it does not roll a deployment back');
    }
    for (const what of ['error-rate', 'p99-latency', 'unhealthy-targets', 'tasks-not-starting']) {
      expect(alarmNamed(what).AlarmDescription['Fn::Sub']).toContain('Rolls back a deployment in progress.');
    }
  });

  it('measures 5xx and latency on the template\'s own load balancer, which sums every target group under any deployment strategy', () => {
    for (const what of ['error-rate', 'p99-latency']) {
      for (const metric of metricsOf(alarmNamed(what))) {
        expect({ what, namespace: metric.Namespace, dimensions: metric.Dimensions }).toEqual({
          what,
          namespace: 'AWS/ApplicationELB',
          dimensions: [{ Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [loadBalancerId, 'LoadBalancerFullName'] } }],
        });
      }
    }
    expect(metricsOf(alarmNamed('error-rate')).map(metric => `${metric.MetricName} ${metric.stat}`))
      .toEqual(['RequestCount Sum', 'HTTPCode_Target_5XX_Count Sum', 'HTTPCode_ELB_5XX_Count Sum']);
    expect(metricsOf(alarmNamed('p99-latency')).map(metric => `${metric.MetricName} ${metric.stat}`)).toEqual(['RequestCount Sum', 'TargetResponseTime p99']);
  });

  it('counts unhealthy targets of the template\'s target group on its load balancer', () => {
    const [metric] = metricsOf(alarmNamed('unhealthy-targets'));
    const [targetGroupId] = idsOfType('AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(metric).toEqual({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      stat: 'Maximum',
      Dimensions: [
        { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [targetGroupId, 'TargetGroupFullName'] } },
        { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [loadBalancerId, 'LoadBalancerFullName'] } },
      ],
    });
  });

  it('adds up every target group, so the alternate group of blue/green, canary and linear is watched too', () => {
    const added = deployedWith(DeploymentStrategyType.CANARY).Resources;
    const unhealthy = added.UnhealthyTargetsAlarm.Properties.Metrics;
    expect(unhealthy.filter((metric: any) => metric.MetricStat).map((metric: any) => metric.MetricStat.Metric.Dimensions[0].Value))
      .toEqual([{ 'Fn::GetAtt': ['TargetGroup', 'TargetGroupFullName'] }, { 'Fn::GetAtt': ['AlternateTargetGroup', 'TargetGroupFullName'] }]);
    expect(unhealthy.find((metric: any) => metric.ReturnData).Expression).toBe('FILL(unhealthy0, 0) + FILL(unhealthy1, 0)');
    expect(added.Dashboard.Properties.DashboardBody['Fn::Sub'][1].TargetGroupFullName1).toEqual({ 'Fn::GetAtt': ['AlternateTargetGroup', 'TargetGroupFullName'] });
  });

  it('watches CPU and memory of the template\'s own cluster and service', () => {
    for (const [what, metricName] of [['cpu-high', 'CPUUtilization'], ['memory-high', 'MemoryUtilization']]) {
      expect(metricsOf(alarmNamed(what))).toEqual([{
        Namespace: 'AWS/ECS',
        MetricName: metricName,
        stat: 'Average',
        Dimensions: [
          { Name: 'ClusterName', Value: resources[clusterId].Properties.ClusterName },
          { Name: 'ServiceName', Value: service.Properties.ServiceName },
        ],
      }]);
    }
  });

  it('takes its thresholds from the defaults, and from the alarms option when given', () => {
    const thresholds = (of: any) => Object.fromEntries(idsOfType('AWS::CloudWatch::Alarm', of.Resources).map(id => [
      of.Resources[id].Properties.AlarmName['Fn::Sub'].replace('orders-api-${Stage}-', ''),
      `${of.Resources[id].Properties.ComparisonOperator} ${of.Resources[id].Properties.Threshold} for ${of.Resources[id].Properties.EvaluationPeriods}`,
    ]));
    expect(thresholds(template)).toEqual({
      'error-rate': 'GreaterThanThreshold 5 for 3',
      'p99-latency': 'GreaterThanThreshold 2000 for 3',
      'unhealthy-targets': 'GreaterThanOrEqualToThreshold 1 for 3',
      'cpu-high': 'GreaterThanThreshold 90 for 3',
      'memory-high': 'GreaterThanThreshold 90 for 3',
      // Its own window: a task that starts stays pending for its image pull, which the alarms option does not shorten.
      'tasks-not-starting': 'GreaterThanOrEqualToThreshold 1 for 10',
    });
    const custom = synth({
      errorRatePercent: 0.5,
      p99LatencyMs: 800,
      unhealthyTargets: 2,
      cpuPercent: 75,
      memoryPercent: 85,
      evaluationMinutes: 5,
      minimumRequestsPerMinute: 100,
    }).template;
    expect(thresholds(custom)).toEqual({
      'error-rate': 'GreaterThanThreshold 0.5 for 5',
      'p99-latency': 'GreaterThanThreshold 800 for 5',
      'unhealthy-targets': 'GreaterThanOrEqualToThreshold 2 for 5',
      'cpu-high': 'GreaterThanThreshold 75 for 5',
      'memory-high': 'GreaterThanThreshold 85 for 5',
      'tasks-not-starting': 'GreaterThanOrEqualToThreshold 1 for 10',
    });
    const returned = (what: string) => custom.Resources[idsOfType('AWS::CloudWatch::Alarm', custom.Resources)
      .find(id => custom.Resources[id].Properties.AlarmName['Fn::Sub'].endsWith(what))!].Properties.Metrics.find((metric: any) => metric.ReturnData).Expression;
    expect(returned('error-rate')).toBe('IF(answered >= 100, 100 * errors / answered, 0)');
    expect(returned('p99-latency')).toBe('IF(FILL(requests, 0) >= 100, FILL(p99Seconds, 0) * 1000, 0)');
  });

  it('treats missing data (no traffic, no tasks) as fine and alarms only after every minute of the window is bad', () => {
    for (const alarm of alarms) {
      expect({ name: alarm.AlarmName, missing: alarm.TreatMissingData, datapoints: alarm.DatapointsToAlarm })
        .toEqual({ name: alarm.AlarmName, missing: 'notBreaching', datapoints: alarm.EvaluationPeriods });
      const returned = (alarm.Metrics ?? []).filter((metric: any) => metric.ReturnData);
      expect(returned.length).toBe(alarm.Metrics ? 1 : 0);
    }
  });

  it('notifies the stage\'s topic when an alarm goes off and when it recovers, and no one when the topic is empty', () => {
    const topic = template.Parameters[TemplateParameter.NOTIFICATION_TOPIC_ARN];
    expect(topic).toMatchObject({ Type: 'String', Default: '' });
    const pattern = new RegExp(topic.AllowedPattern);
    expect(['', 'arn:aws:sns:eu-west-1:111111111111:orders-api-dev-notifications'].map(value => pattern.test(value))).toEqual([true, true]);
    expect(['arn:aws:sqs:eu-west-1:111111111111:queue', 'orders'].map(value => pattern.test(value))).toEqual([false, false]);
    expect(template.Conditions.HasNotificationTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: TemplateParameter.NOTIFICATION_TOPIC_ARN }, ''] }] });
    const actions = { 'Fn::If': ['HasNotificationTopic', [{ Ref: TemplateParameter.NOTIFICATION_TOPIC_ARN }], { Ref: 'AWS::NoValue' }] };
    for (const alarm of alarms) {
      const declared = template.Resources[alarm.id].Properties;
      expect([declared.AlarmActions, declared.OKActions]).toEqual([actions, actions]);
    }
  });
});

describe('the stage\'s deployment events', () => {
  const rule = resources[idsOfType('AWS::Events::Rule')[0]];

  it('sends ECS deployment state changes and service warnings of the stage\'s own service to its topic', () => {
    expect(rule.Condition).toBe('HasNotificationTopic');
    expect(rule.Properties.Name).toEqual({ 'Fn::Sub': 'orders-api-${Stage}-deployment-events' });
    const pattern = rule.Properties.EventPattern;
    expect(pattern.source).toEqual(['aws.ecs']);
    expect(pattern.resources).toEqual([{
      'Fn::Sub': [
        'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${ClusterName}/${ServiceName}',
        { ClusterName: resources[clusterId].Properties.ClusterName, ServiceName: service.Properties.ServiceName },
      ],
    }]);
    expect(pattern.$or).toEqual([
      { 'detail-type': ['ECS Deployment State Change'] },
      { 'detail-type': ['ECS Service Action'], 'detail': { eventType: ['WARN', 'ERROR'] } },
    ]);
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual({ Ref: TemplateParameter.NOTIFICATION_TOPIC_ARN });
  });

  it('turns each event into one readable line that uses only the variables it defines', () => {
    const transformer = rule.Properties.Targets[0].InputTransformer;
    const line: string = transformer.InputTemplate['Fn::Sub'];
    expect(JSON.parse(line.replace(/\$\{[^}]+\}/g, 'x'))).toEqual(expect.stringContaining('orders-api x: '));
    const used = [...line.matchAll(/<([a-z]+)>/g)].map(match => match[1]);
    expect(used.sort()).toEqual(Object.keys(transformer.InputPathsMap).sort());
  });
});

describe('the stage\'s dashboard', () => {
  const dashboard = resources[idsOfType('AWS::CloudWatch::Dashboard')[0]].Properties;
  const [bodyText, variables] = dashboard.DashboardBody['Fn::Sub'];
  const body = JSON.parse(bodyText);

  it('is named <service>-<stage> and shows the alarms that roll back apart from those that notify, then requests, 5xx, latency, targets, CPU, memory, tasks and deployments', () => {
    expect(dashboard.DashboardName).toEqual({ 'Fn::Sub': 'orders-api-${Stage}' });
    expect(body.widgets.map((widget: any) => widget.properties.title)).toEqual([
      'Alarms that roll a deployment back',
      'Alarms that only notify (a load spike is no bad release)',
      'Requests and 5xx responses',
      '5xx rate (%)',
      'p99 response time (ms)',
      'Healthy and unhealthy targets',
      'CPU utilisation (%)',
      'Memory utilisation (%)',
      'Tasks',
      'Deployments (above 1: a release is under way)',
    ]);
    expect(body.widgets[0].properties.alarms).toEqual(['ErrorRateAlarm', 'P99LatencyAlarm', 'UnhealthyTargetsAlarm', 'TasksNotStartingAlarm'].map(id => `\${${id}.Arn}`));
    expect(body.widgets[1].properties.alarms).toEqual(['CpuAlarm', 'MemoryAlarm'].map(id => `\${${id}.Arn}`));
  });

  it('fills every placeholder from the template: its variables, a region, or an alarm\'s ARN', () => {
    const placeholders = [...new Set([...bodyText.matchAll(/\$\{([^}]+)\}/g)].map(match => match[1]))];
    const unknown = placeholders.filter(name => !(name in variables) && name !== 'AWS::Region' && !(name.endsWith('.Arn') && resources[name.slice(0, -4)]?.Type === 'AWS::CloudWatch::Alarm'));
    expect(unknown).toEqual([]);
    expect(variables.LoadBalancerFullName).toEqual({ 'Fn::GetAtt': [loadBalancerId, 'LoadBalancerFullName'] });
    expect(variables.ClusterName).toEqual(resources[clusterId].Properties.ClusterName);
    expect(variables.ServiceName).toEqual(service.Properties.ServiceName);
  });

  it('keeps widgets inside the 24-column grid without overlapping', () => {
    const cells = new Set<string>();
    for (const widget of body.widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

describe('the alarms option', () => {
  const construct = (alarmOptions: unknown) => new CodeStarFargateProject(serviceOptions({ alarms: alarmOptions as ServiceAlarmOptions }));

  it('fills what is left out with the defaults', () => {
    expect(construct({ p99LatencyMs: 500 }).settings.alarms).toEqual({ ...DEFAULT_ALARMS, p99LatencyMs: 500 });
    expect(construct(undefined).settings.alarms).toEqual(DEFAULT_ALARMS);
  });

  it.each<[string, unknown, string]>([
    ['a zero error rate', { errorRatePercent: 0 }, 'alarms.errorRatePercent 0 is not allowed: it must be a number greater than 0 and at most 100, e.g. 5.'],
    ['an error rate above 100%', { errorRatePercent: 150 }, 'alarms.errorRatePercent 150 is not allowed'],
    ['an error rate given as text', { errorRatePercent: '5' }, 'alarms.errorRatePercent "5" is not allowed'],
    ['a latency of 1.5 ms', { p99LatencyMs: 1.5 }, 'alarms.p99LatencyMs 1.5 is not allowed: it must be a whole number from 10 to 60000.'],
    ['a latency beyond the idle timeout', { p99LatencyMs: 120000 }, 'alarms.p99LatencyMs 120000 is not allowed'],
    ['no unhealthy target', { unhealthyTargets: 0 }, 'alarms.unhealthyTargets 0 is not allowed: it must be a whole number from 1 to 5000.'],
    ['101% memory', { memoryPercent: 101 }, 'alarms.memoryPercent 101 is not allowed: it must be a whole number from 1 to 100.'],
    ['a CPU alarm at the autoscaling target', { cpuPercent: 50 }, 'alarms.cpuPercent 50 is not allowed: it must be a whole number above autoScalingTargetCpu (50) and at most 100'], ['a CPU alarm of 101%', { cpuPercent: 101 }, 'alarms.cpuPercent 101 is not allowed: it must be a whole number above autoScalingTargetCpu (50) and at most 100'],
    ['a two-hour window', { evaluationMinutes: 120 }, 'alarms.evaluationMinutes 120 is not allowed: it must be a whole number from 1 to 60.'],
    ['no minimum traffic', { minimumRequestsPerMinute: 0 }, 'alarms.minimumRequestsPerMinute 0 is not allowed'],
    ['a misspelt threshold', { cpuPercentage: 80 }, 'alarms.cpuPercentage is not allowed: the thresholds are errorRatePercent, minimumRequestsPerMinute, p99LatencyMs, unhealthyTargets, cpuPercent, memoryPercent, evaluationMinutes.'],
    ['a list', [5], 'alarms [5] is not allowed: give an object of thresholds'],
  ])('refuses %s, naming the threshold, the value and what is allowed', (_what, alarmOptions, message) => {
    expect(() => construct(alarmOptions)).toThrow(message);
  });

  it('writes nothing when it refuses a threshold', () => {
    const outdir = fs.mkdtempSync(join(tmpdir(), 'service-alarms-refused-'));
    expect(() => new CodeStarFargateProject(serviceOptions({ outdir, alarms: { memoryPercent: 0 } }))).toThrow('alarms.memoryPercent 0');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

/** Runs a command-line linter; fails with a clear message when it is not installed. */
function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf-8' });
  if (result.error) {
    throw new Error(`${command} could not be run (${result.error.message}); install it (pip install ${command}) — CI does.`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('cfn-lint and checkov on the alarms, rule and dashboard', () => {
  it('find nothing with custom thresholds (default thresholds are linted with the rest of template.yml)', () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'service-alarms-lint-'));
    fs.writeFileSync(join(dir, 'template.yml'), synth({ errorRatePercent: 0.5, p99LatencyMs: 800, evaluationMinutes: 1 }).text);
    const lint = run('cfn-lint', [join(dir, 'template.yml')]);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
    const checkov = run('checkov', ['-f', join(dir, 'template.yml'), '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download']);
    expect(checkov.output).toMatch(/Failed checks: 0,/);
    expect(checkov.status).toBe(0);
  });
});
