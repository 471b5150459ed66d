import { awscdk, typescript } from 'projen';
import { MavenPlugin } from '../app-build-options';
import { ServiceAlarmOptions } from './alarms';
import { ContainerRuntimeOptions } from './container';
import { CopilotImportOptions } from './copilot';
import { DeploymentStrategy } from './deployment-strategy';
import { EgressRule, SecretReference } from './secrets-egress';
import { StageOptions } from './stage';

/* The options of `CodeStarFargateProject` as a team writes them in `.projenrc.ts`. */

/**
 * The language and framework of the generated service.
 */
export enum AppRuntime {
  /** A TypeScript service on Node.js with Fastify. */
  NODE = 'node',
  /** A Java service on Spring Boot, built with Maven. */
  SPRING_BOOT = 'spring-boot',
  /** The team's own app and Dockerfile, in any language: this package builds, tests and deploys the image and writes no app code. */
  CONTAINER = 'container',
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
 * Options for `CodeStarFargateProject`.
 */
export interface CodeStarFargateProjectOptions
  extends typescript.TypeScriptProjectOptions, awscdk.CdkConfigCommonOptions, ContainerRuntimeOptions, CopilotImportOptions {
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
   * Routes the service on its platform by a path instead of its own host name: `/<serviceName>` or under it, e.g.
   * `/orders` or `/orders/v2` (letters, digits and . _ ~ - per segment, no trailing "/", 126 characters at most).
   * Its listener rules then match the path and everything under it; on a platform stage with a domain, on the host
   * `<serviceName>.<domain>` too, so they never reach another service's host. The load balancer forwards the path
   * unchanged, so the app serves under it (a Spring Boot app's context path is set to it), and `healthCheckPath`
   * must sit under it. Only with `platformName`; a
   * platform stage without a hosted zone reaches path-routed services only (`http://<load balancer>/<path>`).
   *
   * @default - routed by the host header `<serviceName>.<platform domain>`
   */
  readonly platformPath?: string;

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
   * The image build starts the app once (a training run), sends it its health check as the load balancer does,
   * stops it as ECS stops a task and keeps what the JVM loaded and learnt on the way, so each task starts faster:
   * an AppCDS archive on 17 and 21, the AOT cache on 25, which also keeps linked classes and method profiles.
   * The health-check grace period and the container's start period are four times the skeleton's
   * start measured with that cache on half a vCPU (bench/RESULTS.md), since a task still starting must not be
   * replaced; a missing or mismatched cache only makes the JVM start without it. 25 is the default: its AOT cache is
   * the fastest start without `springAot`, under half the plain jar's (bench/RESULTS.md, run 11).
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
