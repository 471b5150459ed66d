// Managed by projen-codestar-fargate: edit .projenrc.ts instead.
import { Repository } from 'aws-cdk-lib/aws-codecommit';
import { Construct } from 'constructs';
import { CodeStarFargatePipelineProps, PipelineSource } from 'projen-codestar-fargate';

/** The service this toolchain builds and deploys. */
export const serviceName = "spring-boot-service";

/** The pipeline's settings from .projenrc.ts. Spread and override them in main.ts if you must. */
export function toolchainProps(scope: Construct): CodeStarFargatePipelineProps {
  return {
    serviceName,
    source: PipelineSource.codeCommit({ repository: new Repository(scope, 'Repository', { repositoryName: serviceName, description: `Source of ${serviceName}` }), branch: "main" }),
    stages: [{ name: "dev" }, { name: "production" }],
  };
}