#!/usr/bin/env bash
# Installs the real peer programs the tests talk to, from Debian's packages, when
# they are missing: promtool and prometheus (package prometheus), Chromium for the
# browser tests (package chromium, /usr/bin/chromium), carbon-cache and
# whisper-fetch for the Graphite tests (graphite-carbon, python3-whisper); with --bench,
# also what `npm run bench` drives: wrk. Idempotent: does nothing when
# everything is there. Needs root (or sudo) and apt-get.
set -euo pipefail

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/carbon-cache ] || need+=(graphite-carbon)
[ -x /usr/bin/whisper-fetch ] || need+=(python3-whisper)
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
# De-duplicate.
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u | sed '/^$/d')

if [ "${#need[@]}" -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-peers: missing Debian packages: ${need[*]} (run as root: apt-get install ${need[*]})" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-peers: no apt-get here; install these by hand: ${need[*]}" >&2
  exit 0
fi

echo "install-peers: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
