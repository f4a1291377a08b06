import { spawn, type ChildProcess } from 'node:child_process';

export interface CpuHogs {
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

/**
 * Busy loops at the lowest priority, one per `count`: the busy CI machine a verdict must not
 * depend on. etcd keeps its normal priority, as on a real node where other work runs beside it.
 */
export function startCpuHogs(count = 2): CpuHogs {
  const procs: ChildProcess[] = [];
  for (let i = 0; i < count; i++) procs.push(spawn('nice', ['-n', '19', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' }));
  return {
    pids: procs.map((p) => p.pid ?? -1),
    async stop() {
      await Promise.all(
        procs.map((p) =>
          p.exitCode !== null || p.signalCode !== null
            ? Promise.resolve()
            : new Promise<void>((resolve) => {
                p.once('exit', () => resolve());
                p.kill('SIGKILL');
              }),
        ),
      );
    },
  };
}
