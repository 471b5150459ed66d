/**
 * What a team adds to the Spring Boot app's Maven build besides dependencies. Structured options rather than a
 * team-owned pom.xml: the pom stays managed, so a release of this package can still move every service to a newer
 * Spring Boot on synth (DESIGN.md, "One source of truth").
 */

/** A Maven build plugin the app's pom.xml adds (Flyway, JaCoCo, Spotless, ...). */
export interface MavenPlugin {
  /**
   * The plugin as `groupId/artifactId@version`, e.g. `org.jacoco/jacoco-maven-plugin@0.8.14`; without `@version`
   * when Spring Boot's parent POM manages the plugin (e.g. `org.flywaydb/flyway-maven-plugin`).
   */
  readonly coordinates: string;

  /**
   * The plugin's `<configuration>`, as element names to values (nested objects become nested elements, arrays
   * repeat the element), e.g. `{ java: { googleJavaFormat: {} } }` for Spotless.
   *
   * @default - the plugin's own defaults
   */
  readonly configuration?: { [element: string]: any };

  /**
   * Goals the plugin runs in the build, e.g. JaCoCo's `prepare-agent` and `report`.
   *
   * @default - none: the plugin runs only when called by name (`./mvnw flyway:migrate`)
   */
  readonly executions?: MavenPluginExecution[];

  /**
   * Dependencies of the plugin itself, as Maven coordinates `groupId/artifactId@version` (e.g. a JDBC driver for
   * Flyway's plugin).
   *
   * @default - none
   */
  readonly dependencies?: string[];
}

/** One `<execution>` of a Maven plugin. */
export interface MavenPluginExecution {
  /** The execution's id, unique within the plugin, e.g. `report`. */
  readonly id: string;

  /** The plugin goals it runs, e.g. `["report"]`. */
  readonly goals: string[];

  /**
   * The lifecycle phase it runs in, e.g. `verify`.
   *
   * @default - the phase each goal declares
   */
  readonly phase?: string;
}
