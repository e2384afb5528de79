/**
 * The team server: run history (and later fleet analytics) for many machines, on PostgreSQL, behind tokens
 * scoped per project. `keyscope server` starts it; `keyscope server token` manages its tokens.
 */
export { redactUrl } from './database.js';
export { currentServerSchema } from './migrations.js';
export { isRetryableStatus, type ErrorBody } from './server-error.js';
export { defaultBodyLimit, defaultRateLimit, defaultServerPort, openServerDatabase, type RunningServer, type ServerOptions, startServer } from './start-server.js';
export { createToken, type CreateTokenOptions, listTokens, parseScopes, revokeToken, type TokenListing, type TokenScope, tokenScopes } from './tokens.js';
