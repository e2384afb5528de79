/** The versions analytics events carry: the OpenSSL the process runs (asked of the addon once). */
import { opensslInfo } from '../../core/index.js';

let cached: string | null = null;

export function opensslVersion(): string {
  cached ??= opensslInfo().version;
  return cached;
}
