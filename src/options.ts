import { awscdk, typescript } from 'projen';
import { MavenPlugin } from './app-build-options';

/**
 * The language and framework of the generated service.
 */
export enum AppRuntime {
  /** A TypeScript service on Node.js with Fastify. */
  NODE = 'node',
  /** A Java service on Spring Boot, built with Maven. */
  SPRING_BOOT = 'spring-boot',
}

/**
 * How ECS replaces the running tasks with a new release (`AWS::ECS::Service`
 * `DeploymentConfiguration.Strategy`, ECS deployment controller).
 */
export enum DeploymentStrategyType {
  /** New tasks replace old ones a few at a time behind the same target group; nothing extra is created. */
  ROLLING = 'ROLLING',
  /** A full new fleet starts beside the old one; all traffic moves at once, and the old fleet stays for the bake time. */
  BLUE_GREEN = 'BLUE_GREEN',
  /** A full new fleet starts; `canaryPercent` of traffic moves to it for `canaryBakeTimeMinutes`, then the rest. */
  CANARY = 'CANARY',
  /** A full new fleet starts; traffic moves `linearStepPercent` at a time, `linearStepBakeTimeMinutes` apart. */
  LINEAR = 'LINEAR',
}

/**
 * Which subnets a stage's tasks run in.
 */
export enum TaskSubnets {
  /** Private subnets with a NAT gateway for egress: tasks have no public address. */
  PRIVATE = 'PRIVATE',
  /** Public subnets with a public IP per task and no NAT gateway (Copilot's default): cheaper; only the load balancer's security group reaches the tasks. */
  PUBLIC = 'PUBLIC',
}

/**
 * The processor the service's tasks and its image build run on (`RuntimePlatform.CpuArchitecture`).
 */
export enum CpuArchitecture {
  /** Intel and AMD (x86-64): every image and library runs here. */
  X86_64 = 'X86_64',
  /** AWS Graviton (arm64): Fargate lists it about 20% cheaper per vCPU and GB hour; the image is built on an ARM CodeBuild host. */
  ARM64 = 'ARM64',
}

/**
 * Where a connection's repository is hosted, so the approval can link to the commit it asks about.
 */
export enum GitHost {
  /** github.com: `https://github.com/<owner>/<repository>/commit/<id>`. */
  GITHUB = 'GITHUB',
  /** gitlab.com: `https://gitlab.com/<owner>/<repository>/-/commit/<id>`. */
  GITLAB = 'GITLAB',
  /** bitbucket.org: `https://bitbucket.org/<owner>/<repository>/commits/<id>`. */
  BITBUCKET = 'BITBUCKET',
}

/**
 * How the stages other than `production` and `prod` are named in the hosted zone; production is `<serviceName>.<zone>`.
 */
export enum StageDomainNaming {
  /**
   * `<stage>.<serviceName>.<zone>`, below production's name: the stage's pages can read and set cookies production
   * scopes to its own domain (`Domain=<serviceName>.<zone>`).
   */
  SUBDOMAIN = 'SUBDOMAIN',
  /**
   * `<serviceName>-<stage>.<zone>`, beside production's name: the stage can reach no cookie production scopes to
   * its own domain; both still share cookies scoped to the zone (see docs/security.md).
   */
  SIBLING = 'SIBLING',
}

/**
 * A deployment strategy and its timings. Blue/green, canary and linear need a
 * second target group, listener rules, a test listener and an ECS
 * infrastructure role, which template.yml creates only for them. Numbers left
 * out take this package's defaults; ones that do not apply to `type` are refused.
 */
export interface DeploymentStrategy {
  /** How traffic moves to the new release. */
  readonly type: DeploymentStrategyType;

  /**
   * Minutes the old fleet keeps running after all traffic has moved, so an alarm can still roll back
   * instantly (traffic moves back; no task has to start). 0 to 1440. Not for `ROLLING`.
   *
   * @default 5
   */
  readonly bakeTimeMinutes?: number;

  /**
   * Percent of production traffic the canary gets, a multiple of 0.1 from 0.1 to 100. `CANARY` only.
   *
   * @default 10
   */
  readonly canaryPercent?: number;

  /**
   * Minutes the canary serves `canaryPercent` before the rest of the traffic moves. 0 to 1440. `CANARY` only.
   *
   * @default 10
   */
  readonly canaryBakeTimeMinutes?: number;

