import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CodeStarFargatePipeline } from '../src';
import { loadToolchainModule, synthService } from './helpers';

const CROSS_ACCOUNT = {
  stageOptions: [
    { name: 'dev' },
    {
      name: 'production',
      account: '222222222222',
      region: 'us-east-1',
      network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetIds: ['subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'] },
    },
  ],
};

describe('npx projen deploy', () => {
  const files = synthService(CROSS_ACCOUNT);
  const deploy = files['.projen/tasks.json'].tasks.deploy;

  it('deploys every stack of a cross-account toolchain app, the stage\'s own stacks included, with cdk deploy --all', () => {
    expect(deploy.steps).toEqual([{ execArgs: ['cdk', 'deploy', '--all'], receiveArgs: true }]);
    // infra/main.ts as docs/security.md tells a team with a stage elsewhere to write it: the toolchain stack with an env.
    const { serviceName, toolchainProps } = loadToolchainModule(files['infra/toolchain.generated.ts']);
    const app = new App();
    const stack = new Stack(app, `${serviceName}-toolchain`, { env: { account: '111111111111', region: 'eu-west-1' } });
    new CodeStarFargatePipeline(stack, 'Pipeline', toolchainProps(stack));
    const stacks = app.synth().stacks.map((synthesized: any) => synthesized.stackName).sort();
    // Without --all, cdk deploy refuses an app of more than one stack and asks which to deploy.
    expect(stacks.length).toBeGreaterThan(1);
    expect(stacks).toEqual(expect.arrayContaining(['orders-api-toolchain', 'orders-api-production-access']));
  });

  it('is what the docs say it runs', () => {
    const docs = ['docs/first-deploy.md', 'docs/security.md'].map(file => fs.readFileSync(path.join(__dirname, '..', file), 'utf-8')).join('\n');
    expect(docs).toContain('`npx projen deploy` runs `cdk deploy --all`');
  });
});

describe('the root tasks of a service', () => {
  const files = synthService();
  const tasks = files['.projen/tasks.json'].tasks;

  it.each(['watch', 'clobber'])('has no %s task, which would change the toolchain around CloudFormation or discard uncommitted work', (name) => {
    expect(tasks[name]).toBeUndefined();
    expect(JSON.stringify(tasks)).not.toMatch(/--hotswap|git reset --hard|git clean -fdx/);
  });

  it('installs no jest and runs no test with --updateSnapshot while the root has no tests', () => {
    expect(Object.keys(files['package.json'].devDependencies)).not.toEqual(expect.arrayContaining(['jest']));
    expect(Object.keys(files['package.json'].devDependencies).filter(dep => /jest/.test(dep))).toEqual([]);
    expect(JSON.stringify(tasks.test ?? {})).not.toContain('jest');
  });

  it('runs a team\'s toolchain tests with jest: true, failing on a changed snapshot instead of rewriting it', () => {
    const test = synthService({ jest: true })['.projen/tasks.json'].tasks.test;
    const jest = test.steps.find((step: any) => step.execArgs?.[0] === 'jest');
    expect(jest.execArgs).not.toContain('--updateSnapshot');
    expect(jest.execArgs).toContain('--ci');
  });

  it('pins projen to the release this package was tested with and its patches, not "*"', () => {
    const tested = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8')).devDependencies.projen;
    expect(tested).toMatch(/^\d+\.\d+\.\d+$/);
    expect(files['package.json'].devDependencies.projen).toBe(`~${tested}`);
  });
});

describe('npx projen destroy', () => {
  const tasks = synthService(CROSS_ACCOUNT)['.projen/tasks.json'].tasks;

  it('checks that no stage stack is left before it runs cdk destroy --all on every stack of the toolchain app', () => {
    expect(tasks.destroy.steps).toEqual([
      { exec: 'node --require ts-node/register/transpile-only scripts/day-two/cli.ts destroy-guard' },
      { execArgs: ['cdk', 'destroy', '--all'], receiveArgs: true },
    ]);
  });
});
