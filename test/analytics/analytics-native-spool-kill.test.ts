/**
 * A writer killed with SIGKILL in the middle of a generate loop loses nothing it had finished: each record is
 * a store into a shared file mapping, which the page cache keeps once the process is gone. The child reports
 * how many keys it has made; every one of them must be readable, in order, from its segments.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { nativeAddonPath } from '../../src/core/native/binding.js';

// Plain CommonJS on the raw binding: the child needs nothing but the addon.
const childSource = `
const binding = require(process.argv[1]);
const generation = binding.analyticsSpoolOpen({ dir: process.argv[2], installId: 'killed', sessionId: 's',
  keyscopeVersion: 'v', firstSegmentRecords: 64, maxSegmentRecords: 1024 });
binding.analyticsSpoolSetMask(generation, 1);
const algorithms = ['ed25519', 'x25519'];
for (let made = 1; ; made++) {
  binding.generateKeyPairSync(algorithms[made % 2], false);
  if (made % 25 === 0) require('node:fs').writeSync(1, made + '\\n');
}
`;

describe('native spool after SIGKILL', () => {
  it('keeps every record the killed writer had finished, readable and in order', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
    const child = spawn(process.execPath, ['-e', childSource, nativeAddonPath, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let reported = 0;
    let buffered = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) reported = Number(line);
      // Past a few rollovers (64 + 256 + 1024 records), mid-loop.
      if (reported >= 2000) child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    expect(reported).toBeGreaterThanOrEqual(2000);

    const seq = (name: string) => Number(/-(\d+)\.bin$/.exec(name)![1]);
    const names = readdirSync(dir).sort((a, b) => seq(a) - seq(b));
    expect(names.length).toBeGreaterThanOrEqual(3);
    const segments = names.map((name) => readSpoolSegment(join(dir, name), 0));
    // The last segment was never sealed: its writer died.
    expect(segments.at(-1)!.header.sealed).toBe(false);
    expect(segments.every((s) => s.header.pid === child.pid)).toBe(true);
    const events = segments.flatMap((s) => s.events);
    expect(events.length).toBeGreaterThanOrEqual(reported);
    // Key n used algorithms[n % 2]: the records are the calls, in order, with no gap and no torn record.
    events.forEach((event, i) => {
      expect(event.type).toBe('api.call');
      if (event.type === 'api.call') expect(event.algorithm).toBe(i % 2 === 0 ? 'x25519' : 'ed25519');
    });
  });
});
