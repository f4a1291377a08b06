import type { Socket } from 'node:net';

/** Above this many queued bytes the source is paused, so a slow link does not buffer a snapshot in memory. */
const HIGH_WATER = 4 * 1024 * 1024;

/**
 * Copies `src` to `dst`, holding each chunk for `delayMs()` milliseconds (read per chunk, so the
 * delay can change while connections stay open). A chunk never leaves before the one ahead of
 * it, even when the delay drops, so the byte stream stays intact.
 */
export function pipeWithDelay(src: Socket, dst: Socket, delayMs: () => number): void {
  const queue: Array<{ due: number; chunk: Buffer }> = [];
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastDue = 0;
  let ended = false;

  const flush = (): void => {
    timer = undefined;
    const now = Date.now();
    while (queue.length && (queue[0] as { due: number }).due <= now) {
      const { chunk } = queue.shift() as { chunk: Buffer };
      queued -= chunk.length;
      if (!dst.destroyed) dst.write(chunk);
    }
    if (queued < HIGH_WATER && src.isPaused() && !src.destroyed) src.resume();
    if (queue.length) timer = setTimeout(flush, Math.max(0, (queue[0] as { due: number }).due - now));
    else if (ended && !dst.destroyed) dst.end();
  };

  src.on('data', (chunk: Buffer) => {
    const d = delayMs();
    if (d <= 0 && queue.length === 0) {
      dst.write(chunk);
      return;
    }
    const due = Math.max(Date.now() + d, lastDue);
    lastDue = due;
    queue.push({ due, chunk });
    queued += chunk.length;
    if (queued >= HIGH_WATER) src.pause();
    timer ??= setTimeout(flush, Math.max(0, due - Date.now()));
  });
  src.on('end', () => {
    ended = true;
    if (!queue.length && !dst.destroyed) dst.end();
  });
  src.on('close', () => {
    if (timer && dst.destroyed) clearTimeout(timer);
  });
}
