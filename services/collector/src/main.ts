import { closeBus, connectBus, createOutbox, ensureStreams } from '@etcd-analyzer/shared/bus';
import { createServiceLogger, parseEnv, startServiceHttp, stopOnSignals } from '@etcd-analyzer/shared/service';
import { createCollector } from './collector.ts';
import { CollectorEnvSchema } from './config.ts';
import { createCollectorMetrics } from './metrics.ts';
import { readTargetsFile } from './targets-file.ts';

// Composition root: config, adapters, start; SIGTERM drains in reverse order.
const env = parseEnv(CollectorEnvSchema);
const logger = createServiceLogger({ service: 'collector', level: env.LOG_LEVEL });
const fileTargets = env.COLLECTOR_TARGETS_FILE ? readTargetsFile(env.COLLECTOR_TARGETS_FILE) : [];
const bus = await connectBus(
  { servers: env.NATS_URL, name: `etcd-analyzer-collector-${env.COLLECTOR_INSTANCE}`, ...(env.NATS_USER ? { user: env.NATS_USER } : {}), ...(env.NATS_PASSWORD ? { password: env.NATS_PASSWORD } : {}), ...(env.NATS_TOKEN ? { token: env.NATS_TOKEN } : {}) },
  { logger: logger.child({ component: 'bus' }) },
);
await ensureStreams(bus.jsm, undefined, logger.child({ component: 'streams' }));
const outbox = createOutbox({ js: bus.js, logger: logger.child({ component: 'outbox' }) });
const metrics = createCollectorMetrics();
const collector = createCollector({ bus, outbox, logger, metrics, instance: env.COLLECTOR_INSTANCE, leaseTtlMs: env.COLLECTOR_LEASE_TTL_MS, maxCatchUpSeconds: env.COLLECTOR_MAX_CATCH_UP_SECONDS, fileTargets });
await collector.start();
const http = await startServiceHttp({ port: env.COLLECTOR_HTTP_PORT, host: env.COLLECTOR_HTTP_HOST, registry: metrics.registry, ready: collector.ready, logger });
logger.info({ instance: env.COLLECTOR_INSTANCE, targets: fileTargets.length }, 'collector started');

stopOnSignals(
  async () => {
    await http.close();
    await collector.stop();
    await outbox.close();
    await closeBus(bus);
  },
  { logger },
);