  /**
   * Percent of production traffic each step moves, a multiple of 0.1 from 3 to 100. `LINEAR` only.
   *
   * @default 20
   */
  readonly linearStepPercent?: number;

  /**
   * Minutes between two steps. 0 to 1440. `LINEAR` only.
   *
   * @default 3
   */
  readonly linearStepBakeTimeMinutes?: number;
}

/**
 * Options for `CodeStarFargateProject`.
 */
export interface CodeStarFargateProjectOptions
  extends typescript.TypeScriptProjectOptions, awscdk.CdkConfigCommonOptions {
  /**
   * The language and framework of the service in `app/`.
   */
  readonly appRuntime: AppRuntime;

  /**
   * The service's name: the ECR repository, ECS cluster and service, log
   * group, load balancer and pipeline are all named after it. Lowercase
   * letters, digits and single hyphens; together with `-<stage>` at most 32
   * characters (the load balancer limit).
   *
   * @default - the project name (the folder name for `projen new`)
   * @featured
   */
  readonly serviceName?: string;

  /**
   * The port the app listens on, used by the Dockerfile, the task definition,
   * the target group and the security group rule.
   *
   * @default 8080
   * @featured
   */
  readonly containerPort?: number;

  /**
   * The path the app answers health checks on, used by the app, the target
   * group and the container health check. Starts with `/`.
   *
   * @default "/health"
   * @featured
   */
  readonly healthCheckPath?: string;

  /**
   * CPU units of one task (1024 = one vCPU). Must form a valid Fargate size
   * with `memory`.
   *
   * @default - 256 for Node.js; 512 for Spring Boot, whose JVM start-up on a
   * quarter vCPU is slow enough to fail health checks
   * @featured
   */
  readonly cpu?: number;

  /**
   * Memory of one task in MiB (`--memory` with `projen new`). Must form a valid Fargate size with `cpu`.
   * Not `memoryMib`: Python would name it `memory_mib`, as it names the deprecated `memoryMiB`.
   *
   * @default - 512 for Node.js; 1024 for Spring Boot, which leaves the JVM heap
   * room for Spring's start-up
   * @featured
   */
  readonly memory?: number;

  /**
   * Memory of one task in MiB.
   *
   * @default - see `memory`
   * @deprecated use `memory`: this name's `projen new` flag is `--memory-mi-b`, which nobody guesses.
   */
  readonly memoryMiB?: number;

  /**
   * The fewest tasks the service scales in to.
   *
   * @default 1
   * @featured
   */
  readonly minContainers?: number;

  /**
   * The most tasks the service scales out to.
   *
   * @default 4
   * @featured
   */
  readonly maxContainers?: number;

  /**
   * Average CPU utilisation (percent) that target-tracking autoscaling keeps
   * the service at.
   *
   * @default 50
   */
  readonly autoScalingTargetCpu?: number;

  /**
   * The deployment stages, in pipeline order. Lowercase letters and digits.
   * A manual approval precedes a stage named `production` or `prod`.
   *
   * @default ["dev","production"]
   * @featured
   */
  readonly stages?: string[];

  /**
   * The deployment stages as objects, in pipeline order, for stages that
   * differ: size, counts, environment, secrets, network, approval, account.
   * Use either `stages` (names only) or `stageOptions`, not both. A separate
   * option rather than objects in `stages`, because jsii (Python, Java, .NET
   * users of this project type) cannot type a list of "name or object".
   *
   * @default - the stages of `stages`, each with the project-wide values
   * @featured
   */
  readonly stageOptions?: StageOptions[];

  /**
   * Environment variables of the container in every stage; a stage's own
   * `environment` wins for the same name. Names are letters, digits and `_`,
   * not starting with a digit nor `AWS_` or `ECS_` (reserved by ECS); values at most 4096 characters.
   *
   * @default - none
   * @featured
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets of the container in every stage, as environment variables, from
   * Secrets Manager or SSM Parameter Store; a stage's own `secrets` wins for
   * the same name. Each stage's execution role may read exactly its secrets.
   * Every stage means dev too: give a secret of one stage in that stage's
   * `stageOptions` (synth warns when a shared one looks like a stage's).
   *
   * @default - none
   */
  readonly secrets?: { [name: string]: SecretReference };

  /**
   * What the tasks of every stage may reach besides HTTPS (443) anywhere, e.g.
   * `{ port: 5432, cidr: "10.0.0.0/16" }` for a database.
   *
   * @default - nothing more
   */
  readonly egress?: EgressRule[];

  /**
   * Resource types you add to `template.yml` through `serviceTemplate`
   * escape hatches, e.g. `['AWS::DynamoDB::Table']`. Each
   * stage's deploy role may then manage them, and its task role (within its
   * permissions boundary) use them, only under the stage's own names
   * `<service>-<stage>-...` (leave their names to CloudFormation) and with the
   * stage's `service` and `stage` tags. Taken: `AWS::DynamoDB::Table`; queues
   * (a dead-letter queue may be another stage's), IAM, Lambda and anything
   * that could reach another stage are refused. Takes effect after `npx projen deploy`.
   *
   * @default - only template.yml's own types
   */
  readonly extraResourceTypes?: string[];

  /**
   * How every stage releases a new version (per-stage values come with stage objects).
   *
   * The default is a careful team's: a stage named `production` or `prod` gets a canary (10% of traffic for
   * 10 minutes, then all of it, the old tasks kept 5 more minutes), so a release that trips an alarm reaches
   * few users and rolls back by moving traffic, not by starting tasks; other stages roll, which is the
   * quickest deploy and needs no second target group. A canary deploy takes 15 minutes longer (README,
   * "Release strategies").
   *
   * @default - `CANARY` for `production` and `prod`, `ROLLING` for other stages
   * @featured
   */
  readonly deploymentStrategy?: DeploymentStrategy;

  /**
   * Email addresses subscribed to every stage's SNS topic: they hear of failed
   * pipeline runs, approvals waiting, each stage's deploys and the stage's
   * alarms. Each address confirms the subscription mail SNS sends it first.
   *
   * @default - none; subscribe to the topics (`<serviceName>-<stage>`) in the console
   * @featured
   */
  readonly notificationEmails?: string[];

  /**
   * The Route 53 public hosted zone (its id) the stages' domains are created in, with `hostedZoneName`. Each
   * stage then gets its own name in the zone (`<stage>.<serviceName>.<zone>`, `<serviceName>.<zone>` for
   * `production` and `prod`), a DNS-validated ACM certificate that CloudFormation validates in this zone, an
   * alias record to the stage's load balancer, and HTTPS with TLS 1.2 or 1.3 only, HTTP redirecting to HTTPS.
   * The zone must be in the account each stage deploys to. An id such as `Z0123456789ABCDEFGHIJ`.
   *
   * @default - no domain: HTTP on the load balancer's own name, and a warning at synth for production
   * @featured
   */
  readonly hostedZoneId?: string;

  /**
   * The domain name of the zone `hostedZoneId` names, e.g. `example.com`; with `hostedZoneId`.
   *
   * @default - none; required with `hostedZoneId`
   * @featured
   */
  readonly hostedZoneName?: string;

  /**
   * How stages other than `production` and `prod` are named in the hosted zone: below production's name
   * (`<stage>.<serviceName>.<zone>`) or beside it (`<serviceName>-<stage>.<zone>`), so a stage's code cannot
   * reach the cookies production scopes to its domain. A stage's `domain` overrides it.
   *
   * @default StageDomainNaming.SUBDOMAIN
   */
  readonly stageDomainNames?: StageDomainNaming;

  /**
   * The processor the tasks run on, and the image is built on (an ARM CodeBuild host when `ARM64`).
   *
   * Both runtimes' base images (Docker's official `node` and `eclipse-temurin`) are published for both. x86-64
   * stays the default because the app's own dependencies decide whether ARM works: a native module or a JNI
   * library without an arm64 build fails only when the image is built or the task starts, which this package
   * cannot check for you.
   *
   * @default CpuArchitecture.X86_64
   * @featured
   */
  readonly architecture?: CpuArchitecture;

  /**
   * Run the tasks of every stage without a manual approval on Fargate Spot (up to 70% cheaper, list price).
   * Stages with an approval (`production`, `prod`) stay on regular Fargate. AWS may stop a Spot task with two
   * minutes' notice; ECS drains it and starts a replacement, so a stage may answer from fewer tasks, or none
   * while Spot capacity is short. Every task of the stage runs on Spot: an on-demand base task would cost as
   * much as no Spot at all for the one-task stages most teams run outside production.
   *
   * @default false
   * @featured
   */
  readonly fargateSpot?: boolean;

  /**
   * Adds the `AWS::CodeStar` transform and the `ProjectId` parameter to
   * `template.yml`. Neither the pipeline nor `template-configuration.json`
   * gives `ProjectId` a value, so a stage's deploy fails with it; CodeStar was
   * shut down in 2024 and a migrated service does not need it (see
   * docs/first-deploy.md, "Coming from AWS CodeStar"). Leave it off.
   *
   * @default false
   */
  readonly codeStarTransform?: boolean;

  /**
   * The platform (a `codestar-fargate-platform` repository) whose shared network, cluster and load balancer every
   * stage joins, e.g. `acme`. template.yml then creates none of them: it reads the platform's through SSM parameters
   * at deploy time, and the service answers on `<serviceName>.<platform domain>` on the platform's listeners. Lowercase
   * letters, digits and single hyphens, from a letter to a letter or digit, at most 31 characters less the longest stage name.
   *
   * @default - every stage has its own VPC, cluster and load balancer
   * @featured
   */
  readonly platformName?: string;

  /**
   * ARN of an AWS CodeConnections connection (for example to GitHub) the
   * pipeline reads the source from; with `sourceRepository`.
   *
   * @default - the toolchain creates a CodeCommit repository named after the service
   * @featured
   */
  readonly sourceConnectionArn?: string;

  /**
   * The `owner/name` of the repository behind `sourceConnectionArn`.
   *
   * @default - none; required with `sourceConnectionArn`
   * @featured
   */
  readonly sourceRepository?: string;

  /**
   * Where `sourceRepository` is hosted (github.com, gitlab.com or bitbucket.org); with `sourceConnectionArn`. Each
   * manual approval then links to the commit it asks about.
   *
   * @default - the approval links to the pipeline execution in the CodePipeline console, which shows the commit
   */
  readonly sourceHost?: GitHost;

  /**
   * Whether every pull request to `sourceBranch` gets a check before merge:
   * the build's tests, checks and `docker build` (no push, no deploy), with
   * the result on the pull request (the commit status on GitHub, GitLab or
   * Bitbucket; a comment on CodeCommit). The check's role gets no secret and
   * nothing production uses. Takes effect after `npx projen deploy`.
   *
   * @default true
   */
  readonly pullRequestChecks?: boolean;

  /**
   * The branch whose pushes run the pipeline.
   *
   * @default "main"
   */
  readonly sourceBranch?: string;

  /**
   * The Node.js release the service runs on: 22 or 24. A `node` service's image, CodeBuild runtime and app engines
   * use it, and every service's toolchain (the root's `engines` and `@types/node`). Node.js 22 leaves support on
   * 2027-04-30, 24 on 2028-04-30.
   *
   * @default 24
   */
  readonly nodeVersion?: number;

  /**
   * The Java release the Spring Boot app is compiled for and runs on: 17, 21 or 25.
   *
   * The image build starts the app once (a training run) and keeps what the JVM loaded, so each task starts
   * faster: an AppCDS archive on 17 and 21, the AOT cache on 25, which also keeps linked classes and method
   * profiles. The health-check grace period and the container's start period are four times the skeleton's
   * start measured with that cache on half a vCPU (bench/RESULTS.md), since a task still starting must not be
   * replaced; a missing or mismatched cache only makes the JVM start without it. 25 is the default: its AOT cache is
   * the fastest start without `springAot`, about half the plain jar's.
   *
   * @default 25
   * @featured
   */
  readonly javaVersion?: number;

  /**
   * Run Spring's ahead-of-time processing (`spring-boot:process-aot`) in the Maven build and start the app from
   * the bean definitions it generates (`-Dspring.aot.enabled=true`, also in the image's training run): a fifth to
   * a third off the start on top of the start cache (bench/RESULTS.md). Off by default because it fixes the
   * app's beans at build time: `@Profile`, `@ConditionalOnProperty` and `.enabled` properties set per stage at run
   * time no longer change which beans exist. Applies to `spring-boot` only.
   *
   * @default false
   */
  readonly springAot?: boolean;

  /**
   * The Java package of the Spring Boot app's code; its Maven groupId is the
   * package without the last segment. Lowercase Java identifiers separated by
   * dots, e.g. `com.acme.orders`. Applies to `spring-boot` only.
   *
   * @default - "com.example." and the service name without hyphens, e.g. `com.example.ordersapi`
   */
  readonly javaPackage?: string;

  /**
   * Dependencies of the app, in the runtime's own notation: npm specs for
   * Node.js (`zod@^3`), Maven coordinates for Spring Boot
   * (`org.postgresql/postgresql@42.7.4`).
   *
   * @default - only what the skeleton needs
   * @featured
   */
  readonly appDeps?: string[];

  /**
   * Instrument the app with OpenTelemetry: the image starts it with the runtime's agent through `NODE_OPTIONS`
   * (the Node.js SDK's auto-instrumentations, added to the app's dependencies) or `JAVA_TOOL_OPTIONS` (the Java
   * agent, which the Maven build copies into the image), sending traces and metrics over OTLP to
   * `OTEL_EXPORTER_OTLP_ENDPOINT` (`http://localhost:4318` by default: a collector sidecar). Off by default: without
   * a collector it only costs start time.
   *
   * @default false
   */
  readonly openTelemetry?: boolean;

  /**
   * Dependencies the app's build and tests need but the image does not ship, in the runtime's own notation:
   * npm devDependencies for Node.js (`@types/pg@^8`, `undici@^7`), Maven's test scope for Spring Boot
   * (`org.awaitility/awaitility`, `org.testcontainers/postgresql`).
   *
   * @default - only what the skeleton's build and tests need
   */
  readonly appDevDeps?: string[];

  /**
   * Maven build plugins the Spring Boot app's pom.xml adds, e.g. JaCoCo, Flyway or Spotless. Applies to `spring-boot` only.
   *
   * @default - Spring Boot's own plugin only
   */
  readonly mavenPlugins?: MavenPlugin[];

  /**
   * BOMs (bills of materials) the Spring Boot app imports into its dependency management, as
   * `groupId/artifactId@version`, e.g. `software.amazon.awssdk/bom@2.31.50`; dependencies they manage may then be
   * given without a version. Applies to `spring-boot` only.
   *
   * @default - Spring Boot's own BOM, through its parent POM
   */
  readonly mavenBoms?: string[];

  /**
   * Annotation processors the Spring Boot app's compiler runs, as Maven coordinates (`org.projectlombok/lombok`,
   * `org.mapstruct/mapstruct-processor@1.6.3`), without a version when Spring Boot manages it. Each is also on the
   * compile class path only (`provided`), so Lombok's annotations need nothing else and none ships in the jar.
   * Applies to `spring-boot` only.
   *
   * @default - none
   */
  readonly annotationProcessors?: string[];

  /**
   * Thresholds of each stage's CloudWatch alarms. Every alarm notifies the stage's topic and is one of the
   * service's deployment alarms: a release that trips one while ECS deploys it rolls back by itself.
   *
   * @default - the defaults of each `ServiceAlarmOptions` property
   * @featured
   */
  readonly alarms?: ServiceAlarmOptions;

  /**
   * Minimum AWS CDK version for the toolchain app.
   *
   * @default - the version this release of projen-codestar-fargate was tested with
   */
  readonly cdkVersion?: string;

  /**
   * Version range of the AWS CDK CLI.
   *
   * @default "^2"
   */
  readonly cdkCliVersion?: string;
}

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

