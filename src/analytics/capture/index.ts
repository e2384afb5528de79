/**
 * The capture side of analytics: consent (decisions, ledger, notice), the recorder and its privacy guards, the
 * native spool's switches, and the runtime that ties them to a CLI or library process.
 */
export { type ConsentFileState, readConsentFile } from './consent/consent-file.js';
export { type LedgerState, verifyLedger } from './consent/ledger.js';
export { markNoticeShown } from './consent/notice-shown.js';
export { currentNoticeVersion, firstRunNotice, noticeText } from './consent/notice.js';
export { type DecisionResult, recordDecision } from './consent/record-decision.js';
export { isCi, resolveConsent, sortScopes } from './consent/resolve-consent.js';
export type { ConsentSource, EffectiveConsent } from './consent/types.js';
export { errorCodeOf } from './error-event.js';
export { rotateInstallId } from './install-id.js';
export { analyticsConsent, disableAnalytics, enableAnalytics, type EnableAnalyticsOptions, setAnalyticsScopes } from './library-api.js';
export { type AnalyticsRuntime, startAnalytics } from './runtime.js';
export { continueCliSession } from './session.js';
export { opensslVersion } from './versions.js';
