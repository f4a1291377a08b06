/**
 * Detached helper for the leader-churn fault: find the leader, SIGSTOP it for longer than the
 * election timeout so the others elect a new one, SIGCONT it, rest, repeat. On SIGTERM it
 * resumes whatever it has stopped before leaving.
 * Usage: node leader-churn.ts LAB_DIR STOP_MS REST_MS
 */
import { findLeader } from '../cluster.ts';
import { isOurs } from '../processes.ts';
import { readLabState, type LabMember } from '../state.ts';

const dir = process.argv[2];
const stopMs = Number(process.argv[3]);
const restMs = Number(process.argv[4]);
if (!dir || !(stopMs > 0) || !(restMs >= 0)) {
  process.stderr.write('usage: leader-churn.ts LAB_DIR STOP_MS REST_MS\n');
  process.exit(2);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let stopped: LabMember | undefined;
let rounds = 0;

function resume(): void {
  if (stopped && isOurs({ pid: stopped.pid, startTime: stopped.startTime, command: stopped.args[0] ?? 'etcd' })) process.kill(stopped.pid, 'SIGCONT');
  stopped = undefined;
}

process.on('SIGTERM', () => {
  resume();
  process.exit(0);
});

for (;;) {
  try {
    const state = readLabState(dir);
    const leader = await findLeader(state);
    if (leader && isOurs({ pid: leader.pid, startTime: leader.startTime, command: leader.args[0] ?? 'etcd' })) {
      stopped = leader;
      process.kill(leader.pid, 'SIGSTOP');
      process.stdout.write(`${new Date().toISOString()} round ${++rounds}: stopped leader ${leader.name} (pid ${leader.pid}) for ${stopMs} ms\n`);
      await sleep(stopMs);
      resume();
    } else {
      process.stdout.write(`${new Date().toISOString()} no leader found; waiting\n`);
    }
  } catch (e) {
    resume();
    process.stdout.write(`${new Date().toISOString()} ${String(e)}\n`);
  }
  await sleep(restMs);
}
