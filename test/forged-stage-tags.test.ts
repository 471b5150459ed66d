import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expiredImages, RepositoryImage } from './ecr-lifecycle-evaluator';
import { CodeStarFargatePipeline } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';

// Attacker review, finding 1: an unapproved dev build may push any new tag (ecr:PutImage has no condition key on tag
// names), including production's deployed-production-* prefix. Forged pushes must not expire what production ran.
function policyText(imageRetentionCount?: number): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'forged-')) });
  const stack = new Stack(app, 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owner: 'acme', repository: 'orders-api' }),
    stages: [{ name: 'dev', approvalRequired: false }, { name: 'production', approvalRequired: true }],
    smokeTest: false,
    imageRetentionCount,
  });
  const repository = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0];
  return repository.Properties.LifecyclePolicy.LifecyclePolicyText;
}

const image = (digest: string, pushedAt: number, ...tags: string[]): RepositoryImage => ({ digest, pushedAt, tags: new Set(tags) });
const production = [
  image('prod-1', 1, 'c1-b1', 'deployed-production-20261101T000000Z-e1', 'deployed-dev-20261031T000000Z-e1'),
  image('prod-2', 2, 'c2-b2', 'deployed-production-20261115T000000Z-e2', 'deployed-dev-20261114T000000Z-e2'),
  image('prod-3', 3, 'c3-b3', 'deployed-production-20261201T000000Z-e3', 'deployed-dev-20261130T000000Z-e3'),
];

test('forged deployed-production-* pushes from a dev build expire none of the images production ran', () => {
  const forged = Array.from({ length: 50 }, (_, n) => image(`forged-${n}`, 10 + n, `c9-b${n}`, `deployed-production-29991231T2359${String(n).padStart(2, '0')}Z-x`));
  expect([...expiredImages(policyText(), [...production, ...forged])]).toEqual([]);
});

test('forged images that lost their stage tag fall to the count rule and are expired by it', () => {
  const untagged = Array.from({ length: 5 }, (_, n) => image(`forged-${n}`, 10 + n, `c9-b${n}`));
  expect([...expiredImages(policyText(2), [...production, ...untagged])].sort()).toEqual(['forged-0', 'forged-1', 'forged-2']);
});
