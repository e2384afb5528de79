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
const packageRoot = fileURLToPath(new URL('../../..', import.meta.url));

interface NodeGypBuild {
  resolve(dir: string): string;
}

function load(): { binding: NativeBinding; path: string } {
  const explicit = process.env['KEYSCOPE_ADDON'];
  try {
    const path = explicit || (require('node-gyp-build') as NodeGypBuild).resolve(packageRoot);
    return { binding: require(path) as NativeBinding, path };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new KeyscopeError(
      ErrorCodes.nativeLoad,
      `cannot load keyscope's native addon (${detail}); run "npm run build:native" to compile it`,
      { cause: error },
    );
  }
}

const loaded = load();
export const native: NativeBinding = loaded.binding;
/** The .node file in use: a prebuild, the local build, or the sanitizer build named by KEYSCOPE_ADDON. */
export const nativeAddonPath: string = loaded.path;
native.setErrorFactory(createKeyscopeError);
