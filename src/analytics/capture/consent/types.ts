/** The consent in effect, as the recorder, the CLI and the library API see it. */
import type { Scope } from '../../events/index.js';

/** Why analytics is (or is not) recording, as `keyscope analytics status` explains it. */
export type ConsentSource =
  /** The consent file (decided with `analytics enable|disable`, or answered at the prompt older versions showed). */
  | 'file'
  /** The host application's explicit opt-in through the library API (in-process only). */
  | 'library'
  /** DO_NOT_TRACK=1 or KEYSCOPE_ANALYTICS=off: always wins. */
  | 'environment-off'
  /** CI is set: nothing is recorded and no notice is shown. */
  | 'ci'
  /** Never decided, or decided under an older notice: nothing is recorded (silence means no). */
  | 'undecided'
  /** The consent file or ledger is unreadable or fails its hash chain: off, one warning, file kept. */
  | 'corrupt';

/** The consent in effect for this process. */
export interface EffectiveConsent {
  scopes: ReadonlySet<Scope>;
  source: ConsentSource;
  /** The notice version the consent was given under (null when never given). */
  noticeVersion: number | null;
  /** Random, rotatable; never derived from the machine or the user. Null when analytics is off. */
  installId: string | null;
  /** One line for status output and warnings (e.g. why it is off). */
  detail: string;
}

/** Who can say whether a scope is allowed: the recorder asks this before every write. */
export interface ConsentGate {
  current(): EffectiveConsent;
}
