/**
 * The ingest tick: every tickMs the server moves the pending spools into the database (the same ingest every
 * open runs, which keeps the rollups current) and, when events moved in, tells the open pages. Ticks never
 * overlap (the next is scheduled when one ends), and they queue on the database like requests do. A tick with no
 * spool file to read does not open the database at all (the dashboard holds it only while it uses it).
 */
import { ingestPendingSpools } from '../../analytics/warehouse/index.js';
import { listPendingSpools } from '../../analytics/spool/index.js';
import type { DashboardDatabase } from '../sources/dashboard-database.js';
import type { LiveUpdates } from '../http/live-updates.js';

export interface IngestStats {
  lastTickAt: string | null;
  /** Events ingested over the last 60 s. */
  eventsLastMinute: number;
}

const minuteMs = 60_000;

export class IngestTicker {
  readonly #database: DashboardDatabase;
  readonly #live: LiveUpdates;
  readonly #tickMs: number;
  readonly #afterIngest: (moved: number) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  #lastTickAt: number | null = null;
  /** (time, events) of the ticks of the last minute that moved something. */
  #recent: { at: number; events: number }[] = [];
  #lastErrorCount = -1;
  /**
   * The spools as the last ingest left them (name, size, writer gone). A live writer's spool stays listed until
   * its process exits, so listing alone would open the database every tick; unchanged spools hold nothing new.
   */
  #ingestedSpools = '';

  constructor(options: { database: DashboardDatabase; live: LiveUpdates; tickMs: number; afterIngest: (moved: number) => void }) {
    this.#database = options.database;
    this.#live = options.live;
    this.#tickMs = options.tickMs;
    this.#afterIngest = options.afterIngest;
  }

  start(): void {
    this.#schedule();
  }

  stats(now = Date.now()): IngestStats {
    this.#recent = this.#recent.filter((tick) => tick.at > now - minuteMs);
    return {
      lastTickAt: this.#lastTickAt === null ? null : new Date(this.#lastTickAt).toISOString(),
      eventsLastMinute: this.#recent.reduce((sum, tick) => sum + tick.events, 0),
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#tick().finally(() => {
        this.#running = null;
        this.#schedule();
      });
    }, this.#tickMs);
  }

  async #tick(): Promise<void> {
    try {
      const spools = listPendingSpools(this.#database.paths.spoolDir);
      const seen = JSON.stringify(spools.map((spool) => [spool.name, spool.bytes, spool.writerGone]));
      if (spools.length === 0 || seen === this.#ingestedSpools) {
        this.#lastTickAt = Date.now();
        return;
      }
      const change = await this.#database.run(async (connection) => {
        const result = await ingestPendingSpools({ connection, paths: this.#database.paths });
        if (result.events === 0) return null;
        const row = (
          await connection.runAndReadAll(
            `SELECT (SELECT epoch_ms(max(time))::DOUBLE FROM event_rows) AS newest, (SELECT coalesce(sum(count), 0)::DOUBLE FROM error_groups) AS errors`,
          )
        ).getRowObjectsJS()[0]!;
        return { events: result.events, newest: row['newest'] === null ? null : Number(row['newest']), errors: Number(row['errors']) };
      });
      this.#ingestedSpools = seen;
      this.#lastTickAt = Date.now();
      if (change === null) return;
      this.#recent.push({ at: this.#lastTickAt, events: change.events });
      const errorsChanged = change.errors !== this.#lastErrorCount;
      this.#lastErrorCount = change.errors;
      this.#live.send({
        ingested: change.events,
        newestEvent: change.newest === null ? null : new Date(change.newest).toISOString(),
        kinds: errorsChanged ? ['events', 'errors'] : ['events'],
      });
      // Not awaited: the alerts are evaluated on their own (coalesced) schedule, off this tick.
      this.#afterIngest(change.events);
    } catch (error) {
      // A failed tick (a damaged spool file, a full disk) is reported and retried on the next one.
      process.stderr.write(`keyscope dashboard: ingest failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
    }
  }
}
