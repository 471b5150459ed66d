// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { createPlatform } from './platform.generated';

// The app with its checks (cdk-nag, CloudFormation validation) and the platform's stacks, one per stage, come from
// the managed platform.generated.ts, so a new release of projen-codestar-fargate reaches them on the next `npx projen`.
// createPlatform() also returns `platform`: add your own constructs to its `stacks` (one per stage) here.
const { app } = createPlatform();

app.synth();
