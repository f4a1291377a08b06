/** The HTML report's stylesheet: system fonts only (the page works offline), readable in print. */
export const REPORT_CSS = `
:root {
  --critical: #c62828; --critical-bg: #fdecea;
  --warning: #b26a00; --warning-bg: #fff4e0; --warning-fill: #f0a202;
  --healthy: #2e7d32; --healthy-bg: #e8f5e9;
  --unknown: #546e7a; --unknown-bg: #eceff1;
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --card: #ffffff; --page: #f4f6f8;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 0 20px 32px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2 { font-size: 17px; margin-bottom: 12px; }
h2.section-title { margin: 22px 0 10px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.banner { color: #fff; padding: 22px 0 20px; margin-bottom: 20px; }
.banner.critical { background: var(--critical); } .banner.warning { background: var(--warning-fill); color: #1f1300; }
.banner.healthy { background: var(--healthy); } .banner.unknown { background: var(--unknown); }
.banner .inner { max-width: 1240px; margin: 0 auto; padding: 0 20px; display: flex; gap: 28px; align-items: center; flex-wrap: wrap; }
.verdict { font-size: 34px; font-weight: 800; letter-spacing: .04em; }
.verdict small { display: block; font-size: 12px; font-weight: 600; letter-spacing: .08em; opacity: .85; }
.score { font-size: 30px; font-weight: 700; } .score small { font-size: 14px; font-weight: 500; opacity: .85; }
.meta { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; font-size: 13px; }
.meta dt { opacity: .8; } .meta dd { margin: 0; font-weight: 600; }
.headline { font-size: 19px; font-weight: 600; background: var(--card); border-left: 6px solid var(--unknown);
  padding: 14px 18px; border-radius: 6px; margin-bottom: 16px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.headline.critical { border-color: var(--critical); } .headline.warning { border-color: var(--warning-fill); }
.headline.healthy { border-color: var(--healthy); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 16px; }
.row { display: grid; grid-template-columns: minmax(220px, 1fr) 3fr; gap: 16px; }
.row > .card { margin-bottom: 16px; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; }
.chip { border: 1px solid var(--line); border-radius: 999px; padding: 3px 12px; display: inline-flex; gap: 6px; align-items: center; }
.chip .dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
.chip.missing { border-color: var(--critical); background: var(--critical-bg); color: var(--critical); font-weight: 600; }
.badge { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; padding: 1px 7px; border-radius: 4px;
  background: var(--unknown-bg); color: var(--unknown); white-space: nowrap; }
.badge.critical { background: var(--critical-bg); color: var(--critical); } .badge.warning { background: var(--warning-bg); color: var(--warning); }
.badge.healthy { background: var(--healthy-bg); color: var(--healthy); } .badge.leader { background: #e3f2fd; color: #0d47a1; }
.subsystems { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; }
.subsystem { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.subsystem .name { font-weight: 600; text-transform: capitalize; }
.subsystem .num { font-size: 20px; font-weight: 700; display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 2px 6px; }
.bar { height: 6px; background: #edf0f2; border-radius: 3px; overflow: hidden; margin: 4px 0; }
.bar > span { display: block; height: 100%; background: var(--unknown); }
.bar.critical > span { background: var(--critical); } .bar.warning > span { background: var(--warning-fill); }
.bar.healthy > span { background: var(--healthy); } .bar.confidence > span { background: #1565c0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.critical td { background: #fff7f6; } tr.warning td { background: #fffbf2; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; margin-bottom: 16px; }
.charts .card { margin: 0; min-width: 0; }
.chart-head { display: flex; justify-content: space-between; align-items: baseline; gap: 10px; margin-bottom: 6px; }
.chart-head h3 { font-size: 15px; }
.chart { min-height: 120px; }
.chart-empty { display: flex; align-items: center; justify-content: center; height: 160px; color: var(--muted);
  background: repeating-linear-gradient(45deg, #fafbfc, #fafbfc 10px, #f3f5f7 10px, #f3f5f7 20px); border-radius: 6px; font-style: italic; }
.uplot { font-family: inherit; } .u-legend { font-size: 12px; }
.u-legend th, .u-legend td { border: 0; padding: 1px 4px; text-transform: none; letter-spacing: 0; font-size: 12px; color: var(--ink); }
.u-legend th { font-weight: 600; } .u-legend .u-value { font-variant-numeric: tabular-nums; }
ol.causes { list-style: none; padding: 0; margin: 0; counter-reset: cause; }
ol.causes > li { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 10px 56px; margin-bottom: 12px; position: relative; }
ol.causes > li::before { counter-increment: cause; content: counter(cause); position: absolute; left: 14px; top: 12px;
  width: 30px; height: 30px; border-radius: 50%; background: #1565c0; color: #fff; font-weight: 700; text-align: center; line-height: 30px; }
ol.causes > li:first-child { border-color: #1565c0; box-shadow: 0 0 0 1px #1565c0 inset; }
.cause-head { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; }
.cause-head h3 { font-size: 16px; }
.cause-head .bar { width: 140px; margin: 0; }
ul.evidence { margin: 8px 0; padding-left: 20px; } ul.evidence li { margin: 2px 0; }
.todo { margin: 6px 0 0; padding-left: 20px; }
ol.recs { padding-left: 26px; margin: 0; } ol.recs > li { margin-bottom: 14px; }
ol.recs .why { color: var(--muted); margin: 2px 0 6px; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 0;
  white-space: pre-wrap; word-break: break-all; }
ul.problems { margin: 0; padding-left: 20px; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
footer code { font-size: 12px; }
@media (max-width: 760px) { .row { grid-template-columns: 1fr; } .charts { grid-template-columns: 1fr; } }
@media print { body { background: #fff; } .card, ol.causes > li { break-inside: avoid; } .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`;
