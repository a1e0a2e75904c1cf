#!/usr/bin/env bash
# Benchmark mailclerk against notmuch, mu and mairix on a generated corpus.
# usage: contrib/bench/run.sh [-n N] [--mailclerk PATH] [--runs R] [--tools a,b] [--drop-caches]
# See contrib/bench/README.md. Everything it writes goes to contrib/bench/work/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/bench.py" "$@"
