/**
 * An error message as a template: the words keyscope (or OpenSSL, or V8) wrote stay, the values in them become
 * placeholders. "keyscope store /home/alice/runs.duckdb is corrupt (truncated to 812 bytes)" is kept as
 * "keyscope store <path> is corrupt (truncated to <n> bytes)": a group can be read, and nothing the person
 * typed or owns (a path, a name, a number, a passphrase put where a variable name belonged) is stored.
 *
 * keyscope's messages put the values they name in quotes, after a colon or as paths, numbers and ids; each of
 * those shapes is replaced. What is left must look like prose: a word that is not plain letters (an id with
 * digits, a hex run, anything with "=", "@" or non-ASCII) is a value too. Afterwards host and user names are
 * removed and the key-material guard runs, as for every string that leaves the process.
 */
import { scrubText } from './scrub-paths.js';

/** Templates are short: enough to recognise an error, not to carry a payload. */
export const maxTemplateLength = 300;

/** Replacements in order: an earlier one's placeholder is never matched by a later one. */
const replacements: readonly [RegExp, string][] = [
  // Quoted text: JSON.stringify's "…" (an unterminated one runs to the end), '…' opened at a word's start
  // (not an apostrophe: "DuckDB's"), `…` and typographic quotes.
  [/"(?:[^"\\]|\\.)*(?:"|$)|(?<!\w)'[^'\n]*'(?!\w)|`[^`\n]*(?:`|$)|“[^”\n]*(?:”|$)/g, '<value>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>'],
  // Absolute, home-relative and relative paths (anything with a slash), Windows and UNC paths.
  [/(?:[A-Za-z]:)?[^\s:()'"`<>,;|]*[\\/][^\s:()'"`<>,;|]*/g, '<path>'],
  // A file name: a stem and an extension ("runs.duckdb", "rules.yaml"), or an extension alone (".wal").
  [/(?<![\w<])[\w-]*\.[A-Za-z][A-Za-z0-9]{1,7}\b/g, '<path>'],
  // Hex runs (fingerprints, addresses) before plain numbers.
  [/\b(?:0x)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, '<hex>'],
  [/(?<![\w.])[-+]?\d+(?:[.,_]\d+)*(?:e[-+]?\d+)?/gi, '<n>'],
];

/**
 * Tokens that may stay: words, codes (KS_USAGE, ENOENT), OpenSSL's function names (EVP_PKEY_keygen: letters
 * joined by underscores, no digits), placeholders, and punctuation around them.
 */
const proseToken = /^[([]*(?:[A-Za-z]+(?:[-'][A-Za-z]+)*|[A-Za-z]+(?:_[A-Za-z]+)+|[A-Z][A-Z_]*|<(?:value|url|path|hex|n)>)(?:-<n>)?[)\],.:;!?%]*$/;

function templateText(message: string): string {
  let text = message.replace(/\s+/g, ' ').trim();
  for (const [pattern, placeholder] of replacements) text = text.replace(pattern, placeholder);
  return text
    .split(' ')
    .map((token) => (token === '' || proseToken.test(token) ? token : '<value>'))
    .join(' ');
}

/** The template of `message`: one line, values replaced by placeholders, guarded, at most maxTemplateLength. */
export function messageTemplate(message: string): string {
  const text = scrubText(templateText(message));
  return text.length > maxTemplateLength ? `${text.slice(0, maxTemplateLength - 3)}...` : text;
}
