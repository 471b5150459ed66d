import * as fs from 'fs';
import { assetPath } from '../assets';

/**
 * A stage guard command that runs one of assets/toolchain's template checks in the prepare step only: the check and
 * the loader it shares with the others (cfn_template.py) are written into a folder of their own, so it imports it.
 */
export function templateCheckCommand(script: string, args: string[]): string {
  const file = (name: string, marker: string) => [
    `  cat > "$checks/${name}" <<'${marker}'`,
    fs.readFileSync(assetPath('toolchain', name), 'utf-8').trimEnd(),
    marker,
  ];
  return [
    'if [ "${STAGE_GUARD_STEP:-}" = prepare ]; then',
    '  checks="$(mktemp -d)"',
    ...file('cfn_template.py', 'CFN_TEMPLATE'),
    ...file(script, 'TEMPLATE_CHECK'),
    `  python3 "$checks/${script}" ${args.map((arg) => `"$CODEBUILD_SRC_DIR/${arg}"`).join(' ')}`,
    'fi',
  ].join('\n');
}
