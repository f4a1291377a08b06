import { JsonTokenizer, type JsonHandler } from './json-tokenizer.ts';
import { MalformedAnswerError, type PromSeries } from './answer.ts';

/** What a query may bring back before the rest of its answer is left unread. */
export interface AnswerLimits {
  readonly maxSeries: number;
  readonly maxPoints: number;
}

export interface AnswerWindow {
  /** Samples outside [from, to] (unix seconds) were not asked for: dropped and counted. */
  readonly from: number;
  readonly to: number;
  /**
   * A range query's grid (its start and step): a series holds one sample per step, so samples
   * off the grid (a store that ignores step) are merged into one per step, the latest winning,
   * as Prometheus would have answered.
   */
  readonly grid?: { readonly start: number; readonly step: number };
}

/** The parts of an answer outside its result: checked against the API schema by the client. */
export interface AnswerEnvelope {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  resultType?: unknown;
  warnings: string[];
}

export interface ReadAnswer {
  readonly envelope: AnswerEnvelope;
  readonly series: PromSeries[];
  /** Samples dropped because they lay outside the window. */
  readonly outside: number;
  /** Samples merged into another of the same step (more than one per step in a series). */
  readonly offGrid: number;
  readonly points: number;
  /** Set when a limit stopped the reading: the series and points so far are kept. */
  readonly capped?: 'series' | 'points';
}

/** Thrown inside the tokenizer to stop reading at a limit; never escapes the reader. */
class LimitReached extends Error {
  readonly what: 'series' | 'points';
  constructor(what: 'series' | 'points') {
    super(what);
    this.what = what;
  }
}

// Where the tokenizer is in the answer.
const ROOT = 1;
const DATA = 2;
const RESULT = 3;
const SERIES = 4;
const METRIC = 5;
const VALUES = 6;
const POINT = 7;
const WARNINGS = 8;
const SKIP = 9;

const MAX_WARNINGS = 20;

/**
 * Reads a Prometheus HTTP API answer as it arrives, keeping only the series and in-window points
 * of its result (as `[t, value]`, NaN and ±Inf dropped) and its small envelope, and stopping at a
 * limit. Points are built once, in their final form: no text, tree or copy of the body is held.
 */
export class AnswerReader implements JsonHandler {
  readonly #tokens = new JsonTokenizer(this);
  readonly #window: AnswerWindow;
  readonly #limits: AnswerLimits;
  readonly #roles: number[] = [];
  readonly #envelope: AnswerEnvelope = { warnings: [] };
  readonly #series: PromSeries[] = [];
  #key = '';
  #current: { labels: Record<string, string>; points: Array<[number, number]> } | undefined;
  #pointIndex = 0;
  #pointParts = 0;
  #pointT = 0;
  #pointV = '';
  #outside = 0;
  #offGrid = 0;
  #lastSlot = Number.NaN;
  #points = 0;
  #capped: 'series' | 'points' | undefined;
  #scalar: unknown[] = [];

  constructor(window: AnswerWindow, limits: AnswerLimits) {
    this.#window = window;
    this.#limits = limits;
  }

  /** Feeds a chunk; false once a limit was reached (read no further). */
  write(chunk: Uint8Array): boolean {
    if (this.#capped) return false;
    try {
      this.#tokens.write(chunk);
      return true;
    } catch (e) {
      if (!(e instanceof LimitReached)) throw e;
      this.#capped = e.what;
      return false;
    }
  }

  end(): ReadAnswer {
    if (!this.#capped) this.#tokens.end();
    if (this.#envelope.resultType === 'scalar' && this.#scalar.length === 2 && typeof this.#scalar[0] === 'number' && typeof this.#scalar[1] === 'string') {
      const t = this.#scalar[0];
      const v = this.#scalar[1].length ? Number(this.#scalar[1]) : Number.NaN;
      this.#series.push({ labels: {}, points: Number.isFinite(v) && t >= this.#window.from && t <= this.#window.to ? [[t, v]] : [] });
    }
    return { envelope: this.#envelope, series: this.#series, outside: this.#outside, offGrid: this.#offGrid, points: this.#points, ...(this.#capped ? { capped: this.#capped } : {}) };
  }

  get #role(): number {
    return this.#roles[this.#roles.length - 1] ?? 0;
  }

  #where(): string {
    return `data.result.${this.#series.length - 1}`;
  }

  #open(kind: 'object' | 'array'): number {
    const role = this.#role;
    const key = this.#key;
    if (role === 0) return kind === 'object' ? ROOT : SKIP;
    if (role === ROOT) return kind === 'object' && key === 'data' ? DATA : kind === 'array' && key === 'warnings' ? WARNINGS : SKIP;
    if (role === DATA) return kind === 'array' && key === 'result' ? RESULT : SKIP;
    if (role === RESULT) {
      if (kind === 'array') return SKIP;
      if (this.#series.length >= this.#limits.maxSeries) throw new LimitReached('series');
      this.#current = { labels: {}, points: [] };
      this.#series.push(this.#current);
      this.#lastSlot = Number.NaN;
      return SERIES;
    }
    if (role === SERIES) {
      if (kind === 'object') return key === 'metric' ? METRIC : SKIP;
      if (key === 'values') {
        this.#pointIndex = 0;
        return VALUES;
      }
      if (key === 'value') return this.#startPoint();
      return SKIP;
    }
    if (role === VALUES && kind === 'array') return this.#startPoint();
    if (role === METRIC) throw new MalformedAnswerError(`${this.#where()}.metric.${key}: a label value must be a string`);
    if (role === VALUES || role === POINT) throw new MalformedAnswerError(`${this.#where()}.values.${this.#pointIndex}: expected [unix time, "value"]`);
    return SKIP;
  }

  #startPoint(): number {
    this.#pointParts = 0;
    return POINT;
  }

  openObject(): void {
    this.#roles.push(this.#open('object'));
  }

  openArray(): void {
    this.#roles.push(this.#open('array'));
  }

  closeObject(): void {
    this.#roles.pop();
  }

  closeArray(): void {
    const role = this.#roles.pop();
    if (role !== POINT) return;
    const inValues = this.#role === VALUES;
    const where = inValues ? `${this.#where()}.values.${this.#pointIndex}` : `${this.#where()}.value`;
    if (this.#pointParts !== 2) throw new MalformedAnswerError(`${where}: expected [unix time, "value"], got ${this.#pointParts} element(s)`);
    if (inValues) this.#pointIndex++;
    this.#point(this.#pointT, this.#pointV);
  }

  #point(t: number, v: string): void {
    if (t < this.#window.from || t > this.#window.to) {
      this.#outside++;
      return;
    }
    // NaN and ±Inf (a rate over no samples, a division by zero) carry no measurement.
    const n = v.length ? Number(v) : Number.NaN;
    if (!Number.isFinite(n)) return;
    const points = (this.#current as { points: Array<[number, number]> }).points;
    const grid = this.#window.grid;
    if (grid) {
      // The step a sample answers for: (t_k-1, t_k] -> k, with a hair of float tolerance.
      const slot = Math.ceil((t - grid.start) / grid.step - 1e-6);
      if (slot === this.#lastSlot && points.length > 0) {
        this.#offGrid++;
        points[points.length - 1] = [t, n];
        return;
      }
      this.#lastSlot = slot;
    }
    if (this.#points >= this.#limits.maxPoints) throw new LimitReached('points');
    this.#points++;
    points.push([t, n]);
  }

  key(name: string): void {
    this.#key = name;
  }

  value(v: string | number | boolean | null): void {
    switch (this.#role) {
      case POINT: {
        const part = this.#pointParts++;
        const where = this.#roles[this.#roles.length - 2] === VALUES ? `${this.#where()}.values.${this.#pointIndex}` : `${this.#where()}.value`;
        if (part === 0 && typeof v === 'number') this.#pointT = v;
        else if (part === 1 && typeof v === 'string') this.#pointV = v;
        else throw new MalformedAnswerError(`${where}: expected [unix time, "value"], got ${JSON.stringify(v)} at position ${part}`);
        return;
      }
      case METRIC:
        if (typeof v !== 'string') throw new MalformedAnswerError(`${this.#where()}.metric.${this.#key}: a label value must be a string`);
        (this.#current as { labels: Record<string, string> }).labels[this.#key] = v;
        return;
      case VALUES:
        throw new MalformedAnswerError(`${this.#where()}.values.${this.#pointIndex}: expected [unix time, "value"], got ${JSON.stringify(v)}`);
      case ROOT:
        if (this.#key === 'status' || this.#key === 'errorType' || this.#key === 'error') this.#envelope[this.#key] = v;
        return;
      case DATA:
        if (this.#key === 'resultType') this.#envelope.resultType = v;
        return;
      case RESULT:
        if (this.#scalar.length < 2) this.#scalar.push(v);
        return;
      case WARNINGS:
        if (typeof v === 'string' && this.#envelope.warnings.length < MAX_WARNINGS) this.#envelope.warnings.push(v);
        return;
    }
  }
}
