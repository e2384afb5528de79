/**
 * Benchmark suites: defining them, finding them, running them adaptively, and showing progress and a summary.
 */
export { type CaseBudget, type CaseDefinition, defineSuite, type JsCaseDefinition, type NativeCaseDefinition, type SuiteContext, type SuiteDefinition, type ThroughputCaseDefinition } from './define-suite.js';
export { discoverSuites } from './discover.js';
export { handicapFromEnvironment, handicapVariable } from './handicap.js';
export { allowedCpus, pinToCpu } from './pin-cpu.js';
export { createProgress } from './progress.js';
export { checkProvenanceOverrides, type ProvenanceOverrides, resolveGitBranch } from './provenance.js';
export { type RunEvent, runSuites, type RunSuitesOptions } from './run-suites.js';
export { summaryTable } from './summary-table.js';
export { type BuildSide, resolveBuild, thisBuild } from './interleave-build.js';
export { type InterleavedSession, type InterleaveOptions, minimumPairs, type OneSidedCase, runInterleaved } from './interleave.js';
