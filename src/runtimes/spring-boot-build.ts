import { DependencyType, JsonPatch, ObjectFile, Project } from 'projen';
import { MavenPlugin } from '../app-build-options';
import { OptionError } from '../errors';

/** What a team adds to the Spring Boot app's managed pom.xml besides runtime dependencies (see app-build-options.ts). */
export interface SpringBootBuildOptions {
  readonly appDevDeps?: string[];
  readonly mavenPlugins?: MavenPlugin[];
  readonly mavenBoms?: string[];
  readonly annotationProcessors?: string[];
}

/** `groupId/artifactId`, with an optional `@version`. */
export const MAVEN_COORDINATES = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(@[^\s@/]+)?$/;
/** A BOM is imported at one exact version: Maven resolves no range in an import. */
const VERSIONED_COORDINATES = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+$/;
const GOAL = /^[a-z][A-Za-z0-9-]*$/;
const EXECUTION_ID = /^[A-Za-z0-9_.-]+$/;
/** Maven's default lifecycle and the clean and site ones (maven.apache.org/ref/current/maven-core/lifecycles.html). */
const LIFECYCLE_PHASES = [
  'pre-clean', 'clean', 'post-clean',
  'validate', 'initialize', 'generate-sources', 'process-sources', 'generate-resources', 'process-resources', 'compile',
  'process-classes', 'generate-test-sources', 'process-test-sources', 'generate-test-resources', 'process-test-resources',
  'test-compile', 'process-test-classes', 'test', 'prepare-package', 'package', 'pre-integration-test', 'integration-test',
  'post-integration-test', 'verify', 'install', 'deploy',
  'pre-site', 'site', 'post-site', 'site-deploy',
];

const COORDINATES_HINT = 'give Maven coordinates as "groupId/artifactId@version", e.g. "org.postgresql/postgresql@42.7.4", or without "@version" when Spring Boot manages the version';

/** Throws, naming the option and the value, on an entry that is not Maven coordinates. */
export function validateMavenCoordinates(option: string, deps: unknown): void {
  if (deps === undefined) return;
  if (!Array.isArray(deps)) {
    throw new OptionError(`${option} ${JSON.stringify(deps)} is not allowed: give a list of Maven coordinates.`);
  }
  for (const dep of deps) {
    if (typeof dep !== 'string' || !MAVEN_COORDINATES.test(dep)) {
      throw new OptionError(`${option}: ${JSON.stringify(dep)} is not allowed with appRuntime "spring-boot": ${COORDINATES_HINT}.`);
    }
  }
}

/** Checks every build option before anything is written. */
export function validateSpringBootBuild(options: SpringBootBuildOptions): void {
  validateMavenCoordinates('appDevDeps', options.appDevDeps);
  validateMavenCoordinates('annotationProcessors', options.annotationProcessors);
  if (options.mavenBoms !== undefined) {
    if (!Array.isArray(options.mavenBoms)) {
      throw new OptionError(`mavenBoms ${JSON.stringify(options.mavenBoms)} is not allowed: give a list of "groupId/artifactId@version".`);
    }
    for (const bom of options.mavenBoms) {
      if (typeof bom !== 'string' || !VERSIONED_COORDINATES.test(bom)) {
        throw new OptionError(`mavenBoms: ${JSON.stringify(bom)} is not allowed: give a BOM as "groupId/artifactId@version" with one exact version (Maven imports no range), e.g. "software.amazon.awssdk/bom@2.31.50".`);
      }
    }
  }
  if (options.mavenPlugins !== undefined && !Array.isArray(options.mavenPlugins)) {
    throw new OptionError(`mavenPlugins ${JSON.stringify(options.mavenPlugins)} is not allowed: give a list of { coordinates, configuration?, executions?, dependencies? }.`);
  }
  for (const [index, plugin] of (options.mavenPlugins ?? []).entries()) {
    validatePlugin(`mavenPlugins[${index}]`, plugin);
  }
}

