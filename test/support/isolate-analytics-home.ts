/**
 * Every test process gets its own empty KEYSCOPE_HOME, so no test reads or writes the developer's real
 * analytics data, and no test depends on consent left behind by another. Tests that need a specific home set
 * KEYSCOPE_HOME themselves.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env['KEYSCOPE_HOME'] = mkdtempSync(join(tmpdir(), 'keyscope-test-home-'));
