import { deploymentEventsRuleName, StageAlarm, stageAlarmName, stageDashboardName, stackName } from '../contract';
import type { Arn, Grant } from './grant';

/**
 * The stage's alarms, dashboard and deployment events rule (template.yml's service-alarms part), each by its exact
 * name, and notifying only the stage's own topic. `cloudwatch:AlarmActions` is documented as "the alarm actions"
 * only, not the OK or insufficient-data actions: the topic's policy (stage-notifications.ts) is what refuses
 * another stage's alarms in every case.
 */
export function stageMonitoringGrants(
  serviceName: string,
  stage: string,
  arn: (service: string, resource: string, region?: boolean) => Arn,
): Grant[] {
  const alarmNames = Object.values(StageAlarm).map(what => stageAlarmName(serviceName, stage, what));
  const alarms = alarmNames.map(name => arn('cloudwatch', `alarm:${name}`));
  const rule = arn('events', `rule/${deploymentEventsRuleName(serviceName, stage)}`);
  // StageTopic names the stage's topic like its stack, in the stage's own account and region.
  const topic = arn('sns', stackName(serviceName, stage));
  return [
    {
      sid: 'StageAlarms',
      why: `Only the stage's own alarms, named exactly: ${alarmNames.join(', ')}.`,
      actions: ['cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
      resources: alarms,
    },
    {
      sid: 'StageAlarmsNotifyStageTopic',
      why: 'Only the stage\'s own alarms, named exactly, and only with the stage\'s own topic as their actions (cloudwatch:AlarmActions).',
      actions: ['cloudwatch:PutMetricAlarm'],
      resources: alarms,
      conditions: { 'ForAllValues:ArnEquals': { 'cloudwatch:AlarmActions': [topic.value] } },
    },
    {
      sid: 'StageDashboard',
      why: 'Only the stage\'s own dashboard, named exactly; dashboard ARNs have no region.',
      actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
      resources: [arn('cloudwatch', `dashboard/${stageDashboardName(serviceName, stage)}`, false)],
    },
    {
      sid: 'StageDeploymentEventsRule',
      why: 'Only the stage\'s own EventBridge rule on the default event bus, named exactly.',
      actions: [
        'events:PutRule',
        'events:DeleteRule',
        'events:DescribeRule',
        'events:EnableRule',
        'events:DisableRule',
        'events:RemoveTargets',
        'events:ListTargetsByRule',
        'events:TagResource',
        'events:UntagResource',
        'events:ListTagsForResource',
      ],
      resources: [rule],
    },
    {
      sid: 'StageDeploymentEventsReachStageTopic',
      why: 'Only the stage\'s own EventBridge rule, named exactly, and only with the stage\'s own topic as its targets (events:TargetArn).',
      actions: ['events:PutTargets'],
      resources: [rule],
      conditions: { 'ForAllValues:ArnEquals': { 'events:TargetArn': [topic.value] } },
    },
  ];
}

