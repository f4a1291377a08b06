/**
 * @module sources/direct
 * Catalog values computed from raw /metrics scrapes of the members (and node_exporter), without
 * Prometheus: the same expressions, the same semantics.
 */
export { collectDirect, type DirectCollectOptions, type DirectCollectResult } from './collect-direct.ts';
export { scrape, type DirectTarget } from './scrape.ts';
export { parseExposition, type Exposition, type Sample } from './parse.ts';
export { evaluateAt, type TargetScrapes } from './evaluate.ts';
export { histogramQuantile } from './quantile.ts';
