/**
 * The script that draws the charts inside the HTML report, kept as plain browser JavaScript in a
 * string (the page is one offline file). It reads the report from the embedded JSON, never from
 * the DOM text, and writes text with textContent only, so report strings cannot become markup.
 *
 * Data conventions: points are [unix seconds, value]; values are scaled to the chart's display
 * unit by the server-side view model. A hole where a member lacks a timestamp another member has
 * is `undefined` (uPlot joins across it); a gap longer than 2.5 steps in a member's own series is
 * `null` (uPlot breaks the line), because a missing scrape is not a zero.
 */
export const CHART_CLIENT_JS = String.raw`
(function () {
  'use strict';
  var HEIGHT = 230;
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var view = JSON.parse(document.getElementById('chart-view').textContent);
  var plots = [];

  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function fmtTime(ts, withDate, withSec) {
    var d = new Date(ts * 1000);
    var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + (withSec ? ':' + pad(d.getUTCSeconds()) : '');
    return withDate ? d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + hm : hm;
  }
  function fmtNum(v) {
    var a = Math.abs(v);
    var s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
    return String(Number(s));
  }
  function message(el, text) {
    el.className += ' chart-empty';
    el.textContent = text;
  }
  function median(xs) {
    if (!xs.length) return 0;
    var s = xs.slice().sort(function (a, b) { return a - b; });
    return s[Math.floor(s.length / 2)];
  }

  /** Aligns the members' series on one x axis (uPlot's data layout). */
  function align(series, factor) {
    var xsSet = {};
    var diffs = [];
    series.forEach(function (s) {
      s.points.forEach(function (p, i) {
        xsSet[p[0]] = true;
        if (i > 0) diffs.push(p[0] - s.points[i - 1][0]);
      });
    });
    var step = median(diffs.filter(function (d) { return d > 0; }));
    var gaps = series.map(function (s) {
      var g = {};
      for (var i = 1; i < s.points.length; i++) {
        var a = s.points[i - 1][0], b = s.points[i][0];
        if (step > 0 && b - a > 2.5 * step) { g[(a + b) / 2] = true; xsSet[(a + b) / 2] = true; }
      }
      return g;
    });
    var xs = Object.keys(xsSet).map(Number).sort(function (a, b) { return a - b; });
    var ys = series.map(function (s, k) {
      var byTs = {};
      s.points.forEach(function (p) { byTs[p[0]] = p[1] * factor; });
      return xs.map(function (x) { return x in byTs ? byTs[x] : gaps[k][x] ? null : undefined; });
    });
    return [xs].concat(ys);
  }

  var FEW_POINTS = 30;

  function build(el, chart, cv) {
    var withData = chart.series.filter(function (s) { return s.points.length > 0; });
    if (withData.length === 0) return message(el, 'no data in this window');
    if (typeof uPlot !== 'function') return message(el, 'chart library not loaded');
    var data = align(withData, cv.factor);
    var xs = data[0];
    var span = xs[xs.length - 1] - xs[0];
    var suffix = cv.suffix ? ' ' + cv.suffix : '';
    var series = [{ value: function (u, ts) { return ts == null ? '-' : fmtTime(ts, true, true) + ' UTC'; } }];
    withData.forEach(function (s) {
      series.push({
        label: s.member,
        stroke: view.colors[s.member] || '#555',
        width: 1.75,
        // A line needs neighbours: a young lab's few samples, or samples between gaps, are dots.
        points: { show: s.points.length <= FEW_POINTS, size: 6 },
        value: function (u, v) { return v == null ? '-' : fmtNum(v) + suffix; },
      });
    });
    if (cv.thresholdOnScale) {
      var t = chart.threshold * cv.factor;
      data.push(xs.map(function () { return t; }));
      series.push({ label: 'threshold', stroke: '#c62828', width: 1.25, dash: [6, 4], points: { show: false }, value: function () { return fmtNum(t) + suffix; } });
    }
    var opts = {
      width: Math.max(280, el.clientWidth),
      height: HEIGHT,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      scales: {
        x: { time: true, range: function (u, min, max) { return [Math.min(min, view.window[0] || min), Math.max(max, view.window[1] || max)]; } },
        y: { range: function (u, min, max) { var lo = Math.min(0, min); var hi = max > lo ? max * 1.08 : lo + 1; return [lo, hi]; } },
      },
      axes: [
        { stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' },
          values: function (u, splits) { return splits.map(function (ts) { return ts == null ? '' : fmtTime(ts, span > 86400, span < 300); }); } },
        { stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' }, size: 56,
          values: function (u, splits) { return splits.map(function (v) { return v == null ? '' : fmtNum(v); }); } },
      ],
      series: series,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
    el.textContent = '';
    plots.push({ el: el, plot: new uPlot(opts, data, el) });
  }

  var holders = document.querySelectorAll('[data-chart]');
  for (var i = 0; i < holders.length; i++) {
    var idx = Number(holders[i].getAttribute('data-chart'));
    var chart = report.charts[idx];
    var cv = view.charts[idx];
    if (!chart || !cv) { message(holders[i], 'no data in this window'); continue; }
    try { build(holders[i], chart, cv); } catch (e) {
      // Logged as well as shown: a broken chart must be visible to the integration test too.
      console.error('chart ' + idx + ' failed', e);
      message(holders[i], 'chart failed: ' + (e && e.message ? e.message : String(e)));
    }
  }

  var timer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(280, p.el.clientWidth), height: HEIGHT }); });
    }, 100);
  });
})();
`;
