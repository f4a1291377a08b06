/**
 * Joins the JSON objects that `journalctl -o json-pretty` spreads over several lines: a line that
 * is only "{" opens one, a line that is only "}" closes it. An object that grows past the line
 * cap is given up (its lines are reported as unknown), so a stray "{" cannot hold memory.
 */
export interface MultilineResult {
  /** Whether the line belongs to an object (opened, continued or closed it). */
  readonly taken: boolean;
  /** The whole object, when this line closed it. */
  readonly object?: { readonly text: string; readonly lines: number };
  /** Lines of an object given up at this line (past the cap): not etcd records. */
  readonly abandoned?: number;
}

export interface MultilineJson {
  push(line: string): MultilineResult;
  /** Lines held by an object that never closed. */
  drain(): number;
}

const MAX_LINES = 10_000;
const NOT_TAKEN: MultilineResult = { taken: false };
const TAKEN: MultilineResult = { taken: true };

export function createMultilineJson(maxChars: number): MultilineJson {
  let parts: string[] | undefined;
  let chars = 0;
  return {
    push(line) {
      const trimmed = line.length < 4 ? line.trim() : '';
      if (!parts) {
        if (trimmed !== '{') return NOT_TAKEN;
        parts = [line];
        chars = line.length;
        return TAKEN;
      }
      parts.push(line);
      chars += line.length + 1;
      if (trimmed === '}') {
        const object = { text: parts.join('\n'), lines: parts.length };
        parts = undefined;
        return { taken: true, object };
      }
      if (chars > maxChars || parts.length > MAX_LINES) {
        const abandoned = parts.length;
        parts = undefined;
        return { taken: true, abandoned };
      }
      return TAKEN;
    },
    drain() {
      const n = parts?.length ?? 0;
      parts = undefined;
      return n;
    },
  };
}
