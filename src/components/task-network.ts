import { AssignPublicIp, TemplateParameter } from '../contract';

type Json = Record<string, unknown>;

/**
 * template.yml's `AssignPublicIp` parameter: the pipeline passes ENABLED for a stage whose tasks run in public subnets
 * (no NAT gateway, so a task reaches ECR and the internet through its own public IP), and nothing for private ones.
 */
export function taskNetworkParameters(): Json {
  return {
    [TemplateParameter.ASSIGN_PUBLIC_IP]: {
      Type: 'String',
      Description: 'ENABLED where the stage\'s tasks run in public subnets: each gets a public IP (only the load balancer\'s security group reaches it) and egress needs no NAT gateway. DISABLED for private subnets with a NAT gateway.',
      AllowedValues: [AssignPublicIp.DISABLED, AssignPublicIp.ENABLED],
      Default: AssignPublicIp.DISABLED,
    },
  };
}
