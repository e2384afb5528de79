/** HTML benchmark reports: one self-contained file per report. */
export { type CollectOptions, collectReportInput } from './collect-report-input.js';
export { type GeneratedReport, generateReport, writeReportFile, type WriteReportOptions } from './generate-report.js';
export { renderReportHtml } from './render-html.js';
export { buildReportModel } from './report-model.js';
export { REPORT_MODEL_VERSION, type ReportCase, type ReportCaseComparison, type ReportCaseGroup, type ReportCaseResult, type ReportComparison, type ReportCompletedResult, type ReportInput, type ReportModel, type ReportRun } from './report-types.js';
