/**
 * The one module that touches the compiled addon. It finds the binary with node-gyp-build (a prebuild for this
 * platform, else the local cmake-js build) and hands the addon the factory for keyscope's error classes.
 * KEYSCOPE_ADDON names an exact .node file instead; .ci/run uses it for the sanitizer build.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { createKeyscopeError, ErrorCodes, KeyscopeError } from '../errors.js';
import type { NativeBinding } from './types.js';

const require = createRequire(import.meta.url);
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

function load(): NativeBinding {
  const explicit = process.env['KEYSCOPE_ADDON'];
  try {
    if (explicit) return require(explicit) as NativeBinding;
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    return nodeGypBuild(packageRoot) as NativeBinding;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new KeyscopeError(
      ErrorCodes.nativeLoad,
      `cannot load keyscope's native addon (${detail}); run "npm run build:native" to compile it`,
      { cause: error },
    );
  }
}

export const native: NativeBinding = load();
native.setErrorFactory(createKeyscopeError);
