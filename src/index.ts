/** keyscope's programmatic API. */
export { type AlgorithmFamily, type AlgorithmId, type AlgorithmInfo, type KeyUsage, listAlgorithms, securityBits } from './core/algorithms.js';
export type { CounterGroup, CounterName, Counters, CounterValue, CycleCounterInfo, TimerOverhead } from './core/counters.js';
export {
  ErrorCodes,
  type ErrorCode,
  FileError,
  InvalidArgumentError,
  KeyscopeError,
  OpenSSLError,
  type OpenSSLErrorEntry,
  UnsupportedAlgorithmError,
} from './core/errors.js';
export { KeyPair, type KeyFormat, type PrivateKeyExportOptions, type PublicKeyExportOptions } from './core/key-pair.js';
export { type GenerateOptions, generateKeyPair, generateKeyPairSync } from './core/keygen.js';
export type { CounterGroups, SampleBudget } from './core/budget.js';
export { type KeygenMeasurement, type KeygenSamples, measureKeygen, type MeasureKeygenOptions } from './core/measure.js';
export { type OpenSSLInfo, opensslInfo } from './core/openssl.js';
export { profile, type ProfileOptions, type ProfileResult } from './core/profile.js';
export { defineSuite, type CaseBudget, type CaseDefinition, type JsCaseDefinition, type NativeCaseDefinition, type SuiteContext, type SuiteDefinition, type ThroughputCaseDefinition } from './bench/define-suite.js';
export { discoverSuites } from './bench/discover.js';
export { type RunEvent, runSuites, type RunSuitesOptions } from './bench/run-suites.js';
export type { CaseKey, CaseResult, CompletedCase, EnvironmentFingerprint, RunListing, RunRecord, SampleSummary } from './model/types.js';
export { currentSchemaVersion, openStore, type OpenStoreOptions, resolveStorePath, type RunFilter, type RunStore, StoreError } from './store/index.js';
export { compareRuns, defaultComparisonSettings } from './compare/compare-runs.js';
export type { ComparisonSettingsInput, Proportion } from './compare/settings.js';
export { compareSamples, type CompareSamplesSettings } from './compare/statistics/index.js';
export { referenceOf, resolveComparisonPair, resolveRun, type ResolvedRun } from './compare/resolve-runs.js';
export { type ComparisonFormat, comparisonFormats, formatMarkdown, formatText } from './compare/format/index.js';
export type {
  CaseComparison,
  ComparisonSettings,
  EnvironmentDifference,
  RankTest,
  RatioInterval,
  RunComparison,
  RunReference,
  SampleComparison,
  Verdict,
} from './compare/types.js';
export { collectReportInput, type CollectOptions } from './report/collect-report-input.js';
export { generateReport, type GeneratedReport, type ReportInput, type ReportModel, writeReportFile } from './report/index.js';
export { analyticsConsent, disableAnalytics, enableAnalytics, type EnableAnalyticsOptions, setAnalyticsScopes } from './analytics/library-api.js';
export { allScopes, type AnalyticsDatabase, type AnalyticsPaths, type ConsentSource, type EffectiveConsent, type OpenAnalyticsOptions, type Scope } from './analytics/types.js';
export type { AnalyticsEvent, EventType, RecordedEvent } from './analytics/events/types.js';
export { openAnalyticsDatabase, type OpenedAnalyticsDatabase } from './analytics/database/open-analytics-database.js';
export { exportEvents, type ExportFormat, type ExportOptions, type ExportResult } from './analytics/database/export-events.js';
export { deleteEvents, type DeleteResult, type DeleteSelection } from './analytics/database/delete-events.js';
export { inspectAnalytics, type InspectSummary } from './analytics/database/inspect.js';
export { type ErrorGroup, type ErrorGroupDetail, type ErrorGroupStatus, getErrorGroup, listErrorGroups, resolveErrorGroup } from './analytics/error-tracking/error-groups.js';
export {
  algorithmShare,
  type AlgorithmShare,
  type BucketSize,
  errorFrequency,
  type ErrorFrequency,
  featureAdoption,
  type FeatureAdoption,
  flows,
  type FlowTransition,
  latencyOverTime,
  type LatencyBucket,
  type LatencyOptions,
  type QueryFilter,
  resolutionRate,
  type ResolutionRate,
  sessionDurations,
  type SessionDurations,
  successRate,
  type SuccessRate,
} from './analytics/queries/index.js';
export { type DashboardOptions, type RunningDashboard, startDashboard } from './monitoring-api.js';
export {
  type Alert,
  type AlertEvidence,
  type AlertKind,
  AlertNotifier,
  type AlertRulesConfig,
  type AlertSeverity,
  defaultAlertRulesFile,
  evaluateAlerts,
  loadAlertRules,
  sendAlertsToWebhook,
} from './monitor/alerts/index.js';
export { type Recommendation, type RecommendationKind, recommend } from './monitor/recommend/index.js';
export { collectMetricsSnapshot, type MetricsSnapshot } from './monitor/metrics/snapshot.js';
