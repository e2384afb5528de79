/**
 * DuckDB as the run store and the analytics warehouse both use it: transactions, and who holds a locked file.
 */
export { describeLockHolder } from './lock-holder.js';
export { inTransaction } from './transaction.js';
