#!/bin/sh
# Managed by projen-codestar-fargate: edit .projenrc.ts instead.
# Runs the app in the foreground until it ends or is stopped: sh serve.sh [--watch <path>... [--on-change <command>]] -- <command>...
# With --watch, the app starts again whenever a file under those paths changes (npx projen dev); with --on-change, the
# command runs instead and the app stays up (Spring Boot's devtools restarts it from the recompiled classes).
#
# projen runs a task in a shell of its own and passes on no signal that stops it (nor does npx to projen), so a
# server started plainly outlived a stopped `npx projen app:start` with its port bound: here a watcher stops it when
# projen, the npx that ran it or any process above them is gone. Ctrl+C and SIGTERM stop the app with SIGTERM (its graceful shutdown), and an
# app that ends on SIGINT or SIGTERM (exit 130 or 143, as Spring Boot's JVM does) has stopped as asked, not failed.
watch=
on_change=
if [ "$1" = "--watch" ]; then
  shift
  while [ "$#" -gt 0 ] && [ "$1" != "--" ] && [ "$1" != "--on-change" ]; do watch="$watch $1"; shift; done
  if [ "$1" = "--on-change" ]; then on_change="$2"; shift 2; fi
fi
[ "$1" = "--" ] && shift
[ "$#" -gt 0 ] || { echo "usage: sh serve.sh [--watch <path>... [--on-change <command>]] -- <command>..." >&2; exit 2; }

main=$$
# Every process above this one (projen's task shell, projen, npx's shell, npx, ...), as far as ps can tell: when one
# of them is gone, whoever started the task has stopped it.
watched=
pid=$PPID
while [ "$pid" -gt 1 ] 2>/dev/null; do
  watched="$watched $pid"
  pid="$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')"
done
stopping=
restarting=
# exec: $server is the app's own process, which gets the signals.
serve() { ( exec "$@" ) & server=$!; }
trap 'stopping=1; kill -TERM "$server" 2>/dev/null' INT TERM HUP
(
  while kill -0 "$main" 2>/dev/null; do
    for pid in $watched; do
      kill -0 "$pid" 2>/dev/null || { kill -TERM "$main" 2>/dev/null; exit 0; }
    done
    sleep 1
  done
) &

if [ -n "$watch" ]; then
  stamp="$(mktemp)"
  trap 'restarting=1; kill -TERM "$server" 2>/dev/null' USR1
  (
    while kill -0 "$main" 2>/dev/null; do
      sleep 1
      # shellcheck disable=SC2086 # the paths are words
      [ -n "$(find $watch -newer "$stamp" -type f 2>/dev/null | head -n 1)" ] || continue
      # Stamped first: a file saved while the command runs counts as the next change.
      touch "$stamp"
      # An app that has stopped starts again; a running one gets the command when there is one.
      if [ -z "$on_change" ] || [ -e "$stamp.stopped" ]; then kill -USR1 "$main"
      else sh -c "$on_change" || echo "A file changed and \"$on_change\" failed (above); the app keeps its last build."; fi
    done
    rm -f "$stamp" "$stamp.stopped"
  ) &
fi

while :; do
  restarting=
  serve "$@"
  # A trapped signal ends `wait` early; wait again for the app's own end and its exit status.
  wait "$server"; status=$?
  while kill -0 "$server" 2>/dev/null; do wait "$server"; status=$?; done
  [ -z "$stopping" ] || exit 0
  [ -z "$restarting" ] || { echo "A file changed: restarting the app."; continue; }
  if [ -z "$watch" ]; then
    case "$status" in 130|143) exit 0 ;; *) exit "$status" ;; esac
  fi
  echo "The app stopped (exit status $status): it starts again on the next change; Ctrl+C stops this."
  touch "$stamp.stopped"
  while [ -z "$restarting" ] && [ -z "$stopping" ]; do sleep 1; done
  rm -f "$stamp.stopped"
  [ -z "$stopping" ] || exit 0
done