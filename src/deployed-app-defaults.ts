import { awscdk } from 'projen';

/**
 * What a repository that deploys a CDK app (a service, a platform) turns off in projen's AwsCdkTypeScriptApp, unless
 * the team asks: it is deployed, not published (no licence, npm packaging or release), its CI is CodePipeline or the
 * team's own (no GitHub workflows), and its code is a few lines of glue (no eslint, sample code or lambda discovery).
 */
export function deployedAppDefaults(options: Partial<awscdk.AwsCdkTypeScriptAppOptions>): Partial<awscdk.AwsCdkTypeScriptAppOptions> {
  return {
    eslint: options.eslint ?? false,
    sampleCode: false,
    github: options.github ?? false,
    licensed: options.licensed ?? false,
    npmignoreEnabled: options.npmignoreEnabled ?? false,
    release: options.release ?? false,
    lambdaAutoDiscover: false,
    edgeLambdaAutoDiscover: false,
    singletonLambdaAutoDiscover: false,
    lambdaExtensionAutoDiscover: false,
    integrationTestAutoDiscover: false,
  };
}
