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
  var filterables = [];

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
    var cases = data.cases.length + (data.cases.length === 1 ? ' case' : ' cases');
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

  function comparisonRow(c) {
    var name = el('td', null, el('div', 'case-name', c.label));
    var row;
    if (c.state === 'unmatched') {
      var reason = el('td', 'reason', el('span', 'verdict verdict-unmatched', 'unmatched'), ' ', c.reason);
      reason.colSpan = 8;
      row = el('tr', 'unmatched', name, reason);
    } else {
      var m = c.measures;
      row = el(
        'tr',
        null,
        name,
        measureCell(null, m, function (x) { return x.name; }),
        measureCell('num', m, function (x) { return x.baseline; }),
        measureCell('num', m, function (x) { return x.candidate; }),
        measureCell('num', m, function (x) { return x.medians; }),
        measureCell('num', m, function (x) { return x.estimate; }),
        measureCell('num', m, function (x) { return x.interval; }),
        measureCell('num', m, function (x) { return x.p99; }),
        el('td', null, verdictBadge(c.verdict), c.detail ? el('div', 'sub', c.detail) : null, c.notes.map(function (n) { return el('div', 'sub note', n); })),
      );
    }
    filterables.push({ node: row, text: searchText(c.key) });
    return row;
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
    var envRows = cmp.environment.differences.map(function (d) {
      return el('tr', d.significant ? 'significant' : null, el('th', null, d.field), el('td', null, longValue(d.baseline)), el('td', null, longValue(d.candidate)), el('td', null, d.significant ? el('span', 'warn', 'timings not comparable') : 'minor'));
    });
    var significant = cmp.environment.differences.some(function (d) { return d.significant; });
    var env = el(
      'details',
      'env-diff fold',
      el('summary', null, el('h3', null, 'Environment differences (' + envRows.length + ')', significant ? el('span', 'warn', ' timings not comparable') : null)),
      el('p', 'note', cmp.environment.sameMachine ? 'Both runs were measured on the same machine.' : 'The runs were measured on different machines.'),
      envRows.length ? table('environment-differences', ['Field', 'Baseline', 'Candidate', ''], envRows) : el('p', 'note', 'None.'),
    );
    var rows = cmp.cases.map(comparisonRow);
    var section = el(
      'section',
      'block',
      el('h2', null, 'Cases compared'),
      settings,
      env,
      table('comparison', ['Case', 'Measure', 'Baseline median', 'Candidate median', 'Medians', 'Estimate', sig(cmp.caseConfidence * 100, 4) + '% interval', 'p99 change', 'Verdict'], rows),
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
    filterables.push({ node: section, text: searchText(c.key) });
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

  function problemsSection() {
    var items = [];
    data.cases.forEach(function (c) {
      c.results.forEach(function (r, i) {
        if (r.state !== 'errored' && r.state !== 'skipped') return;
        var item = el(
          'li',
          r.state,
          el('span', 'state', r.state),
          ' ',
          el('span', 'case-name', caseTitle(c.key)),
          ' ',
          el('span', 'sub', caseSubtitle(c.key) + ' · ' + data.runs[i].name),
          el('div', 'reason', r.state === 'errored' ? [el('span', 'mono', r.code), ': ', r.message] : r.reason),
        );
        filterables.push({ node: item, text: searchText(c.key) });
        items.push(item);
      });
    });
    if (items.length === 0) return null;
    return el('section', 'block', el('h2', null, 'Errored and skipped cases'), el('ul', 'problems', items));
  }

  // ---- filter --------------------------------------------------------------------------------------------------

  function filterBar(total) {
    var input = el('input', 'filter');
    input.type = 'search';
    input.id = 'case-filter';
    input.placeholder = 'Filter cases by suite, case, implementation or algorithm';
    input.setAttribute('aria-label', 'Filter cases');
    var count = el('span', 'filter-count', total + ' of ' + total + ' cases');
    input.addEventListener('input', function () {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      filterables.forEach(function (f) {
        var match = terms.every(function (t) { return f.text.indexOf(t) >= 0; });
        f.node.hidden = !match;
        if (match && f.node.classList.contains('case')) shown++;
      });
      count.textContent = shown + ' of ' + total + ' cases';
    });
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
    data.cases.forEach(function (c) { casesBlock.appendChild(caseSection(c)); });
    append(app, problemsSection());
    app.appendChild(runsSection());
    app.appendChild(environmentSection());
    app.appendChild(el('footer', null, 'keyscope report · self-contained, no network access · charts by uPlot (MIT)'));

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
