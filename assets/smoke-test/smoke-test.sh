#!/usr/bin/env bash
# Your code: projen-codestar-fargate wrote this file once and never overwrites it.
# The smoke test of {{serviceName}}: the pipeline runs it after each stage's deploy with the stage's URL, and
# `npx projen smoke-test http://127.0.0.1:{{containerPort}}{{platformPath}}` runs it against the app started locally.
# A non-zero exit fails the pipeline before anyone approves the next stage. Add the routes your team relies on.
set -euo pipefail

base_url="${1:?usage: smoke-test.sh <base URL>, e.g. http://127.0.0.1:{{containerPort}}{{platformPath}}}"
base_url="${base_url%/}"
# The pipeline and the projen task pass the health path from .projenrc.ts.
health_check_path="${HEALTH_CHECK_PATH:-{{healthCheckPath}}}"
# A new deploy may answer a few seconds late; a broken route stays broken.
attempts="${SMOKE_TEST_ATTEMPTS:-5}"
delay_seconds="${SMOKE_TEST_DELAY_SECONDS:-3}"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT

# expect_ok <route> [text the body must contain]
expect_ok() {
  local route="$1" expected="${2:-}" status="" attempt
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    status="$(curl --silent --output "$body" --write-out '%{http_code}' --max-time 10 "$base_url$route" || true)"
    if [[ "$status" == 200 ]] && { [[ -z "$expected" ]] || grep -qF -- "$expected" "$body"; }; then
      echo "smoke test: GET $route answered 200"
      return 0
    fi
    if ((attempt < attempts)); then
      sleep "$delay_seconds"
    fi
  done
  if [[ "$status" == 200 ]]; then
    echo "smoke test failed: GET $base_url$route answered 200 without \"$expected\" in its body after $attempts attempts" >&2
  elif [[ -z "$status" || "$status" == 000 ]]; then
    echo "smoke test failed: GET $base_url$route got no answer (expected 200) after $attempts attempts" >&2
  else
    echo "smoke test failed: GET $base_url$route answered $status (expected 200) after $attempts attempts" >&2
  fi
  exit 1
}

expect_ok "$health_check_path"
# The skeleton's sample route; change this line when you change or remove it.
expect_ok /hello '"message"'
echo "smoke test passed: $base_url"
