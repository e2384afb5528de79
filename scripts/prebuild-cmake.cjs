#!/usr/bin/env node
// Stands in for node-gyp under prebuildify (PREBUILD_NODE_GYP): prebuildify runs
//   <this> rebuild --target=<node version> --devdir=<tmp>/prebuildify/node --arch=<arch> --release|--debug
// and then takes the single .node file from build/Release (or build/Debug). keyscope builds with cmake-js,
// so translate that call into a cmake-js build of this package into build/. `npm run build:native` (and so the
// install script's fallback where no prebuild fits) runs it too, as `<this> compile`, for its choice of headers.
'use strict';
// prebuildify executes this file directly, so it stays CommonJS; the lint preset's rule is aimed at TypeScript.
/* eslint-disable @typescript-eslint/no-require-imports */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const fail = (message) => {
  console.error(`prebuild-cmake: ${message}`);
  process.exit(1);
};

// node-gyp commands prebuildify (or a person) may send, and their cmake-js equivalents. rebuild wipes build/
// first, so a prebuild never inherits a stale cache (say KEYSCOPE_SANITIZE=ON) or stale objects.
const commands = { rebuild: 'rebuild', build: 'build', compile: 'compile', configure: 'configure', clean: 'clean' };
let command = 'build';
let debug = false;
let nodedir = process.env.npm_config_nodedir || '';
for (const arg of process.argv.slice(2)) {
  const [key, value = ''] = arg.split(/=(.*)/s);
  if (!arg.startsWith('-')) {
    if (!(arg in commands)) fail(`unsupported command "${arg}"`);
    command = arg;
  } else if (key === '--debug') debug = true;
  else if (key === '--release') debug = false;
  else if (key === '--nodedir') nodedir = value;
  // The addon is Node-API only, built against the running node's headers, so the ABI target version does not
  // matter (prebuildify --napi passes the newest node it knows), and devdir is node-gyp's header download cache.
  else if (key === '--target' || key === '--devdir' || key === '--build_v8_with_gn') continue;
  // No cross-compiling: cmake-js would quietly build for the host anyway.
  else if (key === '--arch') {
    if (value !== os.arch()) fail(`cannot build for --arch=${value} on ${os.arch()}`);
  } else if (key === '--runtime') {
    if (value !== 'node') fail(`unsupported --runtime=${value}`);
  } else console.error(`prebuild-cmake: ignoring ${arg}`);
}

// cmake-js finds Node's headers only through npm's nodedir setting: npm hands it to scripts as
// npm_config_nodedir, and cmake-js 8 reads nothing else (its -d/--directory is the CMake project, not the
// headers; its runtimeDirectory option exists only in the JS API and is overwritten from npm_config_*). Without
// it cmake-js downloads headers from nodejs.org. So resolve a nodedir and hand it on in that variable, falling
// back to the running node's own prefix (/usr for /usr/bin/node, or an official tarball's folder), which ships
// include/node: a user installing keyscope where no prebuild fits has no nodedir set. Only when that prefix has
// no headers either is cmake-js left to download them.
const hasHeaders = (dir) => fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'));
if (nodedir && !hasHeaders(nodedir)) fail(`no Node headers in ${nodedir}/include/node; set npm_config_nodedir (npm's nodedir)`);
if (!nodedir) {
  const prefix = path.resolve(path.dirname(fs.realpathSync(process.execPath)), '..');
  if (hasHeaders(prefix)) nodedir = prefix;
  else console.error(`prebuild-cmake: no Node headers in ${prefix}/include/node; cmake-js will download them`);
}

const cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
const args = [cmakeJs, commands[command], '--directory', root, '--out', path.join(root, 'build')];
if (debug) args.push('--debug');
const run = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  env: nodedir ? { ...process.env, npm_config_nodedir: nodedir } : process.env,
});
if (run.error) fail(run.error.message);
if (run.status !== 0) process.exit(run.status ?? 1);

// prebuildify packs whichever .node it lists first in this directory, so anything besides the addon
// (the bench helper belongs in build/bench) would risk shipping the wrong binary.
if (command === 'rebuild' || command === 'build' || command === 'compile') {
  const outDir = path.join(root, 'build', debug ? 'Debug' : 'Release');
  const built = fs.readdirSync(outDir).filter((name) => name.endsWith('.node'));
  if (built.join() !== 'keyscope.node') fail(`expected only keyscope.node in ${outDir}, found: ${built.join(', ')}`);
}
