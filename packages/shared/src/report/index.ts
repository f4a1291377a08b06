/**
 * @module report
 * Renderers of one Report model: JSON (validated), terminal text, Markdown, and a self-contained
 * HTML page with charts. Pure: no I/O; the HTML page's chart library is passed in by the caller
 * (see `@etcd-analyzer/shared/report-assets`).
 */
export { renderJson } from './render-json.ts';
export { renderText, type TextOptions } from './render-text.ts';
export { renderMarkdown } from './render-markdown.ts';
export { renderHtml, type HtmlAssets } from './render-html.ts';
export { buildChartView, memberColors, type ChartView } from './chart-view.ts';
export {
  chartScale,
  escapeHtml,
  escapeMarkdown,
  formatChange,
  formatConfidence,
  formatMeasure,
  formatScore,
  formatSpan,
  formatThreshold,
  formatUtc,
  formatWindow,
  jsonForScript,
  kpiStatusLabel,
  statusLabel,
  type ChartScale,
} from './format.ts';
