/**
 * The spools: the files in which processes leave their events (JSON lines from TypeScript, binary segments from
 * the native hot path) until the warehouse ingests them.
 */
export { readSpoolSegment } from './binary-segment.js';
export { createEventSpool, sealedMarker } from './event-spool.js';
export { listPendingSpools, type PendingSpool, perfSpoolPattern } from './pending-spools.js';
export { readAt } from './read-at.js';
