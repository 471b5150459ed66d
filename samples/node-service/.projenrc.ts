import { AppRuntime, CodeStarFargateProject } from 'projen-codestar-fargate';
const project = new CodeStarFargateProject({
  appRuntime: AppRuntime.NODE,
  defaultReleaseBranch: 'main',
  devDeps: ['projen-codestar-fargate'],
  name: 'node-service',
});
project.synth();
