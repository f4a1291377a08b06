/**
 * Terminal layout for the text report: ANSI styling that vanishes entirely without colour,
 * fixed-width tables, and hanging-indent wrapping. Widths are measured on the plain text and
 * colour is applied afterwards, so escape codes never break the alignment.
 */
import type { Status } from '../schema/index.ts';
import { wrapText } from './format.ts';

export const WIDTH = 100;

const SGR = { reset: 0, bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36, grey: 90 } as const;
const STATUS_SGR: Readonly<Record<Status, number>> = { critical: SGR.red, warning: SGR.yellow, healthy: SGR.green, unknown: SGR.grey };
/** Banner backgrounds: white on red/green/grey, black on yellow for contrast. */
const STATUS_BANNER: Readonly<Record<Status, string>> = { critical: '97;41', warning: '30;43', healthy: '97;42', unknown: '97;100' };

export interface Painter {
  bold(s: string): string;
  dim(s: string): string;
  cmd(s: string): string;
  status(status: Status, s: string): string;
  banner(status: Status, s: string): string;
}

export function createPainter(color: boolean): Painter {
  const sgr = (code: number | string, s: string): string => (color && s ? `\x1b[${code}m${s}\x1b[${SGR.reset}m` : s);
  return {
    bold: (s) => sgr(SGR.bold, s),
    dim: (s) => sgr(SGR.dim, s),
    cmd: (s) => sgr(SGR.cyan, s),
    status: (status, s) => sgr(`${SGR.bold};${STATUS_SGR[status]}`, s),
    banner: (status, s) => sgr(`1;${STATUS_BANNER[status]}`, s),
  };
}

export function truncate(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

/** `first` prefixes the first line, the rest are indented to match it. */
export function hanging(text: string, first: string, width = WIDTH): string[] {
  const indent = ' '.repeat(first.length);
  return wrapText(text, Math.max(20, width - first.length)).map((l, i) => `${i === 0 ? first : indent}${l}`.trimEnd());
}

export interface Cell {
  readonly text: string;
  readonly paint?: (s: string) => string;
}

export interface Column {
  readonly title: string;
  readonly max?: number;
  readonly align?: 'left' | 'right';
}

/** A two-space-indented table; the last column is never padded, so lines carry no trailing blanks. */
export function table(columns: readonly Column[], rows: ReadonlyArray<ReadonlyArray<Cell | string>>, p: Painter): string[] {
  const cells = rows.map((r) => r.map((c, i) => {
    const cell = typeof c === 'string' ? { text: c } : c;
    return { ...cell, text: truncate(cell.text, columns[i]?.max ?? Infinity) };
  }));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]?.text.length ?? 0)));
  const line = (r: ReadonlyArray<Cell>, head: boolean): string => {
    const parts = r.map((c, i) => {
      const last = i === r.length - 1;
      const w = widths[i] ?? 0;
      const padded = columns[i]?.align === 'right' ? c.text.padStart(w) : last ? c.text : c.text.padEnd(w);
      return head ? p.dim(padded) : c.paint ? c.paint(padded) : padded;
    });
    return `  ${parts.join('  ')}`.trimEnd();
  };
  return [line(columns.map((c) => ({ text: c.title })), true), ...cells.map((r) => line(r, false))];
}
