#!/usr/bin/env bash
# Runs the vitest suite under another Node.js major (scripts/test-runtime.sh 24 [vitest args]): the same addon
# (one Node-API build serves every runtime) and the same dist/, with that Node first on PATH, so vitest, its
# workers and every CLI process the tests start run on it.
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:?usage: scripts/test-runtime.sh MAJOR [vitest args]}"
shift
bin="$(bash scripts/node-runtime.sh "$major")"
export PATH="$bin:$PATH"
echo "test-runtime: $(node --version), OpenSSL $(node -p process.versions.openssl)"
node node_modules/vitest/vitest.mjs run "$@"
