import { describe, expect, it } from 'vitest';
import { loadReportAssets } from './load-assets.ts';

describe('loadReportAssets', () => {
  it('reads the uPlot browser build and stylesheet from node_modules, once', async () => {
    const first = loadReportAssets();
    expect(loadReportAssets()).toBe(first);
    const assets = await first;
    expect(assets.chartJs).toMatch(/^\/\*! https:\/\/github\.com\/leeoniya\/uPlot/);
    expect(assets.chartJs).toContain('var uPlot=');
    expect(assets.chartCss).toContain('.uplot');
  });
});
