#!/usr/bin/env bash
# Builds the addon with ASan + UBSan (CMake option KEYSCOPE_SANITIZE=ON) into build-asan/, a tree of its own,
# so build/ (what node-gyp-build and prebuildify use) is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

# cmake-js finds Node's headers through npm's nodedir setting, which npm exports as npm_config_nodedir only
# to its scripts. Resolve it here as well so plain `bash scripts/build-asan.sh` works offline too.
if [[ -z "${npm_config_nodedir:-}" ]]; then
  npm_config_nodedir="$(npm config get nodedir)"
  if [[ "$npm_config_nodedir" == undefined || "$npm_config_nodedir" == null || -z "$npm_config_nodedir" ]]; then
    # No npm setting: use the prefix of the running node (e.g. /usr for /usr/bin/node), which ships the headers.
    npm_config_nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  fi
  export npm_config_nodedir
fi
[[ -f "$npm_config_nodedir/include/node/node_api.h" ]] \
  || { echo "build-asan: no Node headers under $npm_config_nodedir/include/node" >&2; exit 1; }

# --CD<NAME>=<value> is how cmake-js 8 hands -D<NAME>=<value> to CMake. It only reaches CMake on a configure,
# and `cmake-js compile`/`build` skip configuring once build-asan/CMakeCache.txt exists, so configure explicitly
# every time: the option can then never silently go missing from an older tree.
# _GLIBCXX_SANITIZE_VECTOR: libstdc++ poisons std::vector's spare capacity, so ASan also flags accesses past
# size() but within capacity(). It rides on CMAKE_CXX_FLAGS_RELEASE because cmake-js itself sets
# CMAKE_CXX_FLAGS (to -DBUILDING_NODE_EXTENSION), after and over any --CDCMAKE_CXX_FLAGS. Every target (the
# addon, its core and the bench helper, which links the core) is instrumented, so the vector annotations agree
# across them. The targets' own -O1 from CMakeLists.txt comes later and wins.
npx --no cmake-js configure --out build-asan \
  --CDKEYSCOPE_SANITIZE=ON \
  "--CDCMAKE_CXX_FLAGS_RELEASE=-O3 -DNDEBUG -D_GLIBCXX_SANITIZE_VECTOR"
npx --no cmake-js build --out build-asan
