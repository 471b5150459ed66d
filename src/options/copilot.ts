/* The option that imports a Copilot manifest at `projen new`. */

/**
 * Options for creating a service from an AWS Copilot manifest.
 */
export interface CopilotImportOptions {
  /**
   * A Copilot Load Balanced Web Service manifest, e.g. `copilot/api/manifest.yml`, relative to the folder of
   * `projen new` (`--copilot-manifest`). `projen new` writes the options it maps to into `.projenrc.ts` instead of
   * this option and lists what it does not carry over (docs/copilot.md); refused in an existing `.projenrc.ts`.
   *
   * @default - no manifest
   */
  readonly copilotManifest?: string;
}
