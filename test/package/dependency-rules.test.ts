/**
 * The house rules (.dependency-cruiser.cjs, run on src/ by `npm run lint:deps`) can fail: on a small house drawn
 * the way docs/architecture.md says, they report nothing, and each kind of break planted in it is reported under
 * its rule's name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterEach, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/** A few rooms, each with its door, an entry that uses them all, and the browser program beside the dashboard. */
const house: Record<string, string> = {
  'src/stats/index.ts': 'export const median = (xs: number[]) => xs[0];\n',
  'src/core/index.ts': "export { keygen } from './keygen.js';\n",
  'src/core/keygen.ts': "import { median } from '../stats/index.js';\nexport const keygen = () => median([1]);\n",
  'src/model/index.ts': "export type { RunRecord } from './types.js';\nexport const version = 1;\n",
  'src/model/types.ts': "import type { keygen } from '../core/index.js';\nexport interface RunRecord { made: typeof keygen }\n",
  'src/bench/index.ts': "import { keygen } from '../core/index.js';\nexport const bench = () => keygen();\n",
  'src/store/index.ts': "import type { RunRecord } from '../model/types.js';\nexport const save = (run: RunRecord) => run;\n",
  'src/analytics/warehouse/index.ts': "export const rollup = 'rollup_events';\n",
  'src/analytics/query/index.ts': "import { rollup } from '../warehouse/index.js';\nexport const count = () => rollup;\n",
  'src/monitor/alerts/index.ts': "import { count } from '../../analytics/query/index.js';\nexport const alerts = () => count();\n",
  'src/dashboard/index.ts': "import type { Page } from './http/api-types.js';\nexport const page: Page = { title: '' };\n",
  'src/dashboard/http/api-types.ts': 'export interface Page { title: string }\n',
  'src/dashboard/ui/main.ts': "import type { Page } from '../http/api-types.js';\nexport const shown: Page[] = [];\n",
  'src/cli/main.ts': "import { bench } from '../bench/index.js';\nimport { page } from '../dashboard/index.js';\nexport const main = () => [bench(), page];\n",
  'src/index.ts': [
    "export { bench } from './bench/index.js';",
    "export { keygen } from './core/index.js';",
    "export { version } from './model/index.js';",
    "export { save } from './store/index.js';",
    "export { page } from './dashboard/index.js';",
    "export { alerts } from './monitor/alerts/index.js';",
    '',
  ].join('\n'),
};

/** One break of each kind, as a file added to (or replacing one in) the house. */
const breaks: Record<string, string> = {
  // core/keygen.ts -> core/loop.ts -> core/keygen.ts
  'src/core/loop.ts': "import { keygen } from './keygen.js';\nexport const again = () => keygen();\n",
  'src/core/keygen.ts': "import { median } from '../stats/index.js';\nimport { again } from './loop.js';\nexport const keygen = () => median([1]) ?? again();\n",
  // stats is below core: an arrow back up
  'src/stats/index.ts': "import { keygen } from '../core/index.js';\nexport const median = (xs: number[]) => xs[0] ?? keygen();\n",
  // bench walks past core's door
  'src/bench/index.ts': "import { keygen } from '../core/keygen.js';\nexport const bench = () => keygen();\n",
  // a value through a types.ts door
  'src/store/index.ts': "import { RunRecord } from '../model/types.js';\nexport const save = (run: RunRecord) => run;\n",
  // monitor reading the warehouse's tables instead of a query
  'src/monitor/alerts/index.ts': "import { rollup } from '../../analytics/warehouse/index.js';\nexport const alerts = () => rollup;\n",
  // the browser program reaching into the server
  'src/dashboard/ui/main.ts': "import { page } from '../index.js';\nexport const shown = [page];\n",
  // the library importing the CLI
  'src/model/index.ts': "export type { RunRecord } from './types.js';\nexport { main as version } from '../cli/main.js';\n",
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function violations(files: Record<string, string>): Promise<{ cruised: number; found: string[] }> {
  dir = mkdtempSync(join(tmpdir(), 'keyscope-house-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
  const { output } = await cruise(['src'], { ...options, baseDir: dir }, {}, { tsConfig: extractTSConfig(join(root, 'tsconfig.json')) });
  const { summary } = output as ICruiseResult;
  return { cruised: summary.totalCruised, found: summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} -> ${to}`) };
}

it('the house as drawn breaks no rule', async () => {
  expect(await violations(house)).toEqual({ cruised: Object.keys(house).length, found: [] });
});

it('reports a cycle, an arrow back up and a door walked past, each by its rule', async () => {
  const { found } = await violations({ ...house, ...breaks });
  expect(found).toEqual(
    expect.arrayContaining([
      'no-circular: src/core/keygen.ts -> src/core/loop.ts',
      'arrows-down: src/stats/index.ts -> src/core/index.ts',
      'room-door: src/bench/index.ts -> src/core/keygen.ts',
      'room-door: src/store/index.ts -> src/model/types.ts',
      'monitor-reads-query: src/monitor/alerts/index.ts -> src/analytics/warehouse/index.ts',
      'dashboard-ui-alone: src/dashboard/ui/main.ts -> src/dashboard/index.ts',
      'not-to-cli: src/model/index.ts -> src/cli/main.ts',
      'arrows-down: src/model/index.ts -> src/cli/main.ts',
    ]),
  );
});
