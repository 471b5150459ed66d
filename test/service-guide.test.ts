import * as fs from 'fs';
import * as path from 'path';
import { AppRuntime, CodeStarFargateProject } from '../src';
import { serviceOptions, synthService } from './helpers';
import { projectTypeOptions } from '../src/command-line';

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

describe('the weekly tasks in the service guide', () => {
  const files = synthService();
  const guide: string = files['docs/service.md'];
  const weekly = guide.slice(guide.indexOf('## Weekly tasks'), guide.indexOf('## Deploying'));
  const section = (title: string) => weekly.slice(weekly.indexOf(`### ${title}`), weekly.indexOf('\n### ', weekly.indexOf(`### ${title}`) + 1));

  it('has a section with commands for each task a team does every week', () => {
    expect([...weekly.matchAll(/^### (.+)$/gm)].map(match => match[1])).toEqual([
      'Run the app locally with environment variables and secrets',
      'Add an environment variable',
      'Add a secret',
      'Add a dependency (runtime, build and test)',
      'Change CPU and memory',
      'See logs',
      'Roll back',
      'Approve a production release',
      'Add a stage',
      'Upgrade this package',
      'Decommission the service',
    ]);
    for (const title of ['Add a secret', 'Add an environment variable', 'Add a stage', 'Change CPU and memory']) {
      expect({ title, hasCommands: section(title).includes('```bash\nnpx projen ') }).toEqual({ title, hasCommands: true });
    }
  });

  it('names only tasks the service has and options the project type has', () => {
    const tasks = Object.keys(files['.projen/tasks.json'].tasks);
    const used = [...new Set([...weekly.matchAll(/npx projen ([a-z:-]+)/g)].map(match => match[1]))];
    expect(used.filter(task => !tasks.includes(task))).toEqual([]);
    const options = new Set(projectTypeOptions().map(option => option.name));
    const examples = [...weekly.matchAll(/```ts\n([\s\S]*?)```/g)].map(match => match[1]).join('\n');
    const named = [...new Set([...examples.matchAll(/^\s*(?:\/\/ )?([a-zA-Z]+): /gm)].map(match => match[1]))];
    expect(named).toEqual(expect.arrayContaining(['environment', 'secrets', 'appDeps', 'appDevDeps', 'cpu', 'stages']));
    expect(named.filter(name => !options.has(name))).toEqual([]);
  });

  it('says a secret needs the toolchain deployed before the push, and a variable does not', () => {
    const secret = section('Add a secret');
    expect(secret.indexOf('npx projen deploy')).toBeGreaterThan(0);
    expect(secret.indexOf('npx projen deploy')).toBeLessThan(secret.indexOf('git push'));
    expect(section('Add an environment variable')).not.toContain('npx projen deploy');
  });

  it('decommissions stage stacks last stage first, production\'s load balancer protection off before its stack, and the toolchain last', () => {
    const steps = section('Decommission the service').split('\n').filter(line => /^(aws|npx) /.test(line)).map(line => line.split(/\s#\s/)[0].trim());
    expect(steps.map(step => step.replace(/"\$\(.*\)"/, '<arn>'))).toEqual([
      'aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=deletion_protection.enabled,Value=false',
      'aws cloudformation delete-stack --stack-name orders-api-production',
      'aws cloudformation wait stack-delete-complete --stack-name orders-api-production',
      'aws cloudformation delete-stack --stack-name orders-api-dev',
      'aws cloudformation wait stack-delete-complete --stack-name orders-api-dev',
      'npx projen destroy',
    ]);
  });

  it('deletes a stage in another account there, and tells destroy it was', () => {
    const crossAccount = synthService({
      stageOptions: [{ name: 'dev' }, {
        name: 'prod',
        account: '222222222222',
        region: 'us-east-1',
        network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetIds: ['subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'] },
      }],
    })['docs/service.md'];
    expect(crossAccount).toContain('aws cloudformation delete-stack --region us-east-1 --stack-name orders-api-prod');
    expect(crossAccount).toContain('# needs an AWS account (with AWS_PROFILE of account 222222222222)');
    expect(crossAccount).toContain('STAGES_DELETED_ELSEWHERE=prod npx projen destroy');
  });
});