/**
 * Thresholds of a stage's alarms. An alarm goes off when its value is past
 * the threshold for `evaluationMinutes` one-minute periods in a row. The
 * error rate and latency are measured on the load balancer, over every target
 * group, so they mean the same under rolling, blue/green, canary and linear
 * deploys; keep `errorRatePercent` below a canary's traffic share, or a
 * canary that fails every request cannot trip it.
 */
export interface ServiceAlarmOptions {
  /**
   * Percent of requests answered with a 5xx (by the tasks, or by the load balancer when no task could answer)
   * that trips the error-rate alarm. From more than 0 to 100; decimals allowed.
   *
   * @default 5 - far above the noise of a healthy service, and a broken route that takes a twentieth of the traffic trips it
   */
  readonly errorRatePercent?: number;

  /**
   * Requests a minute below which the error rate and p99 latency count as fine: with little traffic one error or
   * one slow answer is a large share. A whole number from 1 to 100000.
   *
   * @default 10 - a single failed request of a quiet dev stage does not roll a release back
   */
  readonly minimumRequestsPerMinute?: number;

  /**
   * The 99th percentile of the tasks' response time, in milliseconds, that trips the latency alarm. A whole
   * number from 10 to 60000 (the load balancer's default idle timeout: a slower answer never arrives).
   *
   * @default 2000
   */
  readonly p99LatencyMs?: number;