function validatePlugin(where: string, plugin: MavenPlugin): void {
  if (typeof plugin !== 'object' || plugin === null || typeof plugin.coordinates !== 'string' || !MAVEN_COORDINATES.test(plugin.coordinates)) {
    const value = typeof plugin === 'object' && plugin !== null ? plugin.coordinates : plugin;
    throw new OptionError(`${where}.coordinates ${JSON.stringify(value)} is not allowed: give the plugin as "groupId/artifactId@version", e.g. "org.jacoco/jacoco-maven-plugin@0.8.14", or without "@version" when Spring Boot's parent manages it.`);
  }
  const named = `${where} (${plugin.coordinates})`;
  if (plugin.configuration !== undefined && (typeof plugin.configuration !== 'object' || plugin.configuration === null || Array.isArray(plugin.configuration))) {
    throw new OptionError(`${named}.configuration ${JSON.stringify(plugin.configuration)} is not allowed: give an object of element names to values, e.g. { "java": { "googleJavaFormat": {} } }.`);
  }
  validateMavenCoordinates(`${named}.dependencies`, plugin.dependencies);
  const ids = new Set<string>();
  for (const execution of plugin.executions ?? []) {
    if (typeof execution?.id !== 'string' || !EXECUTION_ID.test(execution.id) || ids.has(execution.id)) {
      throw new OptionError(`${named}.executions id ${JSON.stringify(execution?.id)} is not allowed: give each execution a unique id of letters, digits, ".", "_" or "-", e.g. "report".`);
    }
    ids.add(execution.id);
    if (!Array.isArray(execution.goals) || execution.goals.length === 0 || execution.goals.some((goal) => typeof goal !== 'string' || !GOAL.test(goal))) {
      throw new OptionError(`${named}.executions "${execution.id}" goals ${JSON.stringify(execution.goals)} is not allowed: give one or more goal names of the plugin, e.g. ["prepare-agent"].`);
    }
    if (execution.phase !== undefined && !LIFECYCLE_PHASES.includes(execution.phase)) {
      throw new OptionError(`${named}.executions "${execution.id}" phase ${JSON.stringify(execution.phase)} is not allowed: use a Maven lifecycle phase, one of ${LIFECYCLE_PHASES.join(', ')}.`);
    }
  }
}

/** `groupId/artifactId@version` as the elements of pom.xml. */
export function coordinatesOf(spec: string): { groupId: string; artifactId: string; version?: string } {
  const [name, version] = spec.split('@');
  const [groupId, artifactId] = name.split('/');
  return { groupId, artifactId, ...(version ? { version } : {}) };
}

/** Adds the options' test dependencies, plugins, BOMs and annotation processors to the app's pom.xml. */
export function addSpringBootBuild(app: Project, pomFile: ObjectFile, options: SpringBootBuildOptions): void {
  addTestDependencies(app, options.appDevDeps ?? []);
  for (const plugin of options.mavenPlugins ?? []) {
    app.deps.addDependency(plugin.coordinates, DependencyType.BUILD, {
      configuration: plugin.configuration,
      dependencies: plugin.dependencies,
      executions: plugin.executions?.map((execution) => ({ id: execution.id, goals: execution.goals, phase: execution.phase })),
    });
  }
  const boms = options.mavenBoms ?? [];
  if (boms.length > 0) {
    pomFile.addOverride('project.dependencyManagement.dependencies.dependency',
      boms.map((bom) => ({ ...coordinatesOf(bom), type: 'pom', scope: 'import' })));
  }
  const processors = options.annotationProcessors ?? [];
  if (processors.length > 0) {
    // Since JDK 23 javac runs no processor it finds on the class path by itself; the compiler plugin's path names them.
    app.deps.addDependency('org.apache.maven.plugins/maven-compiler-plugin', DependencyType.BUILD, {
      configuration: {
        annotationProcessorPaths: { path: processors.map(coordinatesOf) },
        // A processor without a version takes the one Spring Boot's dependency management gives it.
        annotationProcessorPathsUseDepMgmt: true,
      },
    });
    for (const processor of processors) {
      // On the compile class path (Lombok's annotations) but not in the jar: projen's Pom has no provided scope.
      pomFile.patch(JsonPatch.add('/project/dependencies/dependency/-', { ...coordinatesOf(processor), scope: 'provided' }));
    }
  }
}

/** Adds Maven test-scope dependencies, checked first. */
export function addTestDependencies(app: Project, deps: string[]): void {
  validateMavenCoordinates('appDevDeps', deps);
  for (const dep of deps) {
    app.deps.addDependency(dep, DependencyType.TEST);
  }
}
