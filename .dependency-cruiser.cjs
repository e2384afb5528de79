// The house rules for src/ (docs/architecture.md), checked by `npm run lint:deps` as part of `npm test`.
// Each room is entered from the others only through its index.ts (a type-only import may also use its types.ts),
// a room imports only rooms below it, and no file imports itself back through a cycle.

/** The rooms, bottom to top: a room may import only rooms on earlier lines (two rooms on one line import neither). */
const layers = [
  ['stats'],
  ['core'],
  ['files', 'duckdb'],
  ['model'],
  ['analytics/events'],
  ['analytics/spool'],
  ['analytics/capture'],
  ['analytics/warehouse'],
  ['analytics/query'],
  ['bench'],
  ['suites'],
  ['store'],
  ['server'],
  ['remote'],
  ['compare'],
  ['report'],
  ['monitor/alerts'],
  ['monitor/advice', 'monitor/metrics'],
  ['dashboard'],
  ['cli'],
];

/** The package's entries stand at the top beside the CLI: they use any room's door but the CLI's; no room uses them. */
const entries = '^src/(index|monitoring-api)[.]ts$';

const rooms = layers.flat();
const inRoom = (room) => `^src/${room}/`;
const anyOf = (names) => `^src/(${names.join('|')})/`;

const doors = rooms.flatMap((room) => [
  {
    name: 'room-door',
    comment: `Enter src/${room}/ from another room only through its index.ts (or, for types, its types.ts).`,
    severity: 'error',
    from: { path: '^src/', pathNot: inRoom(room) },
    to: { path: inRoom(room), pathNot: `${inRoom(room)}(index|types)[.]ts$` },
  },
  {
    name: 'room-door',
    comment: `src/${room}/types.ts is a door for types only: values come through its index.ts.`,
    severity: 'error',
    from: { path: '^src/', pathNot: inRoom(room) },
    to: { path: `${inRoom(room)}types[.]ts$`, dependencyTypesNot: ['type-only'] },
  },
]);

const arrows = layers.flatMap((layer, level) =>
  layer.map((room) => {
    const notBelow = layers.slice(level).flat().filter((other) => other !== room);
    return {
      name: 'arrows-down',
      comment: `src/${room}/ may import only the rooms below it: ${layers.slice(0, level).flat().join(', ') || 'none'}.`,
      severity: 'error',
      from: { path: inRoom(room) },
      to: { path: notBelow.length > 0 ? [anyOf(notBelow), entries] : entries },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle, not even through type-only imports: a cycle means two files are one concern.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...doors,
    ...arrows,
    {
      name: 'monitor-reads-query',
      comment: "monitor/ reads analytics through the query room (and its shared event vocabulary), never the warehouse's tables or the spools.",
      severity: 'error',
      from: { path: '^src/monitor/' },
      to: { path: '^src/analytics/(spool|capture|warehouse)/' },
    },
    {
      name: 'dashboard-ui-alone',
      comment: 'dashboard/ui is a browser program: of the rest of src/ it may import only the HTTP API contract.',
      severity: 'error',
      from: { path: '^src/dashboard/ui/' },
      to: { path: '^src/', pathNot: ['^src/dashboard/ui/', '^src/dashboard/http/api-types[.]ts$'] },
    },
    {
      name: 'dashboard-ui-alone',
      comment: 'dashboard/ui is bundled for the browser on its own: nothing in src/ imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/dashboard/ui/' },
      to: { path: '^src/dashboard/ui/' },
    },
    {
      name: 'types-stay-type-only',
      comment: 'A types.ts door (and the API contract the browser bundles) imports types only, so it stays browser-safe.',
      severity: 'error',
      from: { path: [`${anyOf(rooms)}types[.]ts$`, '^src/dashboard/http/api-types[.]ts$'] },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-cli',
      comment: 'The CLI is the top: only bin/ (through dist/) and tests import src/cli/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'not-to-entries',
      comment: "The package's entries are the top: no room imports src/index.ts or src/monitoring-api.ts.",
      severity: 'error',
      from: { path: '^src/', pathNot: entries },
      to: { path: entries },
    },
    {
      name: 'not-to-tests',
      comment: 'The shipped code never imports the tests or the benchmarks.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'in-a-room',
      comment: `Every file under src/ is in a room (${rooms.join(', ')}) or is an entry.`,
      severity: 'error',
      from: { path: '^src/', pathNot: [anyOf(rooms), entries] },
      to: {},
    },
    {
      name: 'in-a-room',
      comment: `Every file under src/ is in a room (${rooms.join(', ')}) or is an entry.`,
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: [anyOf(rooms), entries] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'The installed package has no devDependencies: only the browser bundle (built before packing) uses them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/dashboard/ui/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      comment: 'A file nothing imports and that imports nothing is dead, unless it is an entry.',
      severity: 'error',
      from: { orphan: true, pathNot: [entries, '[.]d[.]ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: they make cycles and cross doors as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