  /**
   * Targets failing the load balancer's health check, summed over the stage's target groups, that trip the
   * unhealthy-targets alarm. A whole number from 1 to 5000.
   *
   * @default 1 - a task that stays unhealthy for `evaluationMinutes` is a problem; one being replaced passes sooner
   */
  readonly unhealthyTargets?: number;

  /**
   * The service's average CPU utilisation, in percent, that trips the CPU alarm. A whole number from 1 to 100,
   * above `autoScalingTargetCpu`, which autoscaling holds the service at.
   *
   * @default 90 - autoscaling holds 50; this high for minutes means autoscaling is at its limit or the release spins
   */
  readonly cpuPercent?: number;

  /**
   * The service's average memory utilisation, in percent, that trips the memory alarm. A whole number from 1 to 100.
   *
   * @default 90 - close to the task's limit, where the container is killed
   */
  readonly memoryPercent?: number;

  /**
   * One-minute periods in a row a value must be past its threshold before the alarm goes off. A whole number
   * from 1 to 60.
   *
   * @default 3 - a brief spike is forgiven, and a bad release still rolls back within minutes
   */
  readonly evaluationMinutes?: number;
}

/** A stage's alarm thresholds after defaults and validation. */
export interface AlarmSettings {
  readonly errorRatePercent: number;
  readonly minimumRequestsPerMinute: number;
  readonly p99LatencyMs: number;
  readonly unhealthyTargets: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  readonly evaluationMinutes: number;
}

