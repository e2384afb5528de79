/**
 * GET /export.html: a view as one self-contained HTML file: the app's index.html with app.js and app.css
 * inlined and a snapshot of every piece of data the page shows, as JSON in
 * `<script id="keyscope-snapshot" type="application/json">`. The app renders a snapshot with no fetch, no
 * live updates and no saving; a CSP meta tag in the file makes sure it fetches nothing wherever it is opened.
 *
 * The JSON has `<` escaped (\u003c) so no string in the data (an error message, say) can close the script
 * element; the inlined script and style have their closing-tag sequences escaped the same way.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ErrorCodes } from '../../core/index.js';
import { DashboardError } from '../http/api-error.js';
import type { ViewState } from '../http/api-types.js';
import { readIndexHtml, uiDirectory } from '../http/static-files.js';

export interface Snapshot {
  view: ViewState;
  generatedAt: string;
  data: Record<string, unknown>;
}

/** JSON that is safe inside a script element (and in HTML at all: also U+2028/9 for old parsers). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

const exportCsp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

async function asset(name: string): Promise<string> {
  try {
    return await readFile(join(uiDirectory, name), 'utf8');
  } catch {
    throw new DashboardError(404, ErrorCodes.dashboardNotFound, `the dashboard app is not built (no ${name}; run npm run build:ui)`);
  }
}

export async function renderHtmlExport(snapshot: Snapshot): Promise<string> {
  const html = await readIndexHtml();
  if (html === null) throw new DashboardError(404, ErrorCodes.dashboardNotFound, 'the dashboard app is not built (run npm run build:ui)');
  const css = (await asset('app.css')).replace(/<\/style/gi, '<\\/style');
  const js = (await asset('app.js')).replace(/<\/script/gi, '<\\/script');
  const styleTag = /<link\b[^>]*href="\/assets\/app\.css"[^>]*>/;
  const scriptTag = /<script\b[^>]*src="\/assets\/app\.js"[^>]*><\/script>/;
  if (!styleTag.test(html) || !scriptTag.test(html)) throw new Error('dist/dashboard-ui/index.html does not load /assets/app.css and /assets/app.js');
  // Replacement functions, not strings: `$&` and friends in the bundle must stay as they are.
  return html
    .replace(/<head>/, () => `<head>\n    <meta http-equiv="Content-Security-Policy" content="${exportCsp}" />`)
    .replace(styleTag, () => `<style>\n${css}\n</style>`)
    .replace(
      scriptTag,
      () => `<script id="keyscope-snapshot" type="application/json">${scriptSafeJson(snapshot)}</script>\n    <script>\n${js}\n</script>`,
    );
}
