/** keyscope's programmatic API. */
export { type AlgorithmFamily, type AlgorithmId, type AlgorithmInfo, type KeyUsage, listAlgorithms, securityBits } from './core/index.js';
export type { CounterGroup, CounterName, Counters, CounterValue, CycleCounterInfo, TimerOverhead } from './core/index.js';
export { ErrorCodes,
  type ErrorCode,
  FileError,
  InvalidArgumentError,
  KeyscopeError,
  OpenSSLError,
  type OpenSSLErrorEntry,
  UnsupportedAlgorithmError, } from './core/index.js';
export { KeyPair, type KeyFormat, type PrivateKeyExportOptions, type PublicKeyExportOptions } from './core/index.js';
export { opensshFingerprint } from './core/index.js';
export { type GenerateOptions, generateKeyPair, generateKeyPairSync } from './core/index.js';
export type { CounterGroups, SampleBudget } from './core/index.js';
export { type KeygenMeasurement, type KeygenSamples, measureKeygen, type MeasureKeygenOptions } from './core/index.js';
export { type OpenSSLInfo, opensslInfo } from './core/index.js';
export { profile, type ProfileOptions, type ProfileResult } from './core/index.js';
export { defineSuite, type CaseBudget, type CaseDefinition, type JsCaseDefinition, type NativeCaseDefinition, type SuiteContext, type SuiteDefinition, type ThroughputCaseDefinition } from './bench/index.js';
export { discoverSuites } from './bench/index.js';
export { type RunEvent, runSuites, type RunSuitesOptions } from './bench/index.js';
export type { CaseKey, CaseResult, CompletedCase, EnvironmentFingerprint, RunListing, RunRecord, SampleSummary } from './model/index.js';
export { currentSchemaVersion, openStore, type OpenStoreOptions, resolveStorePath, type RunFilter, type RunStore, StoreError } from './store/index.js';
export { compareRuns, defaultComparisonSettings } from './compare/index.js';
export type { ComparisonSettingsInput, Proportion } from './compare/index.js';
export { compareSamples, type CompareSamplesSettings } from './compare/index.js';
export { referenceOf, resolveComparisonPair, resolveRun, type ResolvedRun } from './compare/index.js';
export { type ComparisonFormat, comparisonFormats, formatMarkdown, formatText } from './compare/index.js';
export type { CaseComparison,
  ComparisonSettings,
  EnvironmentDifference,
  RankTest,
  RatioInterval,
  RunComparison,
  RunReference,
  RuntimeComparison,
  RuntimeSide,
  SampleComparison,
  SearchExplanation,
  SearchSide,
  Verdict, } from './compare/index.js';
export { collectReportInput, type CollectOptions } from './report/index.js';
export { generateReport, type GeneratedReport, type ReportInput, type ReportModel, writeReportFile } from './report/index.js';
export { analyticsConsent, disableAnalytics, enableAnalytics, type EnableAnalyticsOptions, setAnalyticsScopes } from './analytics/capture/index.js';
export { allScopes, type Scope } from './analytics/events/index.js';
export type { AnalyticsDatabase, OpenAnalyticsOptions } from './analytics/warehouse/index.js';
export type { AnalyticsPaths } from './analytics/events/index.js';
export type { ConsentSource, EffectiveConsent } from './analytics/capture/index.js';
export type { AnalyticsEvent, EventType, RecordedEvent } from './analytics/events/index.js';
export { openAnalyticsDatabase, type OpenedAnalyticsDatabase } from './analytics/warehouse/index.js';
export { exportEvents, type ExportFormat, type ExportOptions, type ExportResult } from './analytics/warehouse/index.js';
export { deleteEvents, type DeleteResult, type DeleteSelection } from './analytics/warehouse/index.js';
export { inspectAnalytics, type InspectSummary } from './analytics/warehouse/index.js';
export { type ErrorGroup, type ErrorGroupDetail, type ErrorGroupStatus, getErrorGroup, listErrorGroups, resolveErrorGroup } from './analytics/query/index.js';
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
} from './analytics/query/index.js';
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
export { type Recommendation, type RecommendationKind, recommend } from './monitor/advice/index.js';
export { collectMetricsSnapshot, type MetricsSnapshot } from './monitor/metrics/index.js';
