import * as fs from 'fs';
import * as path from 'path';

/** The `assets/` folder shipped with this package (beside `lib/` and `src/`). */
export const ASSETS_DIR = path.join(__dirname, '..', 'assets');

/** Absolute path of a file under `assets/`. */
export function assetPath(...parts: string[]): string {
  return path.join(ASSETS_DIR, ...parts);
}

/**
 * Reads an asset and replaces each `{{name}}` with `values[name]`. Throws on a
 * token without a value, so a renamed placeholder cannot ship unreplaced.
 */
export function renderAsset(relativePath: string, values: Record<string, string | number>): string {
  const text = fs.readFileSync(assetPath(relativePath), 'utf-8');
  return text.replace(/\{\{(\w+)\}\}/g, (token, name: string) => {
    if (!(name in values)) {
      throw new Error(`asset ${relativePath} uses ${token}, which has no value`);
    }
    return String(values[name]);
  });
}
