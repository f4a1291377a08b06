/**
 * @module schema
 * zod schemas and inferred types for every message and file the product reads or writes.
 */
export * from './snapshot.ts';
export * from './status.ts';
export * from './log-event.ts';
export * from './report.ts';
export * from './metric-batch.ts';
export * from './finding-event.ts';
export * from './bus.ts';
export * from './collect-request.ts';
export * from './collector-target.ts';
export * from './store-config.ts';
