#!/usr/bin/env bash
# Managed by projen-codestar-fargate: edit .projenrc.ts instead.
# The build's checks that the commit is what .projenrc.ts makes and what the deployed toolchain runs (buildspec.yml):
#   managed-files       synthesizes .projenrc.ts (npx projen --no-post) and fails naming each managed file that changed
#   toolchain-settings  fails naming each toolchain setting the deployed toolchain ({{deployedVariable}}) does not have yet;
#                       in a pull request's check (PULL_REQUEST_CHECK=true) it names them and passes
# Neither needs git: a pipeline's source artifact is a zip without .git.
set -euo pipefail

# The managed files of the root and of every subproject (the app), from projen's manifests, and the package.json
# projen writes beside each manifest but does not list.
managed_files() {
  node -e '
    const fs = require("fs");
    const path = require("path");
    for (const manifest of process.argv.slice(1).filter((file) => fs.existsSync(file))) {
      const dir = path.dirname(path.dirname(manifest));
      for (const file of [...JSON.parse(fs.readFileSync(manifest, "utf-8")).files, "package.json"]) {
        console.log(path.join(dir, file));
      }
    }' .projen/files.json ./*/.projen/files.json | sort -u
}

# "<sha256>  <path>" for each path read, "absent  <path>" for one that does not exist.
fingerprint() {
  while IFS= read -r file; do
    if [ -f "$file" ]; then sha256sum "$file"; else printf 'absent  %s\n' "$file"; fi
  done
}

check_managed_files() {
  local work
  work="$(mktemp -d)"
  managed_files > "$work/before.list"
  fingerprint < "$work/before.list" > "$work/before.sums"
  # --no-post: synthesize only; installing is npm ci's job, from the committed lock file.
  if ! npx projen --no-post > "$work/synth.log" 2>&1; then
    cat "$work/synth.log"
    echo ".projenrc.ts did not synthesize (above): run npx projen locally, fix what it says and commit." >&2
    exit 1
  fi
  managed_files | sort -u - "$work/before.list" | fingerprint > "$work/after.sums"
  local changed
  # A path whose line after the synth is not among the lines before: changed, written anew or deleted; named in path order, not hash order.
  changed="$(sort "$work/before.sums" | comm -13 - <(sort "$work/after.sums") | sed -E 's/^[^ ]+  //' | sort)"
  if [ -n "$changed" ]; then
    echo "These managed files are not what .projenrc.ts makes of them (edited by hand, or .projenrc.ts changed without a synth):" >&2
    while IFS= read -r file; do printf '  %s\n' "$file" >&2; done <<< "$changed"
    echo "Run npx projen locally and commit what it changes; change managed files through .projenrc.ts, never by hand." >&2
    exit 1
  fi
  echo "Every managed file is what .projenrc.ts makes of it."
}

check_toolchain_settings() {
  # shellcheck disable=SC2016 # JavaScript's template literals, not the shell's.
  node -e '
    const crypto = require("crypto");
    const fs = require("fs");
    const [file, variable] = process.argv.slice(1);
    const committed = JSON.parse(fs.readFileSync(file, "utf-8"));
    delete committed["//"];
    // A pull request is checked before it is merged, and an admin deploys the toolchain after: it hears what waits.
    const pullRequest = process.env.PULL_REQUEST_CHECK === "true";
    const stop = (lines) => {
      if (pullRequest) {
        console.log(["Once this pull request is merged, its builds will wait for a toolchain deploy:", ...lines].join("\n"));
        process.exit(0);
      }
      console.error(lines.join("\n"));
      process.exit(1);
    };
    if (!process.env[variable]) {
      stop([`The deployed toolchain does not say which settings it runs (${variable} is not set: it was deployed by an earlier release of projen-codestar-fargate). An admin runs npx projen deploy from this commit once; then release the change again.`]);
    }
    const deployed = JSON.parse(process.env[variable]);
    const digest = (value) => crypto.createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
    const waiting = Object.entries(committed)
      .filter(([name, value]) => deployed[name] !== digest(value))
      .map(([name, value]) => `  ${name}: ${value === null ? "not set (the default)" : JSON.stringify(value)}${name in deployed ? "" : " (new)"}`);
    waiting.push(...Object.keys(deployed).filter((name) => !(name in committed)).map((name) => `  ${name}: no longer in .projenrc.ts`));
    if (waiting.length > 0) {
      stop(["These settings of .projenrc.ts take effect only when an admin deploys the toolchain, and the deployed toolchain has other values:", ...waiting,
        "The toolchain holds them, and no commit changes the pipeline that guards production (approval, roles, permissions boundaries) on its own: an admin runs npx projen deploy from this commit, then releases the change again (docs/service.md, \"Settings that wait for a toolchain deploy\").",
      ]);
    }
    console.log("The deployed toolchain runs every toolchain setting this commit has.");
  ' "{{settingsFile}}" "{{deployedVariable}}"
}

case "${1:-}" in
  managed-files) check_managed_files ;;
  toolchain-settings) check_toolchain_settings ;;
  *) echo "usage: $0 managed-files|toolchain-settings" >&2; exit 2 ;;
esac
