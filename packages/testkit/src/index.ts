/**
 * @module testkit
 * Shared helpers for integration tests and benchmarks: a lab per test file, a latency proxy,
 * CPU hogs for a busy machine, a loopback ClickHouse HTTP server over chDB.
 */
export { withLab, freeBasePort, type LabFixture } from './lab-fixture.ts';
export { startLatencyProxy, type LatencyProxy } from './latency-proxy.ts';
export { waitFor } from './wait.ts';
export { startCpuHogs, type CpuHogs } from './cpu-hogs.ts';
export { startNats, freeNatsPort, type NatsServer, type StartNatsOptions } from './nats-server.ts';
export { serveClickHouseHttp, startClickHouseHttp, type ClickHouseHttpOptions, type ClickHouseHttpServer } from './clickhouse-http.ts';
