import type { Json } from './template-json';

/**
 * What a service's template.yml needs from the stage environment it runs in: the network, the cluster, the load
 * balancer and its listeners. A service with its own environment creates them (own-environment.ts); a service on a
 * platform reads a shared one's through parameters. The service's own resources (service-resources.ts) are the same
 * either way.
 */
export interface TemplateEnvironment {
  /** Parameters, rules and conditions the environment adds to the template. */
  readonly parameters: Json;
  readonly rules: Json;
  readonly conditions: Json;
  /** The resources the environment creates in the service's stack (none on a shared one). */
  readonly resources: Json;
  /** The VPC of the service's security group and target groups. */
  readonly vpcId: unknown;
  /** The subnets the tasks run in, and whether they get public IPs there. */
  readonly serviceSubnetIds: unknown;
  readonly assignPublicIp: unknown;
  /** The logical id or parameter whose `Ref` is the cluster's name. */
  readonly clusterReference: string;
  /** The cluster's name, as the alarms' dimension. */
  readonly clusterName: unknown;
  /** The load balancer's CloudWatch dimension, `app/<name>/<id>`. */
  readonly loadBalancerFullName: unknown;
  /** The load balancer's security group, the only source the tasks accept traffic from. */
  readonly loadBalancerSecurityGroupId: unknown;
  /** What the ECS service waits for: ECS refuses a target group that no listener forwards to yet. */
  readonly serviceDependsOn: string[];
  /** Metadata of the ECS service, for a linter finding that does not apply; none when absent. */
  readonly serviceMetadata?: Json;
  /** The stage's base URL, `<scheme>://<host>`. */
  readonly serviceUrl: unknown;
  readonly serviceUrlDescription: string;
  /**
   * The service's listener rules, with the second target group (a copy of `targetGroupProperties`) and ECS's role that
   * blue/green, canary and linear releases need; an own environment's rules and test listener exist only for those.
   */
  listenerRules(targetGroupProperties: Json): Json;
}

/** The service's logical ids the environment refers to: its listeners forward to the target group, its load balancer sends to the tasks' group. */
export interface ServiceTemplateIds {
  readonly targetGroup: string;
  readonly serviceSecurityGroup: string;
}
