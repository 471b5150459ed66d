// Managed by projen-codestar-fargate: edit .projenrc.ts instead.
/** The values this service shares with its Dockerfile, task definition and load balancer. */
export const service = {
  serviceName: "node-service",
  containerPort: 8080,
  healthCheckPath: "/health",
} as const;