/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (what etcd and node_exporter
 * serve): every label set of every family is kept, label values are unescaped, NaN and ±Inf are
 * read as Go writes them, timestamps are checked and ignored (the scrape time is what counts),
 * OpenMetrics exemplars are ignored. It takes the body in chunks, so a scrape never holds it twice.
 *
 * A body is only good when it is complete: the last line must end with a line feed and the last
 * histogram or summary family must be whole (+Inf bucket and _count for every label set), which
 * is how a body cut at a line boundary shows. Series served twice are counted, not fatal (the
 * first value is kept), as Prometheus itself does.
 */

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  /** Kept samples by full sample name (`<histogram>_bucket{le}`, `_sum`, `_count`), every label set apart. */
  readonly samples: ReadonlyMap<string, readonly Sample[]>;
  /** Every sample name served, kept or not: tells an etcd target from node_exporter or anything else. */
  readonly names: ReadonlySet<string>;
  readonly seriesCount: number;
  /** Series served more than once in this body, and the first of them (`name{labels}`). */
  readonly duplicates: number;
  readonly duplicateExample?: string;
}

/** The body is not (complete) text exposition format; the message never echoes binary bytes. */
export class ExpositionError extends Error {
  override name = 'ExpositionError';
  readonly truncated: boolean;
  constructor(message: string, truncated = false) {
    super(message);
    this.truncated = truncated;
  }
}

export interface ExpositionParser {
  push(text: string): void;
  end(): Exposition;
}

