import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogLevel } from 'projen';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps, CodeStarFargateProject, CodeStarFargateProjectOptions, PipelineSource } from '../src';
import { serviceOptions } from './helpers';
import { stagesNamedBy } from '../src/shared-settings';

/** Shared settings reach dev as well as production (issue 24.7): synth says so when one looks like a stage's. */

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const readBucket = (bucket: string) => new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${bucket}/*`] });

function pipelineWarnings(props: Partial<CodeStarFargatePipelineProps>): string[] {
  const stack = new Stack(new App(), 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Pipeline', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api' }),
    ...props,
  });
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(warning => String(warning.entry.data))
    .filter(warning => warning.includes('looks like stage'));
}

function projectWarnings(options: Partial<CodeStarFargateProjectOptions>): string[] {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    // projen logs nothing in tests unless asked.
    new CodeStarFargateProject(serviceOptions({ ...options, logging: { level: LogLevel.WARN } }));
    return errors.mock.calls.map(call => call.join(' ')).filter(line => line.includes('looks like stage'));
  } finally {
    errors.mockRestore();
  }
}

describe('a stage name inside a resource name', () => {
  it.each<[string, string[]]>([
    ['arn:aws:s3:::orders-production-data/*', ['production']],
    ['orders/Production/db', ['production']],
    ['/orders/dev/db-password', ['dev']],
    ['arn:aws:s3:::orders-devices/*', []],
    ['arn:aws:s3:::orders-prod/*', ['prod']],
    ['orders/products', []],
  ])('finds in %s the stages %j, as whole words only', (value, stages) => {
    expect(stagesNamedBy(value, ['dev', 'prod', 'production'])).toEqual(stages);
  });
});

describe('the pipeline\'s shared taskPermissions', () => {
  it('warn when one names a resource that looks like production\'s: dev\'s boundary gets it too', () => {
    expect(pipelineWarnings({ taskPermissions: [readBucket('orders-production-data')] })).toEqual([
      'taskPermissions[0] names "arn:aws:s3:::orders-production-data/*", which looks like stage "production"\'s, and the pipeline\'s taskPermissions go into every stage\'s boundary: stage "dev" may use it too; give it in that stage\'s own taskPermissions instead (docs/security.md). [ack: projen-codestar-fargate:shared-setting-names-a-stage]',
    ]);
  });

  it('do not warn for a resource of no stage, nor for the same permission given per stage', () => {
    expect(pipelineWarnings({ taskPermissions: [readBucket('orders-shared-assets')] })).toEqual([]);
    expect(pipelineWarnings({
      stages: [
        { name: 'dev', taskPermissions: [readBucket('orders-dev-data')] },
        { name: 'production', taskPermissions: [readBucket('orders-production-data')] },
      ],
    })).toEqual([]);
  });
});

describe('a stage\'s own settings', () => {
  it('warn when dev\'s taskPermissions or secrets name production\'s resources', () => {
    expect(pipelineWarnings({
      stages: [
        { name: 'dev', taskPermissions: [readBucket('orders-production-data')], secrets: { DB_PASSWORD: { secretsManager: 'orders/production/db' } } },
        { name: 'production' },
      ],
    })).toEqual([
      expect.stringContaining('stages[0].taskPermissions[0] names "arn:aws:s3:::orders-production-data/*", which looks like stage "production"\'s, and stage "dev" would reach it.'),
      expect.stringContaining('stages[0].secrets.DB_PASSWORD names "orders/production/db", which looks like stage "production"\'s, and stage "dev" would reach it.'),
    ]);
  });
});

describe('the project\'s shared secrets', () => {
  it('warn at synth when one looks like production\'s and dev receives it', () => {
    expect(projectWarnings({ secrets: { DB_PASSWORD: { secretsManager: 'orders/production/db' } } })).toEqual([
      expect.stringContaining('secrets.DB_PASSWORD "orders/production/db" looks like stage "production"\'s, and the project\'s secrets reach every stage: stage "dev" can read it too; give it in that stage\'s own settings instead'),
    ]);
  });

  it('do not warn when every other stage gives its own secret under that name, or the secrets are given per stage', () => {
    expect(projectWarnings({
      secrets: { DB_PASSWORD: { secretsManager: 'orders/production/db' } },
      stageOptions: [{ name: 'dev', secrets: { DB_PASSWORD: { secretsManager: 'orders/dev/db' } } }, { name: 'production' }],
    })).toEqual([]);
    expect(projectWarnings({
      stageOptions: [
        { name: 'dev', secrets: { DB_PASSWORD: { secretsManager: 'orders/dev/db' } } },
        { name: 'production', secrets: { DB_PASSWORD: { secretsManager: 'orders/production/db' } } },
      ],
    })).toEqual([]);
  });

  it('warn when dev\'s own secret looks like production\'s', () => {
    expect(projectWarnings({ stageOptions: [{ name: 'dev', secrets: { DB_PASSWORD: { ssmParameter: '/orders/production/db-password' } } }, { name: 'production' }] }))
      .toEqual([expect.stringContaining('stageOptions[0].secrets.DB_PASSWORD "/orders/production/db-password" looks like stage "production"\'s, and stage "dev" would read it.')]);
  });
});
