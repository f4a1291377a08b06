/**
 * @module pipeline
 * The one-shot analysis (collect -> snapshot -> analyze -> report) as one function, shared by
 * the CLI, the demo and the on-demand analysis handler. Does I/O through the sources.
 */
export { analyzeCluster, fatalSourceProblem, type AnalyzeClusterOptions, type AnalyzeClusterResult } from './analyze-cluster.ts';
