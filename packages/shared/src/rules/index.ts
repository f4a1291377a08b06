/**
 * @module rules
 * The rule catalog (data) and the pure evaluator: findings, health scores, grade, root-cause
 * ranking, recommendations. No I/O.
 */
export { RULES } from './catalog.ts';
export { RECOMMENDATIONS, type RecommendationTemplate } from './recommendations.ts';
export { analyzeSnapshot, type AnalyzeOptions } from './analyze.ts';
export { evaluateRules, effectiveThresholds, type RuleOutcome } from './evaluate.ts';
export { judge, longestRun, type Judged } from './judge.ts';
export { buildSignals, type SignalTable, type SignalData } from './signals.ts';
export { scoreSubsystems, overall } from './score.ts';
export { buildKpis } from './kpis.ts';
export { CORRELATORS, type Correlator, type CorrelationContext } from './correlators/index.ts';
export { parseAnalysisConfig, AnalysisConfigSchema } from './config.ts';
export { DEFAULT_CONFIG, type AnalysisConfig, type Rule, type RuleOverride, type JudgeMode } from './types.ts';
