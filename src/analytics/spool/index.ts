/** TODO door of src/analytics/spool */
export { readSpoolSegment } from './binary-segment.js';
export { createEventSpool, sealedMarker } from './event-spool.js';
export { listPendingSpools, type PendingSpool, perfSpoolPattern } from './pending-spools.js';
export { readAt } from './read-at.js';
