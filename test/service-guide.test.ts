import * as fs from 'fs';
import * as path from 'path';
import { AppRuntime, CodeStarFargateProject } from '../src';
import { serviceOptions, synthService } from './helpers';

describe('the service guide (docs/service.md)', () => {
  it('states the port, health path, stages, runtime, Java release and source the options set', () => {
    const guide: string = synthService({
      appRuntime: AppRuntime.SPRING_BOOT,
      javaVersion: 17,
      containerPort: 9321,
      healthCheckPath: '/ready',
      stages: ['test', 'staging', 'prod'],
      sourceConnectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
      sourceRepository: 'acme/orders-api',
      sourceBranch: 'trunk',
    })['docs/service.md'];
    expect(guide).toMatch(/^<!-- Managed by projen-codestar-fargate/);
    expect(guide).toContain('| runtime | Spring Boot 4.0.7 on Java 17 |');
    expect(guide).toContain('a JDK 17 or newer');
    expect(guide).toContain('| container port | 9321 |');
    expect(guide).toContain('| health check path | `/ready` |');
    expect(guide).toContain('`test`, then `staging`, then manual approval, then `prod`');
    expect(guide).toContain('`acme/orders-api`, branch `trunk`, through the CodeConnections connection');
    expect(guide).toContain('npx projen app:start    # start the built app on http://localhost:9321');
    expect(guide).toContain('curl http://localhost:9321/ready');
    expect(guide).toContain('every push to `trunk` runs the');
  });

  it('names the CodeCommit repository the toolchain creates when no connection is given', () => {
    const guide: string = synthService()['docs/service.md'];
    expect(guide).toContain('| runtime | Node.js 24 with Fastify 5 |');
    expect(guide).toContain('To work on it locally you need Node.js 24 or newer.');
    expect(guide).toContain('the CodeCommit repository `orders-api` the toolchain creates, branch `main`');
    expect(guide).toContain('`dev`, then manual approval, then `production`');
  });

  it('follows a port and stage change on the next synth while README.md, the team\'s, keeps its text', () => {
    const options = serviceOptions();
    process.env.PROJEN_DISABLE_POST = 'true';
    try {
      new CodeStarFargateProject(options).synth();
      const readme = path.join(options.outdir!, 'README.md');
      expect(fs.readFileSync(readme, 'utf-8')).toContain('[docs/service.md](docs/service.md)');
      fs.appendFileSync(readme, 'Owned by the orders team.\n');
      const readmeBefore = fs.readFileSync(readme, 'utf-8');

      new CodeStarFargateProject({ ...options, containerPort: 7000, stages: ['dev', 'qa', 'prod'] }).synth();

      const guide = fs.readFileSync(path.join(options.outdir!, 'docs', 'service.md'), 'utf-8');
      expect(guide).toContain('| container port | 7000 |');
      expect(guide).not.toContain('8080');
      expect(guide).toContain('`dev`, then `qa`, then manual approval, then `prod`');
      expect(fs.readFileSync(readme, 'utf-8')).toBe(readmeBefore);
      // Managed, so an edit by hand fails loudly instead of being lost on the next synth.
      // eslint-disable-next-line no-bitwise
      expect(fs.statSync(path.join(options.outdir!, 'docs', 'service.md')).mode & 0o222).toBe(0);
    } finally {
      delete process.env.PROJEN_DISABLE_POST;
    }
  });
});
