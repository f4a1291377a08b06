/**
 * @module sources/direct
 * Catalog values computed from raw /metrics scrapes of the members (and node_exporter), without
 * Prometheus: the same expressions, the same semantics.
 */
export { collectDirect, createDirectSession, type DirectCollectOptions, type DirectCollectResult, type DirectSession, type DirectSessionOptions } from './collect-direct.ts';
export { scrape, ScrapeError, MAX_SCRAPE_BYTES, type DirectTarget, type ScrapeFailureKind, type ScrapeOptions } from './scrape.ts';
export { createExpositionParser, parseExposition, ExpositionError, type Exposition, type ExpositionParser, type Sample } from './parse-exposition.ts';
export { SeriesStore } from './series-store.ts';
export { evaluateAt, evaluateStore, evaluateVectorAt, type TargetScrapes } from './evaluate.ts';
export { histogramQuantile } from './quantile.ts';
