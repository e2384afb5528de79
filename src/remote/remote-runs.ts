/**
 * The runs of a project on the team server, read as a local store is read (findRuns, findRunOverviews, getRun),
 * so that compare --baseline-branch and history use one implementation of their statistics for both sources.
 */
import type { RunListing, RunOverview, RunRecord } from '../model/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { decodeInlineDocument, reviveSpecialNumbers, type RunFilter } from '../store/index.js';
import type { ServerClient } from './server-client.js';

function query(filter: RunFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value !== undefined && value !== null) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A filter the server can answer: it keeps no run without a label apart (label: null), so that one is refused. */
function serverFilter(filter: RunFilter): RunFilter {
  if (filter.label === null) throw new KeyscopeError(ErrorCodes.usage, 'the keyscope server cannot select runs without a label');
  return filter;
}

export class RemoteRuns {
  /** How messages name this source: "server http://host:port". */
  readonly path: string;

  constructor(private readonly client: ServerClient) {
    this.path = `server ${client.origin}`;
  }

  async findRuns(filter: RunFilter = {}): Promise<RunListing[]> {
    const answer = await this.client.request<{ runs: RunListing[] }>('GET', `/v1/runs${query(serverFilter(filter))}`);
    return answer!.runs;
  }

  /** Overviews of the runs `filter` selects; with `cases`, only the cases of those identities (model caseIdentity). */
  async findRunOverviews(filter: RunFilter = {}, cases?: readonly string[]): Promise<RunOverview[]> {
    const body = { ...serverFilter(filter), ...(cases === undefined ? {} : { cases }) };
    // The answer's special numbers (NaN, infinities, -0) are encoded as in a run document. The reviver visits every
    // value (it would make reading a long history several times slower), so it runs only when one is there.
    const parse = (text: string) => JSON.parse(text, text.includes('"$number"') ? reviveSpecialNumbers : undefined) as unknown;
    const answer = await this.client.request<{ runs: RunOverview[] }>('POST', '/v1/runs/overviews', body, { parse });
    return answer!.runs;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const document = await this.client.request<unknown>('GET', `/v1/runs/${encodeURIComponent(id)}`, undefined, { missingOk: true });
    if (document === undefined) return undefined;
    const run = decodeInlineDocument(document);
    if (typeof run === 'string') throw new KeyscopeError(ErrorCodes.serverProtocol, `${this.client.origin} answered run ${id} with something that is not a run: ${run}`);
    return run;
  }

  /** Of `ids`, those the server lacks. */
  async missing(ids: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    // In slices the server accepts (10,000 ids a request).
    for (let first = 0; first < ids.length; first += 10_000) {
      const answer = await this.client.request<{ missing: string[] }>('POST', '/v1/runs/missing', { ids: ids.slice(first, first + 10_000) });
      missing.push(...answer!.missing);
    }
    return missing;
  }

  /** Sends a run document; true when the server stored it now, false when it already had it. */
  async put(document: object): Promise<boolean> {
    const answer = await this.client.request<{ stored: boolean }>('POST', '/v1/runs', document);
    return answer!.stored;
  }
}