/**
 * One deployment stage as an object in `stageOptions`: its name and what it
 * changes from the project-wide values. Anything left out takes the
 * project's option of the same name (`cpu`, `memory`, `minContainers`, ...).
 */
export interface StageOptions {
  /** The stage's name: lowercase letters and digits, at most 16 characters, starting with a letter. */
  readonly name: string;

  /**
   * CPU units of one task in this stage; with `memory` a valid Fargate size.
   *
   * @default - the project's `cpu`
   */
  readonly cpu?: number;

  /**
   * Memory of one task in this stage, in MiB; with `cpu` a valid Fargate size.
   *
   * @default - the project's memory
   */
  readonly memory?: number;

  /**
   * The fewest tasks autoscaling keeps in this stage.
   *
   * @default - the project's `minContainers`
   */
  readonly minContainers?: number;

  /**
   * The most tasks autoscaling starts in this stage.
   *
   * @default - the project's `maxContainers`
   */
  readonly maxContainers?: number;

  /**
   * Average CPU utilisation (percent) autoscaling holds this stage at.
   *
   * @default - the project's `autoScalingTargetCpu`
   */
  readonly autoScalingTargetCpu?: number;

  /**
   * Environment variables of this stage's container, on top of the project's
   * `environment` (a name given in both takes this stage's value).
   *
   * @default - only the project's `environment`
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets of this stage's container, as environment variables, on top of the
   * project's `secrets` (a name given in both takes this stage's secret). Only
   * this stage's task execution role may read them.
   *
   * @default - only the project's `secrets`
   */
  readonly secrets?: { [name: string]: SecretReference };

