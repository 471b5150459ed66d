import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as notifications from 'aws-cdk-lib/aws-codestarnotifications';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { deploymentEventsRuleName, StageAlarm, stageAlarmName, stackName } from '../contract';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const EVENTBRIDGE = 'events.amazonaws.com';
const CODESTAR_NOTIFICATIONS = 'codestar-notifications.amazonaws.com';

/**
 * The AWS services that publish a stage's news, and the resources each may
 * publish from (`aws:SourceArn`): exactly the stage's own alarms and its
 * deployment events rule, so no other stage's template can reach the topic.
 * CodeStar Notifications documents only `aws:SourceAccount`; the pipeline's
 * own rule is added by `notifyStageTopic`, which creates it.
 */
const PUBLISHERS: Array<{ sid: string; service: string; sourceArns?: (stack: Stack, props: StageTopicProps) => string[] }> = [
  {
    sid: 'CloudWatchAlarms',
    service: CLOUDWATCH,
    sourceArns: (stack, props) => Object.values(StageAlarm).map(what =>
      stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: stageAlarmName(props.serviceName, props.stage, what), arnFormat: ArnFormat.COLON_RESOURCE_NAME })),
  },
  {
    sid: 'EventBridgeRules',
    service: EVENTBRIDGE,
    sourceArns: (stack, props) => [stack.formatArn({ service: 'events', resource: 'rule', resourceName: deploymentEventsRuleName(props.serviceName, props.stage) })],
  },
  { sid: 'CodeStarNotifications', service: CODESTAR_NOTIFICATIONS },
];

/** What a stage's topic is for and who hears it. */
export interface StageTopicProps {
  readonly serviceName: string;
  readonly stage: string;
  /** Addresses subscribed by email; each must confirm the subscription SNS mails it. */
  readonly emails: string[];
  /** Appended to the topic's name: a stage elsewhere has a second topic in the pipeline's region. */
  readonly nameSuffix?: string;
  /** Whether only the pipeline publishes here (the second topic of a stage elsewhere): then no alarm or stage rule may. */
  readonly pipelineOnly?: boolean;
}

/**
 * A stage's SNS topic: encrypted with a key of its own that only CloudWatch
 * alarms, EventBridge rules and CodeStar Notifications may use besides the
 * account, TLS only, publishable by exactly those services from this account,
 * with the team's email subscriptions.
 */
export class StageTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: StageTopicProps) {
    super(scope, id);
    const name = `${stackName(props.serviceName, props.stage)}${props.nameSuffix ?? ''}`;
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the notifications of ${stackName(props.serviceName, props.stage)}`,
      enableKeyRotation: true,
    });
    // SNS asks the key for a data key on the publisher's behalf; EventBridge's request carries no aws:SourceAccount, so the topic policy holds the conditions.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'PublishersEncryptNotifications',
      principals: PUBLISHERS.map(publisher => new iam.ServicePrincipal(publisher.service)),
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: name,
      displayName: `${props.serviceName} ${props.stage}`,
      masterKey: this.key,
      enforceSSL: true,
    });
    const stack = Stack.of(this);
    for (const publisher of PUBLISHERS.filter(candidate => !props.pipelineOnly || !candidate.sourceArns)) {
      allowPublishing(this.topic, `Publish${publisher.sid}`, publisher.service, publisher.sourceArns?.(stack, props));
    }
    for (const email of new Set(props.emails)) {
      // Named by the address, so adding or removing one leaves the others' confirmed subscriptions alone.
      new sns.Subscription(this, email, { topic: this.topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email });
    }
  }
}

/** Lets `service` publish to the topic from this account, and from exactly `sourceArns` where given. */
function allowPublishing(topic: sns.ITopic, sid: string, service: string, sourceArns?: string[]): void {
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ...(sourceArns ? { ArnEquals: { 'aws:SourceArn': sourceArns } } : {}),
    },
  }));
}

/**
 * Tells a stage's topic (in the pipeline's region) about the pipeline: the
 * stage's own deploys succeeding or failing, by an EventBridge rule, and, for
 * the team's stage (the first) only, every failed execution by a CodeStar
 * Notifications rule, so a failed unit test reaches the team and not the
 * people on call for production.
 */
export function notifyStageTopic(
  pipeline: codepipeline.Pipeline, serviceName: string, stage: string, topic: sns.ITopic, hearsEveryFailure: boolean,
): void {
  if (hearsEveryFailure) {
    // A plain target: the topic's own policy already lets CodeStar Notifications publish, with conditions the CDK's default grant lacks.
    const notificationTarget: notifications.INotificationRuleTarget = {
      bindAsNotificationRuleTarget: () => ({ targetType: 'SNS', targetAddress: topic.topicArn }),
    };
    pipeline.notifyOn(`Notify${stage}OfFailures`, notificationTarget, {
      events: [codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED],
      detailType: notifications.DetailType.FULL,
    });
  }
  const message = events.RuleTargetInput.fromText(
    `${serviceName} ${stage}: the deploy ${events.EventField.fromPath('$.detail.state')} (pipeline ${events.EventField.fromPath('$.detail.pipeline')}, execution ${events.EventField.fromPath('$.detail.execution-id')}).`,
  );
  const rule = pipeline.onEvent(`Notify${stage}OfDeploys`, {
    description: `Tells ${stackName(serviceName, stage)}'s topic when its stage of the pipeline succeeds or fails`,
    eventPattern: {
      detailType: ['CodePipeline Stage Execution State Change'],
      detail: { stage: [stage], state: ['SUCCEEDED', 'FAILED'] },
    },
    target: { bind: () => ({ arn: topic.topicArn, input: message }) },
  });
  allowPublishing(topic, 'PublishPipelineRule', EVENTBRIDGE, [rule.ruleArn]);
}

/** A stage's topics: where its alarms publish (its own region), and where the pipeline tells people about it (the pipeline's). */
export interface StageTopics {
  readonly topic: sns.Topic;
  readonly pipelineTopic: sns.Topic;
}

/**
 * The topic of a stage in its own account and region, since CloudWatch alarms
 * publish only to a topic of their region. For a stage elsewhere, a second
 * topic with the same subscriptions in the pipeline's account and region
 * receives the pipeline's notifications: the CDK cannot point a notification
 * rule or an EventBridge rule of the pipeline's stack at a resource of another
 * environment, and an EventBridge rule's SNS target must be in its region.
 */
export function createStageTopics(pipelineScope: Construct, stageScope: Construct, elsewhere: boolean, props: StageTopicProps): StageTopics {
  const topic = new StageTopic(stageScope, 'Notifications', props).topic;
  const pipelineTopic = elsewhere
    ? new StageTopic(pipelineScope, `Notifications-${props.stage}`, { ...props, nameSuffix: '-pipeline', pipelineOnly: true }).topic
    : topic;
  return { topic, pipelineTopic };
}
