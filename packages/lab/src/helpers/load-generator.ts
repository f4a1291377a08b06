/**
 * Detached helper: a steady write load through etcd's JSON gateway over keep-alive HTTP.
 * Keys cycle through a bounded key space, and like kube-apiserver it compacts periodically to
 * the revision it saw one period earlier, so the database stays bounded (it is never
 * defragmented: that is the operator's job, and the fragmentation signal stays honest).
 * Usage: node load-generator.ts OPS_PER_S ENDPOINT[,ENDPOINT...]
 */
import { Agent, request } from 'node:http';

const rate = Number(process.argv[2]);
const endpoints = (process.argv[3] ?? '').split(',').filter(Boolean).map((u) => new URL(u));
if (!Number.isFinite(rate) || rate <= 0 || endpoints.length === 0) {
  process.stderr.write('usage: load-generator.ts OPS_PER_S ENDPOINT[,ENDPOINT...]\n');
  process.exit(2);
}

const KEYS = 1000;
const VALUE_BYTES = 256;
const MAX_IN_FLIGHT = 64;
const COMPACT_EVERY_MS = 60_000;
const REPORT_EVERY_MS = 10_000;

const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const value = b64('x'.repeat(VALUE_BYTES));

let seq = 0;
let inFlight = 0;
let ok = 0;
let failed = 0;
let skipped = 0;
let lastError = '';
let latestRevision = 0;
let compactTo = 0;

function post(endpoint: URL, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: endpoint.hostname, port: endpoint.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function putOne(): Promise<void> {
  const n = seq++;
  // Round robin, so a member that is down costs a share of failures instead of stopping the load.
  const endpoint = endpoints[n % endpoints.length] as URL;
  inFlight++;
  try {
    const r = await post(endpoint, '/v3/kv/put', JSON.stringify({ key: b64(`lab/load/${String(n % KEYS).padStart(4, '0')}`), value }));
    if (r.status === 200) {
      ok++;
      const rev = Number((JSON.parse(r.body) as { header?: { revision?: string } }).header?.revision ?? 0);
      if (rev > latestRevision) latestRevision = rev;
    } else {
      failed++;
      lastError = `${endpoint.host}: HTTP ${r.status} ${r.body.slice(0, 200)}`;
    }
  } catch (e) {
    failed++;
    lastError = `${endpoint.host}: ${(e as Error).message}`;
  } finally {
    inFlight--;
  }
}

// Issue work on a 10 ms tick with a fractional carry, so any rate (0.5/s or 2000/s) averages out.
const TICK_MS = 10;
let carry = 0;
setInterval(() => {
  carry += (rate * TICK_MS) / 1000;
  while (carry >= 1) {
    carry -= 1;
    if (inFlight >= MAX_IN_FLIGHT) skipped++;
    else void putOne();
  }
}, TICK_MS);

setInterval(() => {
  const target = compactTo;
  compactTo = latestRevision;
  if (target <= 0) return;
  const endpoint = endpoints[Math.floor(Math.random() * endpoints.length)] as URL;
  post(endpoint, '/v3/kv/compaction', JSON.stringify({ revision: String(target) }))
    .then((r) => {
      // "required revision has been compacted" means someone compacted further already: fine.
      if (r.status !== 200 && !r.body.includes('compacted')) lastError = `compaction: HTTP ${r.status} ${r.body.slice(0, 200)}`;
    })
    .catch((e: Error) => (lastError = `compaction: ${e.message}`));
}, COMPACT_EVERY_MS);

setInterval(() => {
  process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), ok, failed, skipped, inFlight, revision: latestRevision, ...(lastError ? { lastError } : {}) })}\n`);
  lastError = '';
}, REPORT_EVERY_MS);

process.on('SIGTERM', () => process.exit(0));
