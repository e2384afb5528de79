/** What the server accepts in a request's query and body besides a run document, checked with zod. */
import { z } from 'zod';

import { testbedPattern } from '../model/index.js';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: 'must be a run id (a UUID)' });
const label = z.string().min(1).max(200);

const runSelection = {
  branch: z.string().min(1).max(255).optional(),
  testbed: z.string().regex(testbedPattern, { error: 'must be a testbed name' }).optional(),
  status: z.enum(['complete', 'aborted']).optional(),
  label: label.optional(),
  idPrefix: z.string().regex(/^[0-9a-f-]{4,36}$/i, { error: 'must be 4 or more characters of a run id' }).optional(),
  startedBefore: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
};

/** GET /v1/runs?…: numbers arrive as text. */
export const listQuery = z.strictObject({ ...runSelection, limit: z.coerce.number().int().min(1).max(10_000).optional() });

/** POST /v1/runs/overviews: a history's runs, optionally only some of their cases. */
export const overviewQuery = z.strictObject({
  ...runSelection,
  limit: z.int().min(1).max(10_000).optional(),
  cases: z.array(z.string().max(4096)).max(10_000).optional(),
});

/** POST /v1/runs/missing: which of these runs the server lacks. */
export const missingQuery = z.strictObject({ ids: z.array(uuid).max(10_000) });

export const runIdParams = z.strictObject({ id: uuid });

/** The first issue as "name: problem", for a one-line error. */
export function describeRequestIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const place = issue.path.length > 0 ? issue.path.join('.') : 'request';
  return `${place}: ${issue.message}`;
}
