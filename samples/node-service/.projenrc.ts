import { AppRuntime, CodeStarFargateProject } from 'projen-codestar-fargate';
const project = new CodeStarFargateProject({
  appRuntime: AppRuntime.NODE,
  defaultReleaseBranch: 'main',
  devDeps: ['projen-codestar-fargate@^0.0.0'],
  name: 'node-service',
});
project.synth();
