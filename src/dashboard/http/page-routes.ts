/**
 * The JSON endpoints of api-types.ts, each a thin layer: validate the query (page-query.ts), read through
 * PageSources, answer. Saved views and resolving an error group are the only writes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { ErrorCodes } from '../../core/index.js';
import { DashboardError } from './api-error.js';
import type { RunOptions } from '../sources/dashboard-database.js';
import { dashboardPages, type DashboardPage, type ViewState } from './api-types.js';
import { pageTables, renderCsv } from '../export/csv-export.js';
import { renderHtmlExport } from '../export/html-export.js';
import type { LiveUpdates } from './live-updates.js';
import { describeIssue, parsePageQuery, resolvePageQuery, type ResolvedQuery } from './page-query.js';
import type { PageSources } from '../pages/page-sources.js';
import { checkViewName, parseViewState, type SavedViews } from './saved-views.js';

export interface PageRouteContext {
  sources: PageSources;
  views: SavedViews;
  live: LiveUpdates;
}

/** The page data of `page` for a resolved query: what /api/<page> answers and what the exports contain. */
export function pageData(sources: PageSources, page: DashboardPage, query: ResolvedQuery, options: RunOptions = {}): Promise<unknown> {
  switch (page) {
    case 'overview':
      return sources.overview(query, options);
    case 'performance':
      return sources.performance(query, options);
    case 'errors':
      return sources.errors(query, options);
    case 'usage':
      return sources.usage(query, options);
    case 'system':
      return sources.system(options);
  }
}

/** The client of this request has gone (page closed, reloaded, or its fetch aborted by a newer one). */
function clientGone(request: FastifyRequest, reply: FastifyReply): RunOptions {
  return { gone: () => request.raw.destroyed || reply.raw.destroyed };
}

const exportQuerySchema = z.object({
  page: z.enum(dashboardPages, { error: `must be one of ${dashboardPages.join(', ')}` }).optional(),
  panels: z
    .string()
    .regex(/^[a-z0-9-]{1,40}(,[a-z0-9-]{1,40}){0,31}$/, { error: 'must be panel ids separated by commas' })
    .optional(),
});

/** The view an export names: `page`, `panels` and the page query. */
function exportView(raw: unknown): { view: ViewState; query: ResolvedQuery } {
  const parsed = exportQuerySchema.safeParse(typeof raw === 'object' && raw !== null ? { page: (raw as Record<string, unknown>)['page'], panels: (raw as Record<string, unknown>)['panels'] } : {});
  if (!parsed.success) throw new DashboardError(400, ErrorCodes.dashboardInvalidQuery, `bad query parameter (${describeIssue(parsed.error)})`);
  const pageQuery = parsePageQuery(raw, ['page', 'panels']);
  const view: ViewState = { page: parsed.data.page ?? 'overview', ...pageQuery, range: pageQuery.range };
  if (parsed.data.panels !== undefined) view.panels = parsed.data.panels.split(',');
  return { view, query: resolvePageQuery(pageQuery, new Date()) };
}

function attachmentName(page: DashboardPage, extension: string): string {
  return `keyscope-${page}-${new Date().toISOString().slice(0, 19).replace(/[:]/g, '-')}.${extension}`;
}

export function registerPageRoutes(app: FastifyInstance, context: PageRouteContext): void {
  const { sources, views, live } = context;
  const resolved = (raw: unknown) => resolvePageQuery(parsePageQuery(raw), new Date());

  for (const page of ['overview', 'performance', 'errors', 'usage'] as const) {
    app.get(`/api/${page}`, (request, reply) => pageData(sources, page, resolved(request.query), clientGone(request, reply)));
  }
  app.get('/api/system', (request, reply) => sources.system(clientGone(request, reply)));
  app.get('/api/filters', (request, reply) => sources.filters(resolved(request.query), clientGone(request, reply)));
  app.get('/api/alerts', () => sources.alerts());
  app.get('/api/recommendations', () => sources.recommendations());

  app.get<{ Params: { fingerprint: string } }>('/api/errors/:fingerprint', (request) => sources.errorDetail(request.params.fingerprint));
  app.post<{ Params: { fingerprint: string } }>('/api/errors/:fingerprint/resolve', (request) => sources.resolveError(request.params.fingerprint));

  app.get('/api/export.csv', async (request, reply) => {
    const { view, query } = exportView(request.query);
    const csv = renderCsv(pageTables(view.page, await pageData(sources, view.page, query)));
    return reply
      .type('text/csv; charset=utf-8; header=present')
      .header('content-disposition', `attachment; filename="${attachmentName(view.page, 'csv')}"`)
      .send(csv);
  });

  app.get('/export.html', async (request, reply) => {
    const { view, query } = exportView(request.query);
    const data: Record<string, unknown> = {
      [view.page]: await pageData(sources, view.page, query),
      alerts: sources.alerts(),
      recommendations: await sources.recommendations(),
      filters: await sources.filters(query),
    };
    const html = await renderHtmlExport({ view, generatedAt: new Date().toISOString(), data });
    return reply
      .type('text/html; charset=utf-8')
      .header('content-disposition', `attachment; filename="${attachmentName(view.page, 'html')}"`)
      .send(html);
  });

  app.get('/metrics', async (_request, reply) => {
    const { body, contentType } = await sources.metrics();
    return reply.type(contentType).send(body);
  });

  app.get('/api/views', () => views.list());
  app.put<{ Params: { name: string } }>('/api/views/:name', (request) => {
    const saved = views.save(checkViewName(request.params.name), parseViewState(request.body));
    live.send({ ingested: 0, newestEvent: null, kinds: ['views'] });
    return saved;
  });
  app.delete<{ Params: { name: string } }>('/api/views/:name', (request) => {
    if (!views.remove(checkViewName(request.params.name))) {
      throw new DashboardError(404, ErrorCodes.dashboardNotFound, `no saved view ${JSON.stringify(request.params.name)}`);
    }
    live.send({ ingested: 0, newestEvent: null, kinds: ['views'] });
    return views.list();
  });
}
