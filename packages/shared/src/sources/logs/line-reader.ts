/**
 * Splits a byte stream into lines without ever holding more than one capped line: the bytes of a
 * line past `maxLineBytes` are dropped and the line is reported truncated, so a file without a
 * newline for a gigabyte costs the cap, not the gigabyte (readline would build the whole string
 * and fail with "Invalid string length"). A trailing "\r" is removed.
 */
export async function forEachLine(input: AsyncIterable<Buffer | string>, maxLineBytes: number, onLine: (line: string, truncated: boolean) => void): Promise<void> {
  let parts: Buffer[] = [];
  let held = 0;
  let truncated = false;

  const keep = (buf: Buffer, start: number, end: number): void => {
    const room = maxLineBytes - held;
    const take = Math.min(room, end - start);
    if (take < end - start) truncated = true;
    if (take <= 0) return;
    parts.push(buf.subarray(start, start + take));
    held += take;
  };

  const emit = (buf: Buffer, start: number, end: number, wasTruncated: boolean): void => {
    const stop = end > start && buf[end - 1] === 0x0d ? end - 1 : end;
    onLine(buf.toString('utf8', start, stop), wasTruncated);
  };

  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) {
        keep(buf, start, buf.length);
        break;
      }
      if (held === 0 && !truncated) {
        const over = nl - start > maxLineBytes;
        emit(buf, start, over ? start + maxLineBytes : nl, over);
      } else {
        keep(buf, start, nl);
        const line = Buffer.concat(parts, held);
        emit(line, 0, line.length, truncated);
        parts = [];
        held = 0;
        truncated = false;
      }
      start = nl + 1;
    }
  }
  if (held > 0 || truncated) {
    const line = Buffer.concat(parts, held);
    emit(line, 0, line.length, truncated);
  }
}
