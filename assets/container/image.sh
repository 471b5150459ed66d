#!/bin/sh
# Managed by projen-codestar-fargate: edit .projenrc.ts instead.
# The service's image on this machine, with docker, podman or buildah (CONTAINER_TOOL picks one when several are
# installed): `check` the tool and its engine, `build` the image, `run` it. Run through npx projen image:build / image:run.
set -e

tool="${CONTAINER_TOOL:-$(command -v docker || command -v podman || command -v buildah || true)}"
[ -n "$tool" ] || { echo "no container tool found: install docker, podman or buildah, or set CONTAINER_TOOL" >&2; exit 1; }
name="${tool##*/}"

# `info` needs the tool's engine (docker's daemon, podman's machine, buildah's storage): image:build checks it before
# the app is built, so a docker client without a daemon fails in a second instead of after the build.
check_engine() {
  if ! problem="$("$tool" info 2>&1 >/dev/null)"; then
    echo "$name is installed but cannot build or run images; \"$name info\" says: $problem" >&2
    echo "Start its engine (docker: Docker Desktop or \"sudo systemctl start docker\"; podman: \"podman machine start\")," \
      "or pick another tool with CONTAINER_TOOL=podman or CONTAINER_TOOL=buildah." >&2
    exit 1
  fi
}

# Tagged like the buildspec's image: the commit's first 12 characters, or `local` outside git.
commit="$(git rev-parse HEAD 2>/dev/null | cut -c 1-12)"
tag="{{serviceName}}:${commit:-local}"

case "$1" in
  check) check_engine ;;
  # docker, podman and buildah (1.23 and later) all take `build --tag`.
  build) exec "$tool" build --tag "$tag" {{buildSource}} ;;
  run)
    check_engine
    case "$name" in
      buildah) exists="$("$tool" inspect --type image "$tag" >/dev/null 2>&1 && echo yes || true)" ;;
      *) exists="$("$tool" image inspect "$tag" >/dev/null 2>&1 && echo yes || true)" ;;
    esac
    [ -n "$exists" ] || { echo "There is no image $tag (the current commit's) yet: run npx projen image:build first." >&2; exit 1; }
    case "$name" in
      buildah)
        # buildah runs no image command by itself and shares the host's network (no port mapping needed): a working
        # container, the image's entrypoint and command read back, removed on exit.
        command="$("$tool" inspect --type image --format '{{imageCommandFormat}}' "$tag")"
        container="$("$tool" from --pull=never "$tag")"
        trap '"$tool" rm "$container" >/dev/null' EXIT
        trap "exit 130" INT TERM
        eval "\"\$tool\" run --env PORT={{containerPort}} \"\$container\" -- $command"
        ;;
      *) exec "$tool" run --rm --pull=never --publish {{containerPort}}:{{containerPort}} --env PORT={{containerPort}} "$tag" ;;
    esac
    ;;
  *) echo "usage: sh scripts/image.sh check|build|run" >&2; exit 2 ;;
esac
