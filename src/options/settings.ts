import { AlarmSettings } from './alarms';
import { DeploymentStrategy } from './deployment-strategy';
import { EgressRule } from './secrets-egress';
import { CpuArchitecture, GitHost } from './service';
import { StageNetwork, TaskSubnets } from './stage';

/* The values after defaults and checks, the one object every component reads. */

/**
 * The values every generated artifact must agree on, after defaults and
 * validation: the single source of truth the components read.
 */
export interface ServiceSettings {
  readonly serviceName: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minContainers: number;
  readonly maxContainers: number;
  readonly autoScalingTargetCpu: number;
  /** The names of `stageSettings`, in pipeline order. */
  readonly stages: string[];
  /** Every stage with its own values resolved, in pipeline order. */
  readonly stageSettings: StageSettings[];
  readonly codeStarTransform: boolean;
  readonly source: SourceSettings;
  /** The project's `deploymentStrategy` as given (checked against every stage); absent means the default per stage. */
  readonly deploymentStrategy?: DeploymentStrategy;
  readonly alarms: AlarmSettings;
  readonly notificationEmails: string[];
  /** The hosted zone of the stages' domains; absent means no domain (HTTP unless a certificate is given). */
  readonly hostedZone?: HostedZoneReference;
  readonly architecture: CpuArchitecture;
  readonly fargateSpot: boolean;
  /** Whether pull requests get a check before merge; absent means they do. */
  readonly pullRequestChecks?: boolean;
  /** Resource types beyond template.yml's own that the stages' deploy and task roles get; absent means none. */
  readonly extraResourceTypes?: string[];
  /** The platform every stage joins; absent means each stage has its own environment. */
  readonly platformName?: string;
  /** The path the service is routed by on its platform; absent means by its host name. */
  readonly platformPath?: string;
}

/** A Route 53 hosted zone by id and name. */
export interface HostedZoneReference {
  /** The zone's id, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId: string;
  /** The zone's domain name, e.g. `example.com`, without a trailing dot. */
  readonly zoneName: string;
}

/** Where the pipeline reads the service's source. */
export interface SourceSettings {
  /** The branch whose pushes run the pipeline. */
  readonly branch: string;
  /** CodeConnections connection ARN; absent for a CodeCommit repository the toolchain creates. */
  readonly connectionArn?: string;
  /** `owner/name` of the connected repository. */
  readonly repository?: string;
  /** Where the connected repository is hosted, for the approval's link to the commit. */
  readonly host?: GitHost;
}

/** The task size a runtime starts well with. */
export interface TaskSizeDefaults {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** A stage after defaults and validation: what every generated file reads for it. */
export interface StageSettings {
  readonly name: string;
  readonly cpu: number;
  readonly memory: number;
  readonly minContainers: number;
  readonly maxContainers: number;
  readonly autoScalingTargetCpu: number;
  /** The project's and the stage's variables, the stage's winning. */
  readonly environment: { [name: string]: string };
  /** The project's and the stage's secrets, the stage's winning. */
  readonly secrets: { [name: string]: SecretSettings };
  readonly approvalRequired: boolean;
  readonly network?: StageNetwork;
  /** Where the stage's tasks run: private subnets with a NAT gateway, or public ones with a public IP each. */
  readonly taskSubnets: TaskSubnets;
  /** The stage's own strategy, else the project's; absent means the default for the stage's name. */
  readonly deploymentStrategy?: DeploymentStrategy;
  /** The stage's own addresses only; the project's `notificationEmails` apply to every stage. */
  readonly notificationEmails: string[];
  /** The project's and the stage's rules. */
  readonly egress: EgressRule[];
  readonly account?: string;
  readonly region?: string;
  /** The stage's domain name in the project's hosted zone; absent without a hosted zone. */
  readonly domainName?: string;
  /** Whether the stage's tasks run on Fargate Spot (absent: no). */
  readonly fargateSpot?: boolean;
  /** Whether ECS Exec into the stage's tasks is allowed (and its sessions logged). */
  readonly enableExecuteCommand: boolean;
}

/** A secret after validation: where ECS reads it and what the execution role may read. */
export interface SecretSettings {
  /** `secretsManager` or `ssmParameter`. */
  readonly source: string;
  /** The name or ARN as given. */
  readonly id: string;
  /** With `secretsManager`, the JSON key. */
  readonly jsonKey?: string;
  /** The customer managed key, when one was named. */
  readonly kmsKeyArn?: string;
}
