import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ClickHouseClient, ClickHouseLogLevel, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { StoreConfig } from '../schema/index.ts';
import { StoreError, toStoreError } from './store-error.ts';

/**
 * One `@clickhouse/client` over either backend, so the same SQL runs on both:
 * - server: the HTTP interface at `url` (a ClickHouse server, or in tests the loopback server of
 *   @etcd-analyzer/testkit that serves ClickHouse's HTTP interface from chDB);
 * - embedded: chDB (the ClickHouse engine in-process) at `dataDir`, through `chdb/connection`.
 *
 * Embedded storage serves ONE process: chDB binds one data directory per process and keeps its
 * own in-process locks, so a second process on the same directory would corrupt or be refused.
 * Several processes (two analyzers, the agent beside them) need a server. Within a process, several
 * stores on the same directory share the engine; a store on another directory is refused.
 */
export interface Connection {
  readonly client: ClickHouseClient;
  readonly backend: 'server' | 'embedded';
  /** Where the store lives, safe to print: the URL without credentials, or `chdb:<dir>`. */
  readonly target: string;
  readonly secrets: readonly string[];
}

/** Settings every query of a read-only store runs with; `readonly` last, since it freezes the rest. */
function readonlySettings(c: StoreConfig): ClickHouseSettings {
  return {
    ...(c.maxExecutionSeconds !== undefined ? { max_execution_time: c.maxExecutionSeconds } : {}),
    ...(c.maxResultRows !== undefined ? { max_result_rows: String(c.maxResultRows), result_overflow_mode: 'throw' as const } : {}),
    readonly: '1',
  };
}

export async function connect(c: StoreConfig): Promise<Connection> {
  return c.url !== undefined ? connectServer(c, c.url) : connectEmbedded(c, c.dataDir ?? '');
}

async function connectServer(c: StoreConfig, url: string): Promise<Connection> {
  const target = url.replace(/\/+$/, '');
  const secrets = c.password ? [c.password] : [];
  const make = (database: string) =>
    createClient({
      url: target,
      username: c.username,
      password: c.password,
      database,
      request_timeout: c.requestTimeoutMs,
      application: 'etcd-analyzer',
      log: { level: ClickHouseLogLevel.OFF },
      clickhouse_settings: c.readonly ? readonlySettings(c) : {},
    });
  let client = make(c.database);
  try {
    await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' }).then((r) => r.json());
  } catch (e) {
    const err = toStoreError(e, { operation: 'connect', target, secrets });
    await client.close();
    if (err.clickhouseType !== 'UNKNOWN_DATABASE') throw err;
    if (c.readonly) throw new StoreError(`${target}: database ${c.database} does not exist (a read-only store cannot create it: run migrate() from a writer)`, { operation: 'connect', target, clickhouseCode: err.clickhouseCode, clickhouseType: err.clickhouseType });
    // The database is created before binding to it: every request names it (the `database` URL parameter).
    const boot = make('default');
    try {
      await boot.command({ query: `CREATE DATABASE IF NOT EXISTS \`${c.database}\`` });
    } catch (e2) {
      throw toStoreError(e2, { operation: `connect: create database ${c.database}`, target, secrets });
    } finally {
      await boot.close();
    }
    client = make(c.database);
  }
  return { client, backend: 'server', target, secrets };
}

async function connectEmbedded(c: StoreConfig, dataDir: string): Promise<Connection> {
  const dir = resolve(dataDir);
  const target = `chdb:${dir}`;
  let client: ClickHouseClient;
  try {
    mkdirSync(dir, { recursive: true });
    const connection = createChdbConnection({ path: dir });
    client = createClient({ connection, log: { level: ClickHouseLogLevel.OFF }, clickhouse_settings: c.readonly ? readonlySettings(c) : {} } as Parameters<typeof createClient>[0]);
  } catch (e) {
    const err = toStoreError(e, { operation: 'open embedded storage', target, secrets: [] });
    throw /data director|one active/i.test(err.message)
      ? new StoreError(`${err.message} (embedded storage binds one data directory per process; several processes or directories need a ClickHouse server)`, { operation: 'open embedded storage', target }, {}, { cause: err })
      : err;
  }
  try {
    // The connection's session keeps its current database, as the server path's `database` parameter does.
    if (!c.readonly) await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${c.database}\`` });
    await client.command({ query: `USE \`${c.database}\`` });
    await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' }).then((r) => r.json());
  } catch (e) {
    await client.close();
    const err = toStoreError(e, { operation: 'connect', target, secrets: [] });
    if (err.clickhouseType === 'UNKNOWN_DATABASE') throw new StoreError(`${target}: database ${c.database} does not exist (a read-only store cannot create it: run migrate() from a writer)`, { operation: 'connect', target, clickhouseCode: err.clickhouseCode, clickhouseType: err.clickhouseType });
    throw err;
  }
  return { client, backend: 'embedded', target, secrets: [] };
}
