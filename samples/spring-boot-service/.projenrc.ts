import { AppRuntime, CodeStarFargateProject } from 'projen-codestar-fargate';
const project = new CodeStarFargateProject({
  appRuntime: AppRuntime.SPRING_BOOT,
  defaultReleaseBranch: 'main',
  devDeps: ['projen-codestar-fargate@^0.0.0'],
  name: 'spring-boot-service',
});
project.synth();
