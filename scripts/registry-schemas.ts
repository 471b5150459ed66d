import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A CloudFormation registry schema: handlers, createOnlyProperties, properties, ... */
export type RegistrySchema = Record<string, any>;

let schemasFolder: string | undefined;

/** cfn-lint's bundled copy of the CloudFormation registry schemas, found through the Python that runs it (the project's venv). */
function schemaFolder(): string {
  if (schemasFolder === undefined) {
    const located = spawnSync('python3', ['-c', 'import cfnlint,os;print(os.path.dirname(cfnlint.__file__))'], { encoding: 'utf-8' });
    if (located.status !== 0) {
      throw new Error(`cfn-lint is not installed (pip install -r requirements-dev.txt): ${located.stderr}`);
    }
    schemasFolder = path.join(located.stdout.trim(), 'data', 'schemas');
  }
  return schemasFolder;
}

/**
 * The schemas of one region (`providers/<region>.json` maps a type to `resources/<hash>.json`): a reader that gives a
 * type's schema, or undefined for a type the region does not have, so each caller says what that means for it.
 */
export function registrySchemas(region: string): (type: string) => RegistrySchema | undefined {
  const folder = schemaFolder();
  const provider: Record<string, string> = JSON.parse(fs.readFileSync(path.join(folder, 'providers', `${region}.json`), 'utf-8'));
  return (type: string) => (provider[type] === undefined
    ? undefined
    : JSON.parse(fs.readFileSync(path.join(folder, 'resources', `${provider[type]}.json`), 'utf-8')));
}
