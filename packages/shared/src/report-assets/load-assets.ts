/**
 * Reads the chart library that the HTML report inlines, from node_modules, once per process.
 * Lives outside report/ because report/ is pure; the CLI passes the result to renderHtml().
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { EtcdAnalyzerError } from '../errors/index.ts';
import type { HtmlAssets } from '../report/index.ts';

const require = createRequire(import.meta.url);

/** uPlot's browser build and stylesheet (no exports map, so the dist paths resolve directly). */
export const CHART_JS_MODULE = 'uplot/dist/uPlot.iife.min.js';
export const CHART_CSS_MODULE = 'uplot/dist/uPlot.min.css';

let cached: Promise<HtmlAssets> | undefined;

async function read(specifier: string): Promise<string> {
  let path: string;
  try {
    path = require.resolve(specifier);
  } catch (e) {
    throw new EtcdAnalyzerError('REPORT_ASSETS', `cannot find ${specifier}: is the "uplot" package installed? (pnpm install)`, { specifier }, { cause: e });
  }
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new EtcdAnalyzerError('REPORT_ASSETS', `cannot read ${path}`, { path }, { cause: e });
  }
}

/** The assets for renderHtml(); a failed load is not cached, so a later call can retry. */
export function loadReportAssets(): Promise<HtmlAssets> {
  cached ??= Promise.all([read(CHART_JS_MODULE), read(CHART_CSS_MODULE)]).then(
    ([chartJs, chartCss]) => ({ chartJs, chartCss }),
    (e: unknown) => {
      cached = undefined;
      throw e;
    },
  );
  return cached;
}