  /**
   * Whether someone must approve in the pipeline before this stage deploys.
   *
   * @default - true for a stage named `production` or `prod`, otherwise false
   */
  readonly approval?: boolean;

  /**
   * An existing network to run this stage in.
   *
   * @default - a new VPC for the stage (two public and two private subnets, one NAT gateway)
   */
  readonly network?: StageNetwork;

  /**
   * How this stage releases a new version; overrides the project's `deploymentStrategy`.
   *
   * @default - the project's `deploymentStrategy`, else a canary for `production` and `prod` and rolling elsewhere
   */
  readonly deploymentStrategy?: DeploymentStrategy;

  /**
   * Email addresses subscribed to this stage's topic, besides the project's `notificationEmails`.
   *
   * @default - only the project's `notificationEmails`
   */
  readonly notificationEmails?: string[];

  /**
   * What this stage's tasks may reach besides HTTPS (443) anywhere, e.g. a
   * database on 5432. Added to the project's `egress`.
   *
   * @default - only the project's `egress`
   */
  readonly egress?: EgressRule[];

  /**
   * The AWS account the stage deploys to, when not the toolchain's; needs
   * `network` (a VPC in that account) and `region`.
   *
   * @default - the toolchain's account
   */
  readonly account?: string;

  /**
   * The AWS region the stage deploys to, when not the toolchain's.
   *
   * @default - the toolchain's region
   */
  readonly region?: string;

