/**
 * The key-material guard: the last check on every string before it reaches a spool, the database, a log or a
 * report. keyscope generates private keys, so a careless error message or a caller's mistake (a PEM passed as
 * an algorithm id) could otherwise carry one into analytics. The guard refuses anything that looks like an
 * encoded key: PEM armour, long base64/base64url runs, long hex runs and high-entropy tokens.
 *
 * It must keep what analytics legitimately records: keyscope's messages and codes, package-relative stack
 * frames, algorithm ids, UUIDs and 16-hex fingerprints. Those are words, paths and short hex; an encoded key is
 * long, dense and random, and even a 20-character fragment of one is caught (see the rules below).
 */

export const refusedMarker = '[refused: looks like key material]';

/** Runs of the base64 and base64url alphabets (which include '/', '-' and '_', so paths form runs too). */
const base64Run = /[A-Za-z0-9+/=_-]{20,}/g;
const hexRun = /[0-9A-Fa-f]{20,}/g;
const isoTimestamp = /\d{4}-\d{2}-\d{2}T\d{2}[-:]\d{2}[-:]\d{2}(?:[.-]\d{1,9})?Z/g;

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * A run that mixes cases (or upper case and digits) is either an identifier, code or path
 * (`processTicksAndRejections`, `ERR_OSSL_EVP_BAD_DECRYPT`, `X509_R_KEY_VALUES_MISMATCH`) or a fragment of
 * base64 that happens to miss one character class (about 3% of 20-character fragments hold no digit).
 * Identifiers split into real words of three or more letters, carry vowels, avoid long consonant clusters and
 * are mostly one case; random letters split into one- or two-letter pieces, are half upper case, and have
 * few vowels.
 */
function looksLikeWords(run: string, mixedCase: boolean): boolean {
  const letters = run.replace(/[^A-Za-z]+/g, ' ').trim();
  const words = letters.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  const letterCount = letters.replace(/ /g, '').length;
  if (words.length === 0 || letterCount === 0) return false;
  const meanWordLength = letterCount / words.length;
  // SCREAMING_CASE words (EVP_PKEY_CTX_new) are acronyms, not case noise.
  const mixedWords = words.filter((word) => !/^[A-Z]{2,}$/.test(word)).join('');
  const upperShare = mixedWords.replace(/[^A-Z]/g, '').length / Math.max(1, mixedWords.length);
  const vowelShare = letters.replace(/[^aeiouyAEIOUY]/g, '').length / letterCount;
  const clusters = words.flatMap((word) => word.match(/[^aeiouyAEIOUY]+/g) ?? []);
  const longestConsonantCluster = Math.max(0, ...clusters.map((cluster) => cluster.length));
  // Shapes camelCase and snake_case make at most once or twice, and random letters make everywhere: an acronym
  // inside a word (getJSONValue), a one-letter lower-case word (TeX), a capital that starts no word (eV-).
  const caseNoise = countMatches(run, /[a-z](?=[A-Z]{2,})/g) + countMatches(run, /[A-Z](?=[a-z][A-Z])/g) +
    countMatches(run, /[a-z](?=[A-Z](?:[^a-z]|$))/g);
  // Digits inside lower-case words (d4u, p3luu6j): names put them at the end (x64, ed25519, base64url).
  const innerDigits = countMatches(run, /[a-z](?=[0-9]+[a-z])/g);
  return caseNoise * 12 < run.length && innerDigits < 2 && meanWordLength >= 3.5 && (!mixedCase || upperShare < 0.25) && vowelShare >= 0.2 && longestConsonantCluster < 5;
}

function looksLikeBase64(run: string): boolean {
  // '+' is in the base64 alphabet and in no identifier, path or word.
  if (run.includes('+')) return true;
  const hasUpper = /[A-Z]/.test(run);
  const hasLower = /[a-z]/.test(run);
  const hasDigit = /[0-9]/.test(run);
  if (hasUpper && hasLower && hasDigit) return true;
  // Hex with dashes (UUIDs) is checked as hex below: its entropy stays under 4.1 bits whatever it holds.
  const dashedHex = /^[0-9A-Fa-f-]+$/.test(run);
  if (!dashedHex && (hasUpper || hasDigit) && (hasLower || hasDigit) && !looksLikeWords(run, hasUpper && hasLower)) return true;
  return shannonEntropy(run) >= 4.2;
}

/** Whether `value` looks like (a fragment of) an encoded key; refused values never leave the process. */
export function looksLikeKeyMaterial(value: string): boolean {
  if (value.includes('-----BEGIN') || value.includes('-----END')) return true;
  if (value.length < 16) return false;
  // Timestamps in file names (consent.json.corrupt-2025-01-02T03-04-05-678Z) mix digits and letters too.
  const text = value.replace(isoTimestamp, ' ');
  for (const run of text.match(base64Run) ?? []) {
    if (looksLikeBase64(run)) return true;
  }
  for (const run of text.match(hexRun) ?? []) {
    // Both digits and letters, or 20+ digits (no count or time keyscope prints is that long).
    if (/[0-9]/.test(run)) return true;
  }
  // Split where no binary-to-text encoding has characters but prose and stack frames do ("fn (path:1:2)").
  for (const token of text.split(/[\s()"'`,;:]+/)) {
    if (token.length >= 16 && shannonEntropy(token) >= 4.5) return true;
  }
  return false;
}

/** The value itself, or the refusal marker when it looks like key material. */
export function guardString(value: string): string {
  return looksLikeKeyMaterial(value) ? refusedMarker : value;
}
