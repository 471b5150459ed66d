import { EXECUTE_COMMAND_CHANNEL_ACTIONS, EXECUTE_COMMAND_LOG_ACTIONS } from '../contract';
import { StageSwitch } from './stage-template';

type Json = Record<string, unknown>;

/** The policy of the task role of each stage with `enableExecuteCommand`; none for the others. */
export function executeCommandPolicies(stages: StageSwitch, logGroupArn: Json): Json {
  const policy = {
    PolicyName: 'ExecuteCommand',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: EXECUTE_COMMAND_CHANNEL_ACTIONS, Resource: '*' },
        // The agent looks the log group up before writing; DescribeLogGroups has no resource-level permission.
        { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
        { Effect: 'Allow', Action: EXECUTE_COMMAND_LOG_ACTIONS, Resource: logGroupArn },
      ],
    },
  };
  const policies = stages.items(stage => (stage.enableExecuteCommand ? [policy] : []));
  return policies.length === 0 ? {} : { Policies: policies };
}
