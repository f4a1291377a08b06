import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update: (message: string) => void;
  stop: () => void;
}

/**
 * Progress on stderr while collecting: a bar on a terminal, plain lines with --verbose, and
 * nothing otherwise (so scripts and CI logs stay clean).
 */
export function createProgress(verbose: boolean): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'collecting [{bar}] {percentage}% {step}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
    let started = false;
    return {
      update(message) {
        const m = /(\d+)\/(\d+)/.exec(message);
        if (!m) return;
        const [done, total] = [Number(m[1]), Number(m[2])];
        if (!started) {
          bar.start(total, 0, { step: message });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { step: message });
      },
      stop: () => started && bar.stop(),
    };
  }
  return { update: (m) => verbose && process.stderr.write(`${m}\n`), stop: () => undefined };
}
