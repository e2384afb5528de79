/*
 * keyscope HTML report: lays out the view model embedded in #keyscope-data (see src/report/report-model.ts)
 * and draws its charts with uPlot. Every string from the data reaches the page through textContent or text
 * nodes only, never as markup, since suite, case and run names are whatever a user wrote.
 */
/* global document, window, setTimeout, clearTimeout, uPlot -- a browser script; uPlot is the inlined chart library */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('keyscope-data').textContent);
  var app = document.getElementById('app');
  var PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#854d0e', '#db2777'];
  var charts = [];
  // What the filter hides or shows: problem items one by one, and the comparison table's and case list's groups.
  var filterables = [];
  var tableGroups = [];
  var listGroups = [];

  // ---- DOM helpers: text only ------------------------------------------------------------------------------

  /** el('td', 'class-name', child, 'text', ...): children are nodes or strings (which become text nodes). */
  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(node, c); });
      return;
    }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function table(className, headers, rows) {
    var head = el('tr', null, headers.map(function (h) { return el('th', null, h); }));
    return el('div', 'table-wrap', el('table', className, el('thead', null, head), el('tbody', null, rows)));
  }

  function swatch(index) {
    var s = el('span', 'swatch');
    s.style.background = colorOf(index);
    return s;
  }

  function colorOf(runIndex) {
    return PALETTE[runIndex % PALETTE.length];
  }

  // ---- numbers for humans ----------------------------------------------------------------------------------

  function sig(value, digits) {
    var text = value.toPrecision(digits);
    return String(Number(text));
  }

  function fmtNs(ns) {
    if (ns === null || ns === undefined || !isFinite(ns)) return '–';
    var abs = Math.abs(ns);
    if (abs >= 1e9) return sig(ns / 1e9, 3) + ' s';
    if (abs >= 1e6) return sig(ns / 1e6, 3) + ' ms';
    if (abs >= 1e3) return sig(ns / 1e3, 3) + ' µs';
    return sig(ns, 3) + ' ns';
  }

  function fmtCount(n) {
    if (n === null || n === undefined || !isFinite(n)) return '–';
    var abs = Math.abs(n);
    if (abs >= 1e9) return sig(n / 1e9, 3) + ' G';
    if (abs >= 1e6) return sig(n / 1e6, 3) + ' M';
    if (abs >= 1e4) return sig(n / 1e3, 3) + ' k';
    return sig(n, abs >= 100 ? 4 : 3);
  }

  function fmtBytes(n) {
    if (n === null || n === undefined || !isFinite(n)) return '–';
    var abs = Math.abs(n);
    if (abs >= 1073741824) return sig(n / 1073741824, 3) + ' GiB';
    if (abs >= 1048576) return sig(n / 1048576, 3) + ' MiB';
    if (abs >= 1024) return sig(n / 1024, 3) + ' KiB';
    return n + ' B';
  }

  function fmtPercentile(p) {
    if (p === null || p === undefined || !isFinite(p)) return '–';
    if (p <= 0) return 'p0 (min)';
    var pct = p * 100;
    var text = pct >= 99 ? String(Number(pct.toFixed(3))) : String(Number(pct.toFixed(1)));
    return 'p' + text;
  }

  function fmtDate(iso) {
    var t = Date.parse(iso);
    if (!isFinite(t)) return String(iso);
    return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
  }

  function fmtDuration(fromIso, toIso) {
    var ms = Date.parse(toIso) - Date.parse(fromIso);
    if (!isFinite(ms) || ms < 0) return '–';
    if (ms < 60000) return sig(ms / 1000, 3) + ' s';
    var minutes = Math.floor(ms / 60000);
    var seconds = Math.round((ms % 60000) / 1000);
    return minutes + ' min ' + seconds + ' s';
  }

  function fmtUnit(value, unit) {
    if (unit === 'ns') return fmtNs(value);
    if (unit === 'bytes') return fmtBytes(value);
    return fmtCount(value);
  }

  function shortCommit(commit) {
    return commit ? commit.slice(0, 10) : '–';
  }

  function caseTitle(key) {
    return key.suite + ' / ' + key.case;
  }

  function caseSubtitle(key) {
    return key.implementation + (key.algorithm ? ' · ' + key.algorithm : '');
  }

  function searchText(key) {
    return [key.suite, key.case, key.implementation, key.algorithm].join('\n').toLowerCase();
  }

  function verdictBadge(verdict) {
    return el('span', 'verdict verdict-' + verdict, verdict);
  }

  // ---- header, runs, environment -----------------------------------------------------------------------------

  function header() {
    var runs = data.runs.length + (data.runs.length === 1 ? ' run' : ' runs');
    var cases = data.cases.length + (data.cases.length === 1 ? ' case' : ' cases') + ' of ' + data.groups.length + (data.groups.length === 1 ? ' algorithm' : ' algorithms');
    var history = data.history.length ? ' · history of ' + data.history.length + ' runs' : '';
    return el('header', null, el('h1', null, data.title), el('p', 'meta', 'Generated ' + fmtDate(data.generatedAt) + ' · ' + runs + ' · ' + cases + history));
  }

  function runsSection() {
    var rows = data.runs.map(function (run, i) {
      var git = run.git;
      return el(
        'tr',
        null,
        el('td', null, swatch(i), el('span', 'run-name', run.name)),
        el('td', 'mono', run.id),
        el('td', null, run.label === null ? '–' : run.label),
        el('td', 'mono', git ? shortCommit(git.commit) : '–'),
        el('td', null, git && git.branch !== null ? git.branch : '–'),
        el('td', null, git ? (git.dirty ? el('span', 'warn', 'dirty') : 'clean') : '–'),
        el('td', null, fmtDate(run.startedAt)),
        el('td', null, fmtDate(run.endedAt)),
        el('td', 'num', fmtDuration(run.startedAt, run.endedAt)),
        el('td', null, run.status === 'complete' ? 'complete' : el('span', 'warn', run.status)),
        el('td', 'num', run.counts.completed + ' / ' + run.counts.errored + ' / ' + run.counts.skipped),
      );
    });
    var section = el(
      'section',
      'block',
      el(
        'details',
        'fold',
        el('summary', null, el('h2', null, 'Runs (' + data.runs.length + ')')),
        table('runs', ['Series', 'Run id', 'Label', 'Commit', 'Branch', 'Tree', 'Started', 'Ended', 'Duration', 'Status', 'Completed / errored / skipped'], rows),
      ),
    );
    section.id = 'runs';
    return section;
  }

  function longValue(text) {
    if (text.length <= 80) return text;
    var words = text.split(' ').length;
    return el('details', 'long', el('summary', null, words + ' values'), el('div', 'mono wrap', text));
  }

  function environmentSection() {
    var headers = ['Field'].concat(
      data.runs.map(function (run) { return run.name; }),
    );
    var rows = data.environment.map(function (row) {
      return el(
        'tr',
        row.differs ? 'differs' : null,
        el('th', null, row.field),
        row.values.map(function (v) { return el('td', null, longValue(v)); }),
      );
    });
    var note = data.runs.length > 1
      ? el('p', 'note', data.environment.some(function (r) { return r.differs; }) ? 'Highlighted rows differ between the runs.' : 'The runs share one environment.')
      : null;
    var differing = data.environment.filter(function (r) { return r.differs; }).length;
    var section = el(
      'section',
      'block',
      el('details', 'fold', el('summary', null, el('h2', null, 'Environment' + (differing ? ' (' + differing + ' fields differ)' : ''))), note, table('environment', headers, rows)),
    );
    section.id = 'environment';
    return section;
  }

  // ---- comparison ---------------------------------------------------------------------------------------------

  function sideName(ref) {
    return (ref.label !== null ? ref.label + ' ' : '') + '(' + ref.id.slice(0, 8) + (ref.commit ? ' @ ' + shortCommit(ref.commit) : '') + (ref.dirty ? ', dirty' : '') + ')';
  }

  /** One cell per column; a case with two measures (RSA) stacks the second under the first. */
  function measureCell(className, measures, pick) {
    return el('td', className, measures.map(function (m, i) { return el('div', i ? 'sub' : null, pick(m)); }));
  }

  /** A link that unfolds what holds its target and scrolls to it (see reveal). */
  function link(targetId, className) {
    var a = el('a', className);
    for (var i = 2; i < arguments.length; i++) append(a, arguments[i]);
    a.href = '#' + targetId;
    return a;
  }

  function rowId(index) {
    return 'row-' + index;
  }

  function comparisonRow(c, index) {
    var name = el('td', null, el('div', 'case-name', c.caseId ? link(c.caseId, 'case-link', c.label) : c.label));
    var row;
    if (c.state === 'unmatched') {
      var reason = el('td', 'reason', el('span', 'verdict verdict-unmatched', 'unmatched'), ' ', c.reason);
      reason.colSpan = 8;
      row = el('tr', 'case-row unmatched', name, reason);
    } else {
      var m = c.measures;
      row = el(
        'tr',
        'case-row',
        name,
        measureCell(null, m, function (x) { return x.name; }),
        measureCell('num', m, function (x) { return x.baseline; }),
        measureCell('num', m, function (x) { return x.candidate; }),
        measureCell('num', m, function (x) { return x.medians; }),
        measureCell('num', m, function (x) { return x.estimate; }),
        measureCell('num', m, function (x) { return x.interval; }),
        measureCell('num', m, function (x) { return x.p99; }),
        el(
          'td',
          null,
          verdictBadge(c.verdict),
          c.detail ? el('div', 'sub', c.detail) : null,
          c.notes.map(function (n) { return el('div', 'sub note', n); }),
          // RSA: which of candidates per key and time per candidate moved the mean time per key.
          c.search ? el('div', 'sub search', 'Search: ' + c.search.reading) : null,
        ),
      );
    }
    row.id = rowId(index);
    return { node: row, text: searchText(c.key) };
  }

  /** The gate and the counts: what a reader came for, first. */
  function verdictSection() {
    var cmp = data.comparison;
    var gate;
    var counts;
    if (cmp) {
      var n = cmp.counts;
      gate = n.regressed > 0
        ? el('p', 'gate gate-failed', 'Gate failed: ' + n.regressed + ' regressed')
        : el('p', 'gate gate-passed', 'Gate passed: nothing regressed');
      counts = el(
        'p',
        'counts',
        ['regressed', 'improved', 'unchanged', 'inconclusive'].map(function (v) { return el('span', 'count', verdictBadge(v), ' ' + n[v]); }),
        // Unstable cases (noisier than the threshold) do not gate; they are counted apart, so say how many.
        n.unstable ? el('span', 'count', el('span', 'verdict verdict-unstable', 'unstable'), ' ' + n.unstable) : null,
        el('span', 'count', el('span', 'verdict verdict-unmatched', 'unmatched'), ' ' + n.unmatched),
      );
    } else {
      var run = data.runs[data.runs.length - 1];
      gate = el('p', 'gate gate-none', 'No gate: one run, nothing to compare it with');
      counts = run ? el('p', 'counts', run.counts.completed + ' completed, ' + run.counts.errored + ' errored, ' + run.counts.skipped + ' skipped') : null;
    }
    var section = el('section', 'block verdict-block', el('h2', null, 'Verdict'), gate, counts);
    section.id = 'verdict';
    return section;
  }

  function comparisonSection() {
    var cmp = data.comparison;
    if (!cmp) return null;
    var settings = el(
      'p',
      'meta',
      'Candidate ' + sideName(cmp.candidate) + ' against baseline ' + sideName(cmp.baseline) + '. Changes are candidate vs baseline time (positive: slower), ' +
        sig(cmp.settings.confidence * 100, 4) + '% confidence for the run (each case ' + sig(cmp.caseConfidence * 100, 4) + '%); a change beyond ±' + sig(cmp.settings.threshold * 100, 3) + '% counts. ' +
        'Estimate: the change the verdict rests on: for runs measured in blocks, the ratio of typical block times, its interval from the spread between blocks; ' +
        'for older runs the typical ratio over all pairs of samples; for seeded runs the median of per-key ratios. An unstable case (noisier than the threshold) does not gate.',
    );
    // Across runtimes, Node and OpenSSL are what is compared, not a reason the timings differ.
    var compared = function (d) { return Boolean(cmp.runtimes) && (d.field === 'node' || d.field === 'openssl'); };
    var envRows = cmp.environment.differences.map(function (d) {
      var verdict = compared(d) ? 'compared' : d.significant ? el('span', 'warn', 'timings not comparable') : 'minor';
      return el('tr', d.significant && !compared(d) ? 'significant' : null, el('th', null, d.field), el('td', null, longValue(d.baseline)), el('td', null, longValue(d.candidate)), el('td', null, verdict));
    });
    var significant = cmp.environment.differences.some(function (d) { return d.significant && !compared(d); });
    var env = el(
      'details',
      'env-diff fold',
      el('summary', null, el('h3', null, 'Environment differences (' + envRows.length + ')', significant ? el('span', 'warn', ' timings not comparable') : null)),
      el('p', 'note', cmp.environment.sameMachine ? 'Both runs were measured on the same machine.' : 'The runs were measured on different machines.'),
      envRows.length ? table('environment-differences', ['Field', 'Baseline', 'Candidate', ''], envRows) : el('p', 'note', 'None.'),
    );
    var headers = ['Case', 'Measure', 'Baseline median', 'Candidate median', 'Medians', 'Estimate', sig(cmp.caseConfidence * 100, 4) + '% interval', 'p99 change', 'Verdict'];
    var head = el('thead', null, el('tr', null, headers.map(function (h) { return el('th', null, h); })));
    var bodies = cmp.groupOrder.map(function (g) { return comparisonGroup(data.groups[g], headers.length); });
    var section = el(
      'section',
      'block',
      el('h2', null, cmp.runtimes ? 'Runtimes compared' : 'Cases compared'),
      cmp.runtimes ? el('p', 'runtimes', 'Runtimes: ' + cmp.runtimes.line + '. A regression is a case slower on the candidate\'s runtime.') : null,
      settings,
      el('p', 'meta', 'One line per algorithm, those with a regression first, naming every case that regressed, improved or went missing; click an algorithm for its cases, a case for its charts.'),
      env,
      el('div', 'table-wrap', el('table', 'comparison', head, bodies)),
    );
    section.id = 'comparison';
    return section;
  }

  // ---- cases -------------------------------------------------------------------------------------------------

  function summaryRow(result, i) {
    var name = el('td', null, swatch(i), el('span', 'run-name', data.runs[i].name));
    if (result.state === 'absent') return el('tr', 'dim', name, el('td', 'reason', 'not in this run'));
    if (result.state === 'errored') return el('tr', 'errored', name, el('td', 'reason', el('span', 'state', 'errored'), ' ', el('span', 'mono', result.code), ': ', result.message));
    if (result.state === 'skipped') return el('tr', 'skipped', name, el('td', 'reason', el('span', 'state', 'skipped'), ': ', result.reason));
    var ns = result.ns;
    var interval = ns.low !== null && ns.high !== null ? '[' + fmtNs(ns.low) + ', ' + fmtNs(ns.high) + ']' : 'interval needs more samples';
    var pc = result.perCandidate;
    var reached = result.precision.reached === null ? '?' : '±' + sig(result.precision.reached * 100, 2) + '%';
    return el(
      'tr',
      null,
      name,
      el('td', 'num', el('div', null, fmtNs(ns.median)), el('div', 'sub', interval)),
      el('td', 'num', fmtNs(ns.p90)),
      el('td', 'num', fmtNs(ns.p99)),
      el('td', 'num', fmtNs(ns.p999)),
      el('td', 'num', fmtNs(ns.min) + ' – ' + fmtNs(ns.max)),
      el('td', 'num', fmtCount(ns.count)),
      el('td', 'num', reached, el('div', 'sub', 'target ±' + sig(result.precision.target * 100, 2) + '%, stopped by ' + result.precision.stoppedBy)),
      el('td', 'num', result.throughput === null ? '–' : fmtCount(result.throughput) + '/s', result.cycles ? el('div', 'sub', fmtCount(result.cycles.median) + ' cycles (median)') : null),
      pc
        ? el('td', 'num', el('div', null, fmtNs(pc.median)), el('div', 'sub', pc.low !== null && pc.high !== null ? '[' + fmtNs(pc.low) + ', ' + fmtNs(pc.high) + ']' : ''))
        : el('td', 'num dim', '–'),
    );
  }

  function counterCell(counter, result) {
    if (!counter) return el('td', 'dim', '–');
    if (!counter.available) return el('td', 'unavailable', 'unavailable: ' + counter.reason);
    var perOp = counter.group !== 'memory' && result.ns.count > 0 ? fmtUnit(counter.value / result.ns.count, counter.unit) + ' per sample' : null;
    return el('td', 'num', el('div', null, fmtUnit(counter.value, counter.unit), counter.scaled ? el('span', 'scaled', ' (scaled)') : null), perOp ? el('div', 'sub', perOp) : null);
  }

  function countersBlock(c) {
    var completed = [];
    c.results.forEach(function (r, i) { if (r.state === 'completed') completed.push(i); });
    var names = [];
    var groups = {};
    completed.forEach(function (i) {
      c.results[i].counters.forEach(function (counter) {
        if (names.indexOf(counter.name) < 0) names.push(counter.name);
        groups[counter.name] = counter.group;
      });
    });
    if (names.length === 0) return completed.length ? el('p', 'note', 'No counters were recorded for this case.') : null;
    var rows = names.map(function (name) {
      return el(
        'tr',
        null,
        el('th', null, name),
        el('td', 'dim', groups[name]),
        completed.map(function (i) {
          var result = c.results[i];
          var counter = null;
          result.counters.forEach(function (x) { if (x.name === name) counter = x; });
          return counterCell(counter, result);
        }),
      );
    });
    var headers = ['Counter', 'Group'].concat(completed.map(function (i) { return data.runs[i].name; }));
    var unavailable = 0;
    completed.forEach(function (i) { c.results[i].counters.forEach(function (x) { if (!x.available) unavailable++; }); });
    return el(
      'details',
      'counters',
      el('summary', null, 'Counters and memory (' + names.length + (unavailable ? ', ' + unavailable + ' unavailable' : '') + ')'),
      table('counters', headers, rows),
    );
  }

  function chartBox(title, caption) {
    var target = el('div', 'chart-target');
    var box = el('figure', 'chart', el('figcaption', null, title), target, caption ? el('p', 'sub chart-note', caption) : null);
    return { box: box, target: target };
  }

  /**
   * A case folded to one line (its name, parameters and verdict); its tables and charts are built the first
   * time it is opened, so a report of a hundred cases opens short and fast.
   */
  function caseSection(c) {
    var cmp = data.comparison && c.comparison !== null ? data.comparison.cases[c.comparison] : null;
    var params = Object.keys(c.parameters).map(function (k) { return k + '=' + c.parameters[k]; }).join(' ');
    var heading = el(
      'summary',
      'case-head',
      el('h3', null, el('span', 'case-name', caseTitle(c.key))),
      el('span', 'case-sub', caseSubtitle(c.key)),
      params ? el('span', 'params mono', params) : null,
      cmp && cmp.state === 'compared' ? el('span', 'case-verdict', verdictBadge(cmp.verdict), ' ' + cmp.measures[0].estimate + ' ' + cmp.measures[0].name) : null,
      cmp && cmp.state === 'unmatched' ? el('span', 'case-verdict', el('span', 'verdict verdict-unmatched', 'unmatched'), ' ' + cmp.reason) : null,
    );
    var details = el('details', 'case-detail', heading);
    var section = el('section', 'case', details);
    section.id = c.id;
    var built = false;
    details.addEventListener('toggle', function () {
      if (!details.open || built) return;
      built = true;
      var body = caseBody(c, details);
      var w = chartWidth(body.grid);
      body.pending.forEach(function (make) { make(w); });
    });
    return section;
  }

  function caseBody(c, container) {
    var summary = table(
      'summary',
      ['Run', 'Median [interval]', 'p90', 'p99', 'p99.9', 'Min – max', 'Samples', 'Precision', 'Throughput', 'Per prime candidate'],
      c.results.map(summaryRow),
    );
    container.appendChild(summary);
    var grid = el('div', 'charts');
    container.appendChild(grid);
    var pending = [];
    var completed = c.results.some(function (r) { return r.state === 'completed' && r.percentiles; });
    if (completed) {
      var pct = chartBox('Latency by percentile', 'x: percentile (log of 1/(1-p)); y: time per key (log)');
      var hist = chartBox('Histogram', histogramCaption(c));
      grid.appendChild(pct.box);
      grid.appendChild(hist.box);
      pending.push(function (w) { return percentileChart(c, pct.target, w); });
      if (c.histogramEdges) pending.push(function (w) { return histogramChart(c, hist.target, w); });
    }
    var problems = [];
    c.results.forEach(function (r, i) {
      if (r.state === 'completed' && r.distributionProblem) problems.push(el('p', 'note', data.runs[i].name + ': no distribution, ' + r.distributionProblem));
    });
    append(container, problems);
    if (hasHistory(c.history.ns)) {
      var changes = c.history.changes;
      var timeChanges = changes.filter(function (ch) { return ch.measure === 'time'; });
      var candidateChanges = changes.filter(function (ch) { return ch.measure === 'per-candidate'; });
      var h = chartBox('History: median per run', 'x: history run (oldest first); band: the median\u2019s interval; green: the run\u2019s location (typical block time on its fastest CPU), what compare and change points judge' + (timeChanges.length ? '; red lines: change points' : ''));
      grid.appendChild(h.box);
      pending.push(function (w) { return historyChart(c.history.ns, c.history.location, c.history.states, h.target, w, 'median', timeChanges); });
      if (c.history.perCandidate && hasHistory(c.history.perCandidate)) {
        var hp = chartBox('History: median per prime candidate', 'RSA: time per prime candidate is far steadier than time per key' + (candidateChanges.length ? '; red lines: change points' : ''));
        grid.appendChild(hp.box);
        pending.push(function (w) { return historyChart(c.history.perCandidate, c.history.locationPerCandidate, c.history.states, hp.target, w, 'per candidate', candidateChanges); });
      }
      if (changes.length) container.appendChild(el('p', 'note change-points', changesText(changes)));
    } else if (data.history.length) {
      container.appendChild(el('p', 'note', 'No history: the case completed in none of the history runs.'));
    }
    append(container, countersBlock(c));
    return { pending: pending, grid: grid };
  }

  function histogramCaption(c) {
    var above = [];
    c.results.forEach(function (r, i) {
      if (r.state === 'completed' && r.histogramAbove) above.push(data.runs[i].name + ' ' + sig(r.histogramAbove * 100, 2) + '%');
    });
    var last = c.histogramEdges ? c.histogramEdges[c.histogramEdges.length - 1] : null;
    var base = 'x: time per key (log bins); y: share of samples';
    return above.length && last !== null ? base + '. Beyond ' + fmtNs(last) + ': ' + above.join(', ') : base;
  }

  function hasHistory(series) {
    return series.median.some(function (m) { return m !== null; });
  }

  // ---- charts ------------------------------------------------------------------------------------------------

  var PERCENTILE_TICKS = [1, 2, 10, 100, 1000, 10000];
  var PERCENTILE_LABELS = { 1: '0%', 2: '50%', 10: '90%', 100: '99%', 1000: '99.9%', 10000: '99.99%' };

  function logRange(u, min, max) {
    if (min === null || max === null || !(min > 0)) return [1, 10];
    return [min / 1.15, max * 1.15];
  }

  function keepAll(u, splits) {
    return splits;
  }

  function round12(v) {
    return Number(v.toPrecision(12));
  }

  /** Evenly spaced round values (1, 2, 2.5, 5 × 10^k apart), about `target` of them. */
  function linearSplits(min, max, target) {
    var raw = (max - min) / target;
    if (!(raw > 0)) return [min];
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (f) { return f * magnitude; }).filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var v = Math.ceil(min / step) * step; v <= max; v += step) out.push(round12(v));
    return out;
  }

  /**
   * Ticks of a log axis at round values: decades when the range spans several, then 1-2-5 steps, and for
   * a range narrower than that, evenly spaced round values (which a log axis barely bends).
   */
  function logSplits(u, axisIdx, min, max) {
    if (!(min > 0) || !(max > min)) return [min];
    var lo = Math.floor(Math.log10(min));
    var hi = Math.ceil(Math.log10(max));
    var sets = [[1], [1, 2, 5]];
    for (var s = 0; s < sets.length; s++) {
      var out = [];
      for (var e = lo; e <= hi; e++) {
        sets[s].forEach(function (m) {
          var v = round12(m * Math.pow(10, e));
          if (v >= min && v <= max) out.push(v);
        });
      }
      if (out.length >= 3) return out;
    }
    return linearSplits(min, max, 4);
  }

  function nsAxis(log) {
    return {
      size: 64,
      splits: log ? logSplits : undefined,
      filter: keepAll,
      values: function (u, splits) { return splits.map(function (v) { return v === null ? '' : fmtNs(v); }); },
    };
  }

  function nsSeries(name, runIndex) {
    return {
      label: name,
      stroke: colorOf(runIndex),
      width: 1.75,
      points: { show: false },
      value: function (u, v) { return v === null || v === undefined ? '–' : fmtNs(v); },
    };
  }

  function makeChart(opts, aligned, target) {
    var chart = new uPlot(opts, aligned, target);
    charts.push(chart);
    return chart;
  }

  function percentileChart(c, target, width) {
    var xs = data.percentiles.map(function (p) { return 1 / (1 - p); });
    var series = [{ label: 'percentile', value: function (u, v) { return v === null || v === undefined ? '–' : fmtPercentile(1 - 1 / v); } }];
    var aligned = [xs];
    c.results.forEach(function (r, i) {
      if (r.state !== 'completed' || !r.percentiles) return;
      series.push(nsSeries(data.runs[i].name, i));
      aligned.push(r.percentiles);
    });
    var lastX = xs[xs.length - 1];
    return makeChart(
      {
        width: width,
        height: 240,
        series: series,
        scales: { x: { time: false, distr: 3, range: [1, lastX] }, y: { distr: 3, range: logRange } },
        axes: [
          {
            splits: function () { return PERCENTILE_TICKS.filter(function (t) { return t <= lastX * 1.0001; }); },
            filter: keepAll,
            values: function (u, splits) { return splits.map(function (v) { return PERCENTILE_LABELS[Math.round(v)] || ''; }); },
          },
          nsAxis(true),
        ],
      },
      aligned,
      target,
    );
  }

  function histogramChart(c, target, width) {
    var edges = c.histogramEdges;
    var series = [{ label: 'bin', value: function (u, v, s, idx) { return binLabel(edges, idx); } }];
    var aligned = [edges];
    var top = 0;
    c.results.forEach(function (r, i) {
      if (r.state !== 'completed' || !r.histogram) return;
      var ys = r.histogram.concat([r.histogram[r.histogram.length - 1]]);
      r.histogram.forEach(function (y) { if (y > top) top = y; });
      var color = colorOf(i);
      series.push({
        label: data.runs[i].name,
        stroke: color,
        fill: color + '22',
        width: 1.5,
        points: { show: false },
        paths: uPlot.paths.stepped({ align: 1 }),
        value: function (u, v) { return v === null || v === undefined ? '–' : sig(v * 100, 3) + '%'; },
      });
      aligned.push(ys);
    });
    return makeChart(
      {
        width: width,
        height: 240,
        series: series,
        scales: { x: { time: false, distr: 3, range: [edges[0], edges[edges.length - 1]] }, y: { range: [0, top > 0 ? top * 1.1 : 1] } },
        axes: [
          { splits: logSplits, filter: keepAll, values: function (u, splits) { return splits.map(function (v) { return v === null ? '' : fmtNs(v); }); } },
          { size: 56, values: function (u, splits) { return splits.map(function (v) { return sig(v * 100, 3) + '%'; }); } },
        ],
      },
      aligned,
      target,
    );
  }

  function binLabel(edges, idx) {
    if (idx === null || idx === undefined || idx >= edges.length - 1) return '–';
    return fmtNs(edges[idx]) + ' – ' + fmtNs(edges[idx + 1]);
  }

  function historyRunText(i, states) {
    var run = data.history[i];
    if (!run) return '';
    var parts = ['#' + (i + 1), fmtDate(run.startedAt)];
    if (run.label !== null) parts.push(run.label);
    if (run.commit) parts.push(shortCommit(run.commit) + (run.branch !== null ? ' (' + run.branch + ')' : '') + (run.dirty ? ' dirty' : ''));
    if (run.reported !== null) parts.push('reported as ' + data.runs[run.reported].name);
    if (run.status !== 'complete') parts.push('run ' + run.status);
    if (states[i] !== 'completed') parts.push('case ' + states[i]);
    return parts.join(' · ');
  }

  /** keyscope changes' words for a case's change points. */
  function changesText(changes) {
    return 'Change points (E-Divisive means): ' + changes.map(function (ch) {
      var before = data.history[ch.index - 1];
      var after = data.history[ch.index];
      var between = before && after && before.commit && after.commit ? ' between ' + shortCommit(before.commit) + ' and ' + shortCommit(after.commit) : '';
      return (ch.step >= 0 ? '+' : '') + sig(ch.step * 100, 3) + '% from run #' + (ch.index + 1) + between + (ch.measure === 'per-candidate' ? ' (per prime candidate)' : '') + ', p = ' + ch.pValue.toFixed(3);
    }).join('; ') + '.';
  }

  /** A uPlot draw hook: a dashed red line between the runs either side of each change, with its step. */
  function changeMarkers(changes) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#dc2626';
      ctx.fillStyle = '#dc2626';
      ctx.lineWidth = 1.5 * window.devicePixelRatio;
      ctx.setLineDash([6 * window.devicePixelRatio, 4 * window.devicePixelRatio]);
      ctx.font = 11 * window.devicePixelRatio + 'px sans-serif';
      changes.forEach(function (ch) {
        var x = Math.round(u.valToPos(ch.index - 0.5, 'x', true));
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.fillText((ch.step >= 0 ? '+' : '') + sig(ch.step * 100, 3) + '%', x + 4 * window.devicePixelRatio, u.bbox.top + 12 * window.devicePixelRatio);
      });
      ctx.restore();
    };
  }

  function historyChart(seriesData, location, states, target, width, what, changes) {
    var n = data.history.length;
    var xs = data.history.map(function (_, i) { return i; });
    var info = el('p', 'sub hover-info', 'Hover a run for its commit and label.');
    var chart = makeChart(
      {
        width: width,
        height: 240,
        series: [
          { label: 'run', value: function (u, v) { return v === null || v === undefined ? '–' : '#' + (v + 1); } },
          { label: 'interval high', stroke: '#93c5fd', width: 1, dash: [4, 3], points: { show: false }, value: function (u, v) { return fmtNs(v); } },
          { label: what, stroke: '#1d4ed8', width: 2, points: { show: true, size: 6 }, value: function (u, v) { return fmtNs(v); } },
          { label: 'interval low', stroke: '#93c5fd', width: 1, dash: [4, 3], points: { show: false }, value: function (u, v) { return fmtNs(v); } },
          { label: 'location', stroke: '#059669', width: 2, points: { show: true, size: 5 }, value: function (u, v) { return fmtNs(v); } },
        ],
        bands: [{ series: [1, 3], fill: 'rgba(37, 99, 235, 0.12)' }],
        scales: { x: { time: false, range: [-0.5, Math.max(0.5, n - 0.5)] }, y: { range: function (u, min, max) { return paddedRange(min, max); } } },
        axes: [
          { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], values: function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) && v >= 0 && v < n ? '#' + (v + 1) : ''; }); } },
          nsAxis(false),
        ],
        hooks: {
          setCursor: [
            function (u) {
              var idx = u.cursor.idx;
              info.textContent = idx === null || idx === undefined ? 'Hover a run for its commit and label.' : historyRunText(idx, states);
            },
          ],
          draw: changes && changes.length ? [changeMarkers(changes)] : [],
        },
      },
      [xs, seriesData.high, seriesData.median, seriesData.low, location || xs.map(function () { return null; })],
      target,
    );
    target.appendChild(info);
    return chart;
  }

  function paddedRange(min, max) {
    if (min === null || max === null) return [0, 1];
    if (min === max) return [min * 0.9, max * 1.1];
    var pad = (max - min) * 0.1;
    return [Math.max(0, min - pad), max + pad];
  }

  // ---- errored and skipped -------------------------------------------------------------------------------------

  /** A case's problems, one per distinct error or skip reason, each naming the runs it happened in. */
  function caseProblems(c) {
    var problems = [];
    c.results.forEach(function (r, i) {
      if (r.state !== 'errored' && r.state !== 'skipped') return;
      var text = r.state === 'errored' ? r.code + ': ' + r.message : r.reason;
      var same = problems.filter(function (p) { return p.state === r.state && p.text === text; })[0];
      if (same) same.runs.push(data.runs[i].name);
      else problems.push({ state: r.state, result: r, text: text, runs: [data.runs[i].name] });
    });
    return problems;
  }

  function problemItem(c, p) {
    var r = p.result;
    var item = el(
      'li',
      p.state,
      el('span', 'state', p.state),
      ' ',
      el('span', 'case-name', link(c.id, 'case-link', caseTitle(c.key))),
      ' ',
      el('span', 'sub', caseSubtitle(c.key) + ' · ' + (p.runs.length === data.runs.length && data.runs.length > 1 ? 'every run' : p.runs.join(', '))),
      el('div', 'reason', r.state === 'errored' ? [el('span', 'mono', r.code), ': ', r.message] : r.reason),
    );
    filterables.push({ node: item, text: searchText(c.key) });
    return item;
  }

  /** Errors in the open; skips (a case that cannot run here, by its suite's design) folded, as they are rarely news. */
  function problemsSection() {
    var errored = [];
    var skipped = [];
    data.cases.forEach(function (c) {
      caseProblems(c).forEach(function (p) { (p.state === 'errored' ? errored : skipped).push(problemItem(c, p)); });
    });
    if (errored.length + skipped.length === 0) return null;
    var section = el(
      'section',
      'block',
      el('h2', null, 'Errored and skipped cases'),
      errored.length ? el('ul', 'problems', errored) : null,
      skipped.length ? el('details', 'fold skipped-fold', el('summary', null, el('h3', null, 'Skipped (' + skipped.length + ')')), el('ul', 'problems', skipped)) : null,
    );
    section.id = 'problems';
    return section;
  }

  // ---- groups: one folded line per algorithm -------------------------------------------------------------------

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  /** The group's counts in words: its share of the comparison's verdicts, or without one its errors and skips. */
  function groupCounts(g) {
    var parts = [];
    if (g.counts) {
      ['regressed', 'improved', 'unchanged', 'inconclusive', 'unstable', 'unmatched'].forEach(function (v) {
        if (g.counts[v]) parts.push(el('span', 'tally tally-' + v, g.counts[v] + ' ' + v));
      });
    } else {
      if (g.errored) parts.push(el('span', 'tally tally-regressed', g.errored + ' errored'));
      if (g.skipped) parts.push(el('span', 'tally', g.skipped + ' skipped'));
    }
    var out = [];
    parts.forEach(function (part, i) { out.push(i ? ' · ' : null, part); });
    return el('span', 'group-counts', out);
  }

  /** Every case of the group that changed, each a link to where its figures are (`targetOf` its row index). */
  function groupChanges(g, targetOf) {
    if (g.changes.length === 0) return null;
    return el('span', 'changes', g.changes.map(function (ch) {
      var chip = link(targetOf(ch.row), 'change change-' + ch.verdict, verdictBadge(ch.verdict), ' ', el('span', 'change-name', ch.name), ch.estimate ? el('span', 'change-estimate', ' ' + ch.estimate) : null);
      if (ch.reason) chip.title = ch.reason;
      return chip;
    }));
  }

  function groupName(g) {
    return g.algorithm || 'no algorithm';
  }

  /**
   * A group of the comparison table: a tbody whose first row sums the group up and folds or unfolds its case
   * rows (one table for every group, so the columns line up across them).
   */
  function comparisonGroup(g, columns) {
    var rows = g.rows.map(function (r) { return comparisonRow(data.comparison.cases[r], r); });
    var toggle = el('button', 'group-toggle', groupName(g));
    toggle.type = 'button';
    var cell = el('td', 'group-cell', toggle, ' ', el('span', 'group-size', plural(g.cases.length, 'case', 'cases')), ' ', groupCounts(g), ' ', groupChanges(g, rowId));
    cell.colSpan = columns;
    var body = el('tbody', 'group', el('tr', 'group-head', cell), rows.map(function (r) { return r.node; }));
    var group = { body: body, rows: rows, expanded: false, filtering: false, matched: rows.map(function () { return true; }) };
    group.refresh = function () {
      var open = group.expanded || group.filtering;
      toggle.setAttribute('aria-expanded', String(open));
      body.classList.toggle('open', open);
      body.hidden = group.filtering && group.matched.indexOf(true) < 0;
      rows.forEach(function (r, i) { r.node.hidden = !(open && group.matched[i]); });
    };
    group.expand = function () {
      group.expanded = true;
      group.refresh();
    };
    toggle.addEventListener('click', function () {
      group.expanded = !group.expanded;
      group.refresh();
    });
    group.refresh();
    tableGroups.push(group);
    return body;
  }

  /** A group of the case list: folded to its summary; its cases, each folded too, are laid out when it opens. */
  function caseGroup(g) {
    var cases = g.cases.map(function (i) { return { node: caseSection(data.cases[i]), text: searchText(data.cases[i].key) }; });
    var caseOfRow = function (row) { return data.comparison.cases[row].caseId; };
    var summary = el('summary', 'group-head', el('span', 'group-name', groupName(g)), ' ', el('span', 'group-size', plural(g.cases.length, 'case', 'cases')), ' ', groupCounts(g), ' ', groupChanges(g, caseOfRow));
    var details = el('details', 'case-group', summary, cases.map(function (c) { return c.node; }));
    details.id = g.id;
    listGroups.push({ details: details, cases: cases, openBefore: false });
    return details;
  }

  /**
   * Unfolds whatever holds the element of `id` (case-list groups, the case itself, a comparison group), scrolls
   * to it and marks it for a moment: every link of the page lands on something visible, however folded.
   */
  function reveal(id) {
    var target = document.getElementById(id);
    if (!target) return;
    if (target.hidden || target.closest('[hidden]')) clearFilter();
    tableGroups.forEach(function (g) { if (g.body.contains(target)) g.expand(); });
    for (var node = target.parentElement; node; node = node.parentElement) {
      if (node.tagName === 'DETAILS') node.open = true;
    }
    var own = target.querySelector(':scope > details.case-detail');
    if (own) own.open = true;
    target.scrollIntoView({ block: 'start' });
    target.classList.remove('revealed');
    void target.offsetWidth; // restart the highlight's animation
    target.classList.add('revealed');
  }

  // ---- filter --------------------------------------------------------------------------------------------------

  var filterInput = null;

  function clearFilter() {
    if (!filterInput || filterInput.value === '') return;
    filterInput.value = '';
    filterInput.dispatchEvent(new window.Event('input'));
  }

  /**
   * Keeps the cases, rows and problems that match every term, unfolding the groups that hold a match while a
   * filter is typed, and folding them back as they were when it is cleared.
   */
  function applyFilter(terms, wasFiltering) {
    var filtering = terms.length > 0;
    var matches = function (text) { return terms.every(function (t) { return text.indexOf(t) >= 0; }); };
    filterables.forEach(function (f) { f.node.hidden = !matches(f.text); });
    tableGroups.forEach(function (g) {
      g.filtering = filtering;
      g.matched = g.rows.map(function (r) { return matches(r.text); });
      g.refresh();
    });
    var shown = 0;
    listGroups.forEach(function (g) {
      if (filtering && !wasFiltering) g.openBefore = g.details.open;
      var any = false;
      g.cases.forEach(function (c) {
        var match = matches(c.text);
        c.node.hidden = !match;
        if (match) shown++;
        any = any || match;
      });
      g.details.hidden = filtering && !any;
      g.details.open = filtering ? any : g.openBefore;
    });
    return shown;
  }

  function filterBar(total) {
    var input = el('input', 'filter');
    input.type = 'search';
    input.id = 'case-filter';
    input.placeholder = 'Filter cases by suite, case, implementation or algorithm';
    input.setAttribute('aria-label', 'Filter cases');
    var count = el('span', 'filter-count', total + ' of ' + total + ' cases');
    var filtering = false;
    input.addEventListener('input', function () {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = applyFilter(terms, filtering);
      filtering = terms.length > 0;
      count.textContent = shown + ' of ' + total + ' cases';
    });
    filterInput = input;
    return el('div', 'filter-bar', input, count);
  }

  // ---- layout --------------------------------------------------------------------------------------------------

  function chartWidth(grid) {
    // Matches the grid of report.css: two columns 24px apart above 960px, each chart in 6px padding + border.
    var w = grid.clientWidth || app.clientWidth || 900;
    var columns = window.innerWidth > 960 ? 2 : 1;
    return Math.max(240, Math.floor((w - (columns - 1) * 24) / columns) - 14);
  }

  function render() {
    app.appendChild(header());
    app.appendChild(verdictSection());
    append(app, comparisonSection());
    var casesBlock = el('section', 'block', el('h2', null, 'Cases'));
    casesBlock.id = 'cases';
    app.appendChild(casesBlock);
    casesBlock.appendChild(filterBar(data.cases.length));
    if (data.cases.length === 0) casesBlock.appendChild(el('p', 'note', 'No cases.'));
    data.groups.forEach(function (g) { casesBlock.appendChild(caseGroup(g)); });
    append(app, problemsSection());
    app.appendChild(runsSection());
    app.appendChild(environmentSection());
    app.appendChild(el('footer', null, 'keyscope report · self-contained, no network access · charts by uPlot (MIT)'));

    // Links within the page (a change to its row or case, a row to its case) unfold what holds their target.
    app.addEventListener('click', function (event) {
      var a = event.target.closest ? event.target.closest('a[href^="#"]') : null;
      if (!a || !app.contains(a)) return;
      event.preventDefault();
      var id = a.getAttribute('href').slice(1);
      reveal(id);
      if (window.history && window.history.replaceState) window.history.replaceState(null, '', '#' + id);
    });
    // Opened at a link to one case or row (a report's address with #case-12 pasted in a review, say): show it.
    if (/^#[\w-]+$/.test(window.location.hash)) reveal(window.location.hash.slice(1));

    var lastWidth = app.clientWidth;
    var timer = null;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (app.clientWidth === lastWidth) return;
        lastWidth = app.clientWidth;
        var grids = Array.prototype.filter.call(app.querySelectorAll('.charts'), function (g) { return g.clientWidth > 0; });
        var w = chartWidth(grids[0] || app);
        charts.forEach(function (chart) { chart.setSize({ width: w, height: 240 }); });
      }, 150);
    });
  }

  render();
  window.__keyscopeReport = { charts: charts };
})();
