/** The dashboard server: `keyscope dashboard` and the programmatic API. */
export { type DashboardOptions, defaultHost, defaultPort, type RunningDashboard, startDashboard } from './server.js';