export interface ParseOptions {
  /** Sample names to keep (the families the catalog reads); all when absent. */
  readonly keep?: (name: string) => boolean;
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT_RE = /^-?\d+$/;

/** Go's strconv.ParseFloat spellings of the special values, as client libraries write them. */
function parseValue(text: string): number | undefined {
  switch (text.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case '+inf':
    case 'inf':
    case '+infinity':
    case 'infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  return FLOAT_RE.test(text) ? Number(text) : undefined;
}

/** A short, printable excerpt of a bad line: never raw control bytes. */
const excerpt = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

const isNameChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58;
const isBlank = (c: number): boolean => c === 32 || c === 9;

/** The canonical identity of a series: its name and its labels sorted by name. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return name;
  keys.sort();
  let out = `${name}{`;
  for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${keys[i]}=${JSON.stringify(labels[keys[i] as string])}`;
  return `${out}}`;
}

interface Family {
  readonly name: string;
  readonly type: string;
  /** Histogram/summary label sets (without le/quantile) and whether each has its +Inf bucket and _count. */
  readonly sets: Map<string, { inf: boolean; count: boolean }>;
}

export function createExpositionParser(opts: ParseOptions = {}): ExpositionParser {
  const samples = new Map<string, Sample[]>();
  const names = new Set<string>();
  const seen = new Set<string>();
  let duplicates = 0;
  let duplicateExample: string | undefined;
  let rest = '';
  let lineNo = 0;
  let family: Family | undefined;
  const types = new Map<string, string>();

  const fail = (why: string): never => {
    throw new ExpositionError(`line ${lineNo}: ${why}`);
  };

  /** Which family a sample belongs to: its TYPE line's, or a new untyped one. */
  function familyOf(name: string): Family {
    if (family) {
      const f = family;
      if (name === f.name) return f;
      if (f.type === 'histogram' && (name === `${f.name}_bucket` || name === `${f.name}_sum` || name === `${f.name}_count`)) return f;
      if (f.type === 'summary' && (name === `${f.name}_sum` || name === `${f.name}_count`)) return f;
    }
    family = { name, type: types.get(name) ?? 'untyped', sets: new Map() };
    return family;
  }

  function track(f: Family, name: string, labels: Record<string, string>): void {
    if (f.type !== 'histogram' && f.type !== 'summary') return;
    const { le, quantile: _quantile, ...others } = labels;
    const k = seriesKey('', others);
    const set = f.sets.get(k) ?? { inf: false, count: false };
    f.sets.set(k, set);
    if (name === `${f.name}_bucket` && le !== undefined && parseValue(le) === Infinity) set.inf = true;
    if (name === `${f.name}_count`) set.count = true;
  }

  function comment(line: string, from: number): void {
    // "# HELP name doc" and "# TYPE name type"; any other comment is ignored.
    const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*?))?[ \t]*$/.exec(from === 0 ? line : line.slice(from));
    if (!m) return;
    const name = m[2] as string;
    if (!NAME_RE.test(name)) fail(`invalid metric name in ${m[1]} line: ${excerpt(name)}`);
    if (m[1] === 'TYPE') {
      const type = (m[3] ?? '').toLowerCase();
      if (!TYPES.has(type)) fail(`invalid metric type ${excerpt(m[3] ?? '')} for ${name}`);
      types.set(name, type);
      family = { name, type, sets: new Map() };
    }
  }

  function sampleLine(line: string, from: number): void {
    const n = line.length;
    let i = from;
    while (i < n && isNameChar(line.charCodeAt(i))) i++;
    const name = line.slice(from, i);
    if (!NAME_RE.test(name)) fail(`expected a metric name, got ${excerpt(line.slice(from))}`);
    const labels: Record<string, string> = {};
    while (i < n && isBlank(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) === 123 /* { */) {
      i++;
      for (;;) {
        while (i < n && isBlank(line.charCodeAt(i))) i++;
        if (line.charCodeAt(i) === 125 /* } */) {
          i++;
          break;
        }
        const ls = i;
        while (i < n && isNameChar(line.charCodeAt(i))) i++;
        const label = line.slice(ls, i);
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) fail(`expected a label name in ${name}, got ${excerpt(line.slice(ls))}`);
        while (i < n && isBlank(line.charCodeAt(i))) i++;
        if (line.charCodeAt(i) !== 61 /* = */) fail(`expected "=" after label ${label} of ${name}`);
        i++;
        while (i < n && isBlank(line.charCodeAt(i))) i++;
        if (line.charCodeAt(i) !== 34 /* " */) fail(`expected a quoted value for label ${label} of ${name}`);
        i++;
        let value = '';
        let vs = i;
        for (;;) {
          if (i >= n) fail(`unterminated value of label ${label} of ${name}`);
          const c = line.charCodeAt(i);
          if (c === 34) break;
          if (c === 92 /* \ */) {
            const e = line.charCodeAt(i + 1);
            value += line.slice(vs, i) + (e === 110 ? '\n' : e === 92 ? '\\' : e === 34 ? '"' : fail(`invalid escape in the value of label ${label} of ${name}`));
            i += 2;
            vs = i;
            continue;
          }
          i++;
        }
        value += line.slice(vs, i);
        i++;
        if (Object.hasOwn(labels, label)) fail(`label ${label} repeated in ${name}`);
        labels[label] = value;
        while (i < n && isBlank(line.charCodeAt(i))) i++;
        const sep = line.charCodeAt(i);
        if (sep === 44 /* , */) i++;
        else if (sep !== 125) fail(`expected "," or "}" after label ${label} of ${name}`);
      }
    }
    const fields = line.slice(i).trim().split(/[ \t]+/);
    // Anything after " # " is an OpenMetrics exemplar: not ours to read.
    const hash = fields.indexOf('#');
    const parts = hash >= 0 ? fields.slice(0, hash) : fields;
    if (parts.length === 0 || parts[0] === '' || parts.length > 2) fail(`expected "value [timestamp]" after ${name}, got ${excerpt(line.slice(i).trim())}`);
    const value = parseValue(parts[0] as string);
    if (value === undefined) fail(`invalid value ${excerpt(parts[0] as string)} for ${name}`);
    if (parts.length === 2 && !INT_RE.test(parts[1] as string)) fail(`invalid timestamp ${excerpt(parts[1] as string)} for ${name}`);
    const f = familyOf(name);
    track(f, name, labels);
    names.add(name);
    const key = seriesKey(name, labels);
    if (seen.has(key)) {
      duplicates++;
      duplicateExample ??= key;
      return;
    }
    seen.add(key);
    if (opts.keep && !opts.keep(name)) return;
    const list = samples.get(name);
    if (list) list.push({ labels, value: value as number });
    else samples.set(name, [{ labels, value: value as number }]);
  }

  function line(text: string): void {
    lineNo++;
    let end = text.length;
    if (end > 0 && text.charCodeAt(end - 1) === 13) end--;
    for (let k = 0; k < end; k++) {
      const c = text.charCodeAt(k);
      // Tabs are blanks; any other control byte means this is not text at all.
      if (c < 32 && c !== 9) throw new ExpositionError(`binary data (control byte 0x${c.toString(16).padStart(2, '0')} on line ${lineNo})`);
    }
    let i = 0;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i === end) return;
    const body = end === text.length ? text : text.slice(0, end);
    if (body.charCodeAt(i) === 35 /* # */) comment(body, i);
    else sampleLine(body, i);
  }

  return {
    push(text: string): void {
      let start = 0;
      let nl = text.indexOf('\n');
      if (nl >= 0 && rest) {
        line(rest + text.slice(0, nl));
        rest = '';
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      while (nl >= 0) {
        line(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      rest += text.slice(start);
    },
    end(): Exposition {
      if (rest.length > 0) {
        lineNo++;
        throw new ExpositionError(`truncated: the body ends in the middle of line ${lineNo} (no final line feed)`, true);
      }
      if (lineNo === 0) throw new ExpositionError('empty body', true);
      const f = family;
      if (f && (f.type === 'histogram' || f.type === 'summary')) {
        for (const [labels, set] of f.sets) {
          if ((f.type === 'histogram' && !set.inf) || !set.count) {
            throw new ExpositionError(`truncated: the last family ${f.name}${labels} ends without its ${f.type === 'histogram' && !set.inf ? '+Inf bucket' : '_count'}`, true);
          }
        }
      }
      return { samples, names, seriesCount: seen.size, duplicates, ...(duplicateExample ? { duplicateExample } : {}) };
    },
  };
}

/** Parses a whole body at once (tests, recorded scrapes). */
export function parseExposition(text: string, opts: ParseOptions = {}): Exposition {
  const p = createExpositionParser(opts);
  p.push(text);
  return p.end();
}
