/**
 * @module testkit
 * Shared helpers for integration tests and benchmarks: a lab per test file, a latency proxy,
 * CPU hogs for a busy machine.
 */
export { withLab, freeBasePort, type LabFixture } from './lab-fixture.ts';
export { startLatencyProxy, type LatencyProxy } from './latency-proxy.ts';
export { waitFor } from './wait.ts';
export { startCpuHogs, type CpuHogs } from './cpu-hogs.ts';
export { startNats, freeNatsPort, type NatsServer, type StartNatsOptions } from './nats-server.ts';
