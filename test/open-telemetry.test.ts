import { spawnSync } from 'child_process';
import * as YAML from 'yaml';
import { AppRuntime, CodeStarFargateProject } from '../src';
import { serviceOptions, synthService } from './helpers';

const healthCheckOf = (files: Record<string, any>) => YAML.parse(files['template.yml']).Resources.TaskDefinition.Properties.ContainerDefinitions[0].HealthCheck.Command[1];

describe('openTelemetry', () => {
  it.each(['node', 'spring-boot'])('is off by default: the %s image, app build and ignore file have no agent', (appRuntime) => {
    const files = synthService({ appRuntime: appRuntime as AppRuntime });
    expect(files.Dockerfile).not.toMatch(/OTEL_|NODE_OPTIONS|JAVA_TOOL_OPTIONS|opentelemetry/);
    expect(JSON.stringify(files['app/package.json'] ?? files['app/pom.xml'])).not.toContain('opentelemetry');
    expect(files['.dockerignore']).not.toContain('otel');
  });

  it('starts the Node.js app with the SDK\'s auto-instrumentations through NODE_OPTIONS, which the health check clears', () => {
    const files = synthService({ openTelemetry: true });
    expect(files.Dockerfile).toContain('ENV NODE_OPTIONS="--require @opentelemetry/auto-instrumentations-node/register" OTEL_SERVICE_NAME=orders-api OTEL_METRICS_EXPORTER=otlp');
    expect(files['app/package.json'].dependencies).toHaveProperty('@opentelemetry/auto-instrumentations-node');
    expect(healthCheckOf(files)).toMatch(/^NODE_OPTIONS= node -e /);
  });

  it('starts the JVM with the Java agent the Maven build copies, before the training run so the start cache holds its classes', () => {
    const files = synthService({ appRuntime: AppRuntime.SPRING_BOOT, openTelemetry: true });
    const dockerfile: string = files.Dockerfile;
    const env = dockerfile.indexOf('ENV JAVA_TOOL_OPTIONS="-javaagent:/otel/opentelemetry-javaagent.jar" OTEL_SERVICE_NAME=orders-api OTEL_METRICS_EXPORTER=otlp');
    expect(env).toBeGreaterThan(dockerfile.indexOf('COPY app/target/otel/opentelemetry-javaagent.jar /otel/'));
    expect(env).toBeLessThan(dockerfile.indexOf('RUN timeout -k 30 300 java'));
    expect(files['.dockerignore'].split('\n')).toContain('!app/target/otel/opentelemetry-javaagent.jar');
    const pom = (files['app/pom.xml'] as string).replace(/\n\s*/g, '');
    expect(pom).toContain('<artifactId>maven-dependency-plugin</artifactId><executions><execution><id>copy-opentelemetry-javaagent</id><goals><goal>copy</goal></goals><phase>package</phase>');
    expect(pom).toContain('<artifactItem><groupId>io.opentelemetry.javaagent</groupId><artifactId>opentelemetry-javaagent</artifactId><version>2.33.1</version><destFileName>opentelemetry-javaagent.jar</destFileName></artifactItem>');
    expect(pom).toContain('<outputDirectory>${project.build.directory}/otel</outputDirectory>');
  });

  it.each(['node', 'spring-boot'])('leaves hadolint nothing to say about the %s Dockerfile with it on', (appRuntime) => {
    const dockerfile = synthService({ appRuntime: appRuntime as AppRuntime, openTelemetry: true }).Dockerfile;
    const result = spawnSync('hadolint', ['-'], { input: dockerfile, encoding: 'utf-8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
  });

  it.each(['node', 'spring-boot'])('refuses a value that is not true or false (%s)', (appRuntime) => {
    expect(() => new CodeStarFargateProject(serviceOptions({ appRuntime: appRuntime as AppRuntime, openTelemetry: 'yes' as unknown as boolean })))
      .toThrow('openTelemetry "yes" is not allowed: use true or false.');
  });
});
