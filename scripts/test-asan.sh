#!/usr/bin/env bash
# Runs the vitest suite against the ASan + UBSan addon from `npm run build:asan`. Extra args go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."

addon="$PWD/build-asan/Release/keyscope.node"
[[ -f "$addon" ]] || { echo "test-asan: $addon missing; run npm run build:asan first" >&2; exit 1; }

# node itself is not instrumented, so the sanitizer runtimes must be preloaded (ASan insists on being first in
# the library list, else the addon fails to load with "ASan runtime does not come first"). gcc prints the bare
# name when it has no such file, hence the absolute-path check.
asan_rt="$(gcc -print-file-name=libasan.so)"
ubsan_rt="$(gcc -print-file-name=libubsan.so)"
[[ "$asan_rt" == /* && "$ubsan_rt" == /* ]] || { echo "test-asan: gcc has no libasan/libubsan" >&2; exit 1; }

# Reports also go to files: a sanitizer abort inside a child process the tests spawn (the CLI tests run
# bin/keyscope.js) only shows up as that child's exit status and captured stderr, which a test expecting a
# failure could take for a pass. Any report file fails the run below, whatever vitest says.
reports="$(mktemp -d "${TMPDIR:-/tmp}/keyscope-asan.XXXXXX")"
trap 'rm -rf "$reports"' EXIT

# detect_leaks=0: node is uninstrumented and leaks by design at exit. halt/abort_on_error: the first finding
# kills the process with SIGABRT, so the vitest fork dies and the run fails instead of limping on.
# quarantine_size_mb=64 (default 256): freed memory is held back to catch use-after-free, which adds up to
# ~250 MB of RSS per process; test/core/key-release.test.ts bounds RSS growth at 15 MB and fails on the default.
# 64 MB still keeps tens of thousands of recent frees poisoned.
# handle_*=2 (exclusive): node resets every signal handler to SIG_DFL at startup, wiping ASan's, so a wild
# pointer in the addon would die as a bare SIGSEGV with no report. Exclusive mode makes ASan ignore node's
# sigaction calls. handle_abort=2 also turns a UBSan abort into an ASan "ABRT" report with a stack in a file
# (UBSan's own log_path is ignored in a combined ASan+UBSan runtime: its text only goes to stderr).
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:quarantine_size_mb=64\
:handle_segv=2:handle_sigbus=2:handle_sigfpe=2:handle_abort=2:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
# With ASan owning SIGSEGV, V8's WebAssembly trap handler (guard pages + a SEGV handler) cannot work, and any
# wasm out-of-bounds access would become an ASan SEGV. Make V8 use explicit bounds checks instead.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--disable-wasm-trap-handler"
# src/core/native/binding.ts (and dist/ for the CLI children) load exactly this file instead of build/Release.
export KEYSCOPE_ADDON="$addon"

# Vitest's 'forks' pool and every process it spawns inherit LD_PRELOAD and the options above.
status=0
# package-install.test.ts is left out: it packs and installs the package, whose addon is the prebuild it ships,
# never this sanitizer build, so a second run would test the same thing again at the cost of a full compile.
LD_PRELOAD="$asan_rt $ubsan_rt" npx --no vitest run --exclude test/package/package-install.test.ts "$@" || status=$?

if compgen -G "$reports/*" >/dev/null; then
  for report in "$reports"/*; do
    echo "===== sanitizer report: $(basename "$report")" >&2
    cat "$report" >&2
  done
  echo "test-asan: FAILED, sanitizer findings above" >&2
  exit $(( status ? status : 1 ))
fi
exit "$status"
