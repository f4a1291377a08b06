import { accessSync, constants, createWriteStream, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '@etcd-analyzer/shared/errors';
import type { ClusterSnapshot } from '@etcd-analyzer/shared/schema';

/** Where a run writes its files: a `.partial` folder until every file is written, then renamed. */
export interface ReportDir {
  readonly final: string;
  readonly partial: string;
}

/**
 * Creates the run's folder under --out before anything is collected, so an unwritable --out
 * fails in a second instead of after the whole window, and a run that dies half-way leaves a
 * folder that says so (`.partial`) rather than one that looks complete.
 */
export function prepareReportDir(out: string, name: string): ReportDir {
  const final = join(out, name);
  const partial = `${final}.partial`;
  try {
    makeDirs(resolve(partial));
    writeFileSync(join(partial, 'README'), 'etcd-analyzer is writing this report; a folder still named .partial was not finished.\n');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    const why = code === 'ENOTDIR' ? 'a path component is a file, not a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code === 'ENOENT' ? 'cannot create it there' : code;
    throw new ConfigError(`--out: cannot write into "${out}": ${why}`);
  }
  return { final, partial };
}

/**
 * mkdir -p without `recursive: true`: Node's recursive mkdir spins forever under /proc (it keeps
 * retrying a component the kernel refuses), so each missing folder is made one at a time below
 * the nearest one that exists, after checking that one is a writable folder.
 */
function makeDirs(path: string): void {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      const st = statSync(at);
      if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw e;
      missing.unshift(at);
      at = dirname(at);
    }
  }
  accessSync(at, constants.W_OK);
  for (const dir of missing) mkdirSync(dir);
}

/** Streams the snapshot as JSON one series at a time: a large snapshot is never one string. */
export async function writeSnapshotJson(path: string, snapshot: ClusterSnapshot): Promise<void> {
  const stream = createWriteStream(path);
  const write = async (chunk: string): Promise<void> => {
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  try {
    const { series, logEvents, ...rest } = snapshot;
    const head = JSON.stringify(rest);
    await write(`${head.slice(0, -1)},"series":[`);
    for (let i = 0; i < series.length; i++) await write(`${i ? ',' : ''}${JSON.stringify(series[i])}`);
    await write('],"logEvents":[');
    for (let i = 0; i < logEvents.length; i++) await write(`${i ? ',' : ''}${JSON.stringify(logEvents[i])}`);
    await write(']}\n');
  } finally {
    stream.end();
    await once(stream, 'close');
  }
}

/** Marks the folder complete; an earlier run's folder of the same name is replaced. */
export function finishReportDir(dir: ReportDir): void {
  rmSync(join(dir.partial, 'README'), { force: true });
  rmSync(dir.final, { recursive: true, force: true });
  renameSync(dir.partial, dir.final);
}
