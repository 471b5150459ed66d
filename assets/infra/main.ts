// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { createToolchain } from './toolchain.generated';

// The app with its checks (cdk-nag, CloudFormation validation), the stack and the pipeline come from the managed
// toolchain.generated.ts, so a new release of projen-codestar-fargate reaches them on the next `npx projen`.
const { app, stack } = createToolchain();

// Add your own constructs to `stack` here, e.g. new Topic(stack, 'Alerts').

app.synth();
