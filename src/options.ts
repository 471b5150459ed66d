import { awscdk, typescript } from 'projen';

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
   * with `memoryMiB`.
   *
   * @default - 256 for Node.js; 512 for Spring Boot, whose JVM start-up on a
   * quarter vCPU is slow enough to fail health checks
   * @featured
   */
  readonly cpu?: number;

  /**
   * Memory of one task in MiB. Must form a valid Fargate size with `cpu`.
   *
   * @default - 512 for Node.js; 1024 for Spring Boot, which leaves the JVM heap
   * room for Spring's start-up
   * @featured
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
   * The branch whose pushes run the pipeline.
   *
   * @default "main"
   */
  readonly sourceBranch?: string;

  /**
   * The Java release the Spring Boot app is compiled for and runs on: 17, 21 or 25.
   *
   * The image build starts the app once (a training run) and keeps what the JVM loaded, so each task starts
   * faster: an AppCDS archive on 17 and 21, the AOT cache on 25, which also keeps linked classes and method
   * profiles. The health-check grace period and the container's start period are four times the skeleton's
   * start measured with that cache on half a vCPU (bench/RESULTS.md), since a task still starting must not be
   * replaced; a missing or mismatched cache only makes the JVM start without it.
   *
   * @default 21
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
  readonly stages: string[];
  readonly codeStarTransform: boolean;
  readonly source: SourceSettings;
}

/** Where the pipeline reads the service's source. */
export interface SourceSettings {
  /** The branch whose pushes run the pipeline. */
  readonly branch: string;
  /** CodeConnections connection ARN; absent for a CodeCommit repository the toolchain creates. */
  readonly connectionArn?: string;
  /** `owner/name` of the connected repository. */
  readonly repository?: string;
}

/** The task size a runtime starts well with. */
export interface TaskSizeDefaults {
  readonly cpu: number;
  readonly memoryMiB: number;
}
