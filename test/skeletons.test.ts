import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { AppRuntime } from '../src';
import { synthService } from './helpers';

describe('the skeletons\' shutdown', () => {
  it.each([
    ['node', 'app/src/server.ts', /ECS stops a task (\d+) s after SIGTERM/, /SHUTDOWN_TIMEOUT_MS = (\d+)_000;/],
    ['spring-boot', 'app/src/main/resources/application.yml', /ECS stops a task (\d+) s after SIGTERM/, /timeout-per-shutdown-phase: (\d+)s/],
  ])('of a %s service names template.yml\'s StopTimeout and finishes well inside it (%s)', (appRuntime, file, stopComment, shutdownSetting) => {
    const files = synthService({ appRuntime: appRuntime as AppRuntime });
    const stopTimeout = YAML.parse(files['template.yml']).Resources.TaskDefinition.Properties.ContainerDefinitions[0].StopTimeout;
    const source: string = files[file];
    expect(Number(stopComment.exec(source)?.[1])).toBe(stopTimeout);
    // Room for the JVM or Node to exit after the last request, before SIGKILL.
    expect(Number(shutdownSetting.exec(source)?.[1])).toBeLessThanOrEqual(stopTimeout - 10);
    expect(source).not.toMatch(/\{\{\w+\}\}/);
  });
});

describe('the security guide\'s names', () => {
  it('names the ECS service as template.yml does: `<service>` in the cluster `<service>-<stage>`', () => {
    const template = YAML.parse(synthService()['template.yml']);
    const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'security.md'), 'utf-8').replace(/\s+/g, ' ');
    expect(template.Resources.Service.Properties.ServiceName).toBe('orders-api');
    expect(template.Resources.Cluster.Properties.ClusterName).toEqual({ 'Fn::Sub': 'orders-api-${Stage}' });
    expect(readme).toContain('the ECS service `<service>` in that cluster');
    expect(readme).not.toMatch(/cluster, service,? and load balancer (named )?`<service>-<stage>`/);
  });
});
