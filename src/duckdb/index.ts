/** TODO door of src/duckdb */
export { describeLockHolder } from './lock-holder.js';
export { inTransaction } from './transaction.js';
