/**
 * One self-contained HTML file: the chart library, the report's script and style inlined, the view model
 * embedded as JSON. Nothing in it fetches anything (a strict Content-Security-Policy says so to the browser
 * too), so it opens from file:// or an e-mail attachment alike.
 */
import { type ReportAssets, reportAssets } from './report-assets.js';
import type { ReportModel } from './report-model.js';

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that can sit inside a <script> element: `<`, `>` and `&` become \u escapes (so no `</script>` or `<!--`
 * can end or change the element, whatever a case is named), as do U+2028/U+2029 (line terminators to older
 * JavaScript parsers). JSON.parse reads the escapes back to the same strings.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An inlined asset must not be able to end its own element early; none of ours does, this keeps it so. */
function inline(text: string, element: 'script' | 'style', name: string): string {
  const forbidden = element === 'script' ? /<\/script|<!--|<script/i : /<\/style/i;
  if (forbidden.test(text)) throw new Error(`report asset ${name} cannot be inlined: it contains ${forbidden.exec(text)![0]}`);
  return text;
}

export function renderReportHtml(model: ReportModel, assets: ReportAssets = reportAssets()): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="keyscope">
<title>${escapeHtml(model.title)}</title>
<link rel="icon" href="data:,">
<style>${inline(assets.chartStyle, 'style', 'uPlot.min.css')}</style>
<style>${inline(assets.reportStyle, 'style', 'report.css')}</style>
</head>
<body>
<main id="app"><noscript><p>This report draws its tables and charts with JavaScript; enable it to read the report.</p></noscript></main>
<script type="application/json" id="keyscope-data">${embedJson(model)}</script>
<script>${inline(assets.chartScript, 'script', 'uPlot.iife.min.js')}</script>
<script>${inline(assets.reportScript, 'script', 'report.js')}</script>
</body>
</html>
`;
}
