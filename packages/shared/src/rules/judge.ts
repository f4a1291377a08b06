import { parseDuration } from '../catalog/index.ts';
import type { JudgeMode, Rule } from './types.ts';

export interface Judged {
  /** The value compared with the threshold (the level held, for sustained rules). */
  readonly value: number;
  /** Seconds the condition held (sustained rules), or 0. */
  readonly heldSeconds: number;
  readonly basis: string;
}

const meets = (v: number, threshold: number, direction: Rule['direction']): boolean =>
  direction === 'above' ? v >= threshold : v <= threshold;

/**
 * The longest run of consecutive samples that meet the threshold; a gap longer than twice the
 * usual spacing (a missing scrape, a vanished member) breaks the run. Each sample stands for the
 * time up to the next one, so one sample alone holds for one step.
 */
export function longestRun(points: ReadonlyArray<readonly [number, number]>, threshold: number, direction: Rule['direction']): { seconds: number; level: number } {
  if (points.length === 0) return { seconds: 0, level: Number.NaN };
  const gaps = points.slice(1).map((p, i) => p[0] - (points[i] as readonly [number, number])[0]).sort((a, b) => a - b);
  const step = gaps.length ? (gaps[Math.floor(gaps.length / 2)] as number) : 0;
  let best = { seconds: 0, level: Number.NaN };
  let runStart = -1;
  let level = Number.NaN;
  for (let i = 0; i <= points.length; i++) {
    const p = points[i];
    const prev = points[i - 1];
    const broken = !p || !meets(p[1], threshold, direction) || (prev !== undefined && runStart >= 0 && p[0] - prev[0] > 2 * step);
    if (runStart >= 0 && broken) {
      const seconds = (prev as readonly [number, number])[0] - (points[runStart] as readonly [number, number])[0] + step;
      if (seconds > best.seconds) best = { seconds, level };
      runStart = -1;
    }
    if (p && meets(p[1], threshold, direction)) {
      if (runStart < 0) {
        runStart = i;
        level = p[1];
      } else {
        // The level held is the least extreme value of the run: it was met the whole time.
        level = direction === 'above' ? Math.min(level, p[1]) : Math.max(level, p[1]);
      }
    }
  }
  return best;
}

const modeBasis: Record<Exclude<JudgeMode, 'sustained'>, string> = {
  window: 'over the whole window',
  last: 'latest value',
  max: 'highest value in the window',
};

/**
 * Judges one entity's series against one threshold. Returns null when the condition is not met
 * (or, for sustained rules, not met for long enough).
 */
export function judge(points: ReadonlyArray<readonly [number, number]>, rule: Rule, threshold: number, holdFor: string | undefined, windowSeconds?: number): Judged | null {
  if (points.length === 0) return null;
  if (rule.mode === 'sustained') {
    const hold = parseDuration(holdFor ?? rule.holdFor ?? '1m');
    // A window shorter than the hold time could never show the condition held: holding for the
    // whole window asked about is as sustained as that window can tell.
    const need = windowSeconds !== undefined && windowSeconds > 0 && windowSeconds < hold ? windowSeconds : hold;
    const run = longestRun(points, threshold, rule.direction);
    if (run.seconds < need) return null;
    const basis = need < hold ? `held for the whole ${Math.round(need)} s window (hold time ${hold} s is longer than the window)` : `held for ${Math.round(run.seconds)} s (needs ${need} s)`;
    return { value: run.level, heldSeconds: run.seconds, basis };
  }
  let v = (points[points.length - 1] as readonly [number, number])[1];
  if (rule.mode === 'max') for (const p of points) v = rule.direction === 'above' ? Math.max(v, p[1]) : Math.min(v, p[1]);
  return meets(v, threshold, rule.direction) ? { value: v, heldSeconds: 0, basis: modeBasis[rule.mode] } : null;
}