  /**
   * This stage's domain name in the project's hosted zone (`hostedZoneId`, `hostedZoneName`): the zone's name or
   * a name inside it, lowercase RFC 1035 labels, at most 64 characters (ACM's limit for a certificate's name).
   *
   * @default - `<serviceName>.<zone>` for `production` and `prod`; for other stages `<name>.<serviceName>.<zone>`, or
   * `<serviceName>-<name>.<zone>` with `stageDomainNames` SIBLING; no domain without a hosted zone
   */
  readonly domain?: string;

  /**
   * Whether this stage's tasks run on Fargate Spot; overrides the project's `fargateSpot`. Asking for Spot on a
   * stage with an approval is allowed, and warned about at every synth.
   *
   * @default - the project's `fargateSpot` for stages without an approval; regular Fargate for stages with one
   */
  readonly fargateSpot?: boolean;

  /**
   * Whether `npx projen exec <stage>` may open a shell in this stage's tasks (ECS Exec): the service allows
   * execute-command, its task role gets the Session Manager channel permissions, and each session's output is
   * logged to the stage's log group.
   *
   * @default - true, except for stages named `production` or `prod`
   */
  readonly enableExecuteCommand?: boolean;
}

/**
 * Where a secret comes from: give exactly one of `secretsManager` and
 * `ssmParameter`. ECS reads it when a task starts and passes it to the
 * container as an environment variable; it never appears in the template.
 */
export interface SecretReference {
  /**
   * A Secrets Manager secret in the stage's account and region, by name
   * (`orders/db`) or full ARN.
   *
   * @default - none; give `ssmParameter` instead
   */
  readonly secretsManager?: string;

  /**
   * With `secretsManager`, the key in the secret's JSON whose value the
   * variable gets.
   *
   * @default - the whole secret string
   */
  readonly jsonKey?: string;

  /**
   * An SSM Parameter Store parameter in the stage's account and region, by
   * name (`/orders/db-password`); a `SecureString` is decrypted.
   *
   * @default - none; give `secretsManager` instead
   */
  readonly ssmParameter?: string;

  /**
   * The ARN of the customer managed KMS key the secret or parameter is
   * encrypted with; the execution role may decrypt with it only through
   * Secrets Manager or SSM.
   *
   * @default - the AWS managed key, which needs no permission
   */
  readonly kmsKeyArn?: string;
}

/** An existing VPC a stage runs in, by id; the subnets must be in that VPC. */
export interface StageNetwork {
  /** The VPC's id, e.g. `vpc-0123456789abcdef0`. */
  readonly vpcId: string;

  /** Public subnets in two or more Availability Zones, for the internet-facing load balancer. */
  readonly publicSubnetIds: string[];

  /** Private subnets with outbound internet access (NAT), for the tasks. */
  readonly privateSubnetIds: string[];
}

/**
 * A destination the tasks may open TCP connections to: `port` (to `toPort`)
 * on either `cidr` or `securityGroupId`.
 */
export interface EgressRule {
  /** The TCP port, or the first of a range with `toPort`: 1 to 65535. */
  readonly port: number;

  /**
   * The last port of the range.
   *
   * @default - `port` only
   */
  readonly toPort?: number;

  /**
   * An IPv4 CIDR block, e.g. `10.0.0.0/16`.
   *
   * @default - none; give `securityGroupId` instead
   */
  readonly cidr?: string;

  /**
   * A security group in the stage's VPC, e.g. the database's `sg-0123456789abcdef0`.
   *
   * @default - none; give `cidr` instead
   */
  readonly securityGroupId?: string;

  /**
   * What is reached, shown on the security group rule.
   *
   * @default - the destination and port
   */
  readonly description?: string;
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
