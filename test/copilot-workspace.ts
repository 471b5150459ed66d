import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CopilotImport, importCopilotManifest } from '../src/importers/copilot';

/** The manifest's path in a Copilot workspace, as a team passes it to --copilot-manifest. */
export const MANIFEST = 'copilot/api/manifest.yml';

/** A folder holding a Copilot workspace: `files` by path, the service manifest at copilot/api/manifest.yml. */
export function copilotWorkspace(manifest: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-copilot-'));
  for (const [file, contents] of Object.entries({ [MANIFEST]: manifest, ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), contents);
  }
  return dir;
}

/** The import of `manifest` in a workspace of its own. */
export function imported(manifest: string, files: Record<string, string> = {}, given: { platformName?: string } = {}): CopilotImport {
  return importCopilotManifest(MANIFEST, copilotWorkspace(manifest, files), given);
}

/** The import's unsupported fields with their lines, `field @line`, the way projen new lists them. */
export function notAppliedFields(result: CopilotImport): string[] {
  return result.notApplied.map((entry) => `${entry.field} @${entry.where.split(':').pop()}`);
}

/** A Load Balanced Web Service manifest: the lines given, after name and type. */
export function service(...lines: string[]): string {
  return ['name: api', 'type: Load Balanced Web Service', ...lines, ''].join('\n');
}

/** What an import always sets for a manifest that builds ./Dockerfile and names its health check path. */
export const CONTAINER = { appRuntime: 'container', dockerfilePath: 'Dockerfile', dockerBuildContext: '.' };
