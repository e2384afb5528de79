/**
 * Path scrubbing for error messages and stack frames. Absolute paths name the user (/home/alice), the machine's
 * layout and the projects on it, so none leaves the process: paths inside the keyscope package become
 * package-relative ("dist/core/keygen.js:42:17"), paths under the home directory start with "~", and any other
 * absolute path (or file:// URL) becomes "<external>". The host and user names are replaced wherever they
 * still appear. Everything is then passed through the key-material guard.
 */
import { hostname, homedir, userInfo } from 'node:os';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { guardString } from './key-material-guard.js';

export interface ScrubOptions {
  /** The keyscope package directory (default: the installed package). */
  packageRoot?: string;
  /** The home directory (default: os.homedir()). */
  home?: string;
}

export const maxStackFrames = 10;
export const externalPath = '<external>';

/** src/analytics/capture/privacy or dist/analytics/capture/privacy: the package is four levels up either way. */
const defaultPackageRoot = fileURLToPath(new URL('../../../..', import.meta.url));

function withoutTrailingSeparator(path: string): string {
  return path.length > 1 && (path.endsWith('/') || path.endsWith('\\')) ? path.slice(0, -1) : path;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeHomedir(): string {
  try {
    return homedir();
  } catch {
    return '';
  }
}

/** Names that identify the person or machine; each replaced as a whole word wherever it survives. */
function identifyingNames(home: string): { name: string; replacement: string }[] {
  const names: { name: string; replacement: string }[] = [];
  try {
    names.push({ name: hostname(), replacement: '<host>' });
  } catch {
    // No host name to hide.
  }
  try {
    names.push({ name: userInfo().username, replacement: '<user>' });
  } catch {
    // Containers without a passwd entry have no user name.
  }
  const homeName = home.split(/[\\/]/).filter(Boolean).pop();
  if (homeName !== undefined) names.push({ name: homeName, replacement: '<user>' });
  // Short names ("a", "pi") would eat ordinary words; 3 characters is the shortest worth the risk.
  return names.filter(({ name }) => name.length >= 3 && name !== 'root');
}

/** A run of path characters after a leading "/" that is not part of a relative path or a word. */
const posixAbsolutePath = /(?<![\w.~/-])\/(?=[^\s/])[^\s:()'"`<>,;|]*/g;
const windowsAbsolutePath = /(?<![\w])[A-Za-z]:[\\/][^\s:()'"`<>,;|]*/g;
const uncPath = /\\\\[^\s:()'"`<>,;|]+/g;
/** Up to the line:column suffix (a drive letter's colon is part of the path). */
const fileUrl = /file:\/\/\/?(?:[A-Za-z]:)?[^\s:()'"`<>,;|]*/g;

/** Paths in free text -> package-relative, "~" or "<external>"; host and user names removed; then guarded. */
export function scrubText(text: string, options: ScrubOptions = {}): string {
  const packageRoot = withoutTrailingSeparator(options.packageRoot ?? defaultPackageRoot);
  const home = withoutTrailingSeparator(options.home ?? safeHomedir());
  let result = text;

  // file:// URLs first, in their URL spelling (spaces as %20), then plain paths.
  const prefixes: { from: string; to: string; whole?: boolean }[] = [];
  if (packageRoot.length > 1) {
    prefixes.push({ from: `${pathToFileURL(packageRoot).href}/`, to: '' });
    prefixes.push({ from: `${packageRoot}${sep}`, to: '' });
    if (sep !== '/') prefixes.push({ from: `${packageRoot}/`, to: '' });
  }
  if (home.length > 1) {
    prefixes.push({ from: `${pathToFileURL(home).href}/`, to: '~/' });
    prefixes.push({ from: `${home}${sep}`, to: `~${sep}` });
    prefixes.push({ from: home, to: '~', whole: true });
  }
  for (const { from, to, whole } of prefixes) {
    // A bare home directory must end there: /home/al is not the start of /home/alice.
    const end = whole === true ? '(?![\\w.-])' : '';
    result = result.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(from)}${end}`, 'g'), to);
  }
  result = result
    .replace(fileUrl, externalPath)
    .replace(uncPath, externalPath)
    .replace(windowsAbsolutePath, externalPath)
    .replace(posixAbsolutePath, externalPath);
  for (const { name, replacement } of identifyingNames(home)) {
    result = result.replace(new RegExp(`(?<![\\w])${escapeRegExp(name)}(?![\\w])`, 'gi'), replacement);
  }
  return guardString(result);
}

/** The frames of a stack ("at fn (path:line:col)" lines), at most 10, each scrubbed and guarded. */
export function scrubStack(stack: string | undefined, options: ScrubOptions = {}): string[] {
  if (stack === undefined || stack === '') return [];
  return stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, maxStackFrames)
    .map((frame) => scrubText(frame, options));
}
