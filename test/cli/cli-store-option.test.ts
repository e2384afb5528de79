/**
 * One name for the run store on every command: --db (as KEYSCOPE_DB). dashboard and recommend first called it
 * --store; that still works there, hidden from help, and giving both is refused.
 */
import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';
import { storeWith } from '../support/runs-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

const storeCommands = [['bench'], ['compare'], ['report'], ['runs', 'list'], ['runs', 'show'], ['runs', 'export'], ['runs', 'import'], ['runs', 'delete'], ['dashboard'], ['recommend']];

describe('the run store option', () => {
  it.each(storeCommands.map((command) => [command.join(' '), command]))('keyscope %s --help shows --db and no --store', async (_name, command) => {
    const help = await runCli([...(command as string[]), '--help']);
    expect(help.status).toBe(0);
    // Commander wraps help to the terminal's width: compare it as one line.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(' --db <path> run store (default: $KEYSCOPE_DB or .keyscope/keyscope.duckdb) ');
    expect(help.stdout).not.toContain('--store');
  });

  it('recommend reads the store named by --db, and by the old --store', async () => {
    const { dir, db } = await storeWith([makeRun({ id: '0db0db00-0000-4000-8000-000000000001', startedAt: new Date().toISOString(), samples: 200 })]);
    const env = { KEYSCOPE_HOME: dir, KEYSCOPE_DB: '' };
    for (const flag of ['--db', '--store']) {
      const result = await runCli(['recommend', flag, db, '--json'], { env });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect((JSON.parse(result.stdout) as { sources: { store: string | null } }).sources.store).toBe(db);
    }
  });

  it('refuses --db and --store together', async () => {
    const result = await runCli(['recommend', '--db', 'a.duckdb', '--store', 'b.duckdb']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^keyscope: error KS_USAGE: option '--store <path>' cannot be used with option '--db <path>'\n$/);
  });
});
