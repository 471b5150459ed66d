import { HostedZoneReference, StageNetwork, TaskSubnets } from '../options';

/**
 * One stage of a platform: its network, load balancer and domain. Services on the platform deploy into the stage
 * of the same name.
 */
export interface PlatformStage {
  /** The stage's name, as the services' stages are named: lowercase letters and digits, a letter first, at most 16. */
  readonly name: string;

  /**
   * An existing network to use instead of a new one, by its ids: public subnets in two or more Availability Zones
   * for an internet-facing load balancer, private subnets with a NAT gateway for the tasks (none needed with
   * `taskSubnets: TaskSubnets.PUBLIC`), and the VPC's CIDR block, which the load balancer may reach and no more.
   *
   * @default - a new VPC in two Availability Zones, with flow logs
   */
  readonly network?: PlatformNetwork;

  /**
   * NAT gateways of the new VPC: 1 (one Availability Zone's gateway serves both) or 2 (one per zone: egress
   * survives a zone's outage, for about $33 a month more). 0 only with `taskSubnets: TaskSubnets.PUBLIC`.
   * Not with `network`, whose NAT gateways are its own.
   *
   * @default - 1 with private task subnets, 0 with public ones
   */
  readonly natGateways?: number;

  /**
   * Where the services' tasks run: private subnets with egress through NAT, or public subnets with a public IP
   * per task and no NAT gateway (Copilot's default, cheaper: only the load balancer's security group may reach
   * the tasks, but each task has an address on the internet and its outbound traffic is not behind one IP).
   *
   * @default TaskSubnets.PRIVATE
   */
  readonly taskSubnets?: TaskSubnets;

  /**
   * The Route 53 hosted zone the stage's domain is in. With it the stage gets one DNS-validated wildcard
   * certificate `*.<domainName>`, HTTPS on its load balancer (HTTP then only redirects) and an alias record
   * `*.<domainName>` to it, so a service is `<service>.<domainName>` without any DNS permission of its own.
   *
   * @default - no domain: services answer over HTTP on the load balancer's own name
   */
  readonly hostedZone?: HostedZoneReference;

  /**
   * The stage's domain, inside `hostedZone`: services are `<service>.<domainName>`.
   *
   * @default - the zone's name for `production` and `prod`, `<stage>.<zone>` for every other stage
   */
  readonly domainName?: string;

  /**
   * Whether the load balancer faces the internet (in public subnets, reachable from anywhere on 80 and 443) or
   * is internal (reachable only from inside the VPC).
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * The IPv4 range that may reach the test listener (port 8443), where blue/green, canary and linear releases
   * answer before production traffic moves to them.
   *
   * @default - nobody: the listener exists for the services' test rules, but no address may reach it
   */
  readonly testTrafficCidr?: string;
}

/** An existing network for a platform stage: the ids of a service's `StageNetwork` and the VPC's CIDR block. */
export interface PlatformNetwork extends StageNetwork {
  /** The VPC's IPv4 CIDR block, e.g. `10.0.0.0/16`: the load balancer's security group allows egress to it only. */
  readonly vpcCidrBlock: string;
}

/** A service allowed to join the platform, and the listener rule priority the platform gives it. */
export interface PlatformService {
  /** The service's `serviceName`. */
  readonly name: string;

  /**
   * The priority of the service's listener rules, on both the production and the test listener: 1 to 50000,
   * unique on the platform. Once given, keep it: a priority moved to another service while the first still has
   * its rule makes that service's deploy fail (the load balancer refuses a duplicate priority).
   */
  readonly rulePriority: number;
}

/** What a platform deploys: one environment per stage that the listed services share. */
export interface CodeStarFargatePlatformProps {
  /**
   * The platform's name, which services give as their `platformName`: lowercase letters, digits and single
   * hyphens, a letter first, as a service's name.
   */
  readonly platformName: string;

  /** The platform's stages, one stack each. */
  readonly stages: PlatformStage[];

  /**
   * The services allowed to join, each with its listener rule priority.
   *
   * @default - none yet: the platform publishes its environment, and a service joins once it is listed here
   */
  readonly services?: PlatformService[];
}
