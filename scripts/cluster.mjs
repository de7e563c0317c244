#!/usr/bin/env node
// `npm run cluster`: the docker-compose topology without Docker, on loopback ports, from Debian's
// redis-server and nginx: Redis, one primary, two fan-out nodes, nginx in front. Ctrl+C stops it all.
// Ports: CLUSTER_PORT (nginx, default 8080) and the next four (primary, two fan-outs, Redis).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

for (const tool of ['redis-server', 'nginx']) {
  try {
    execFileSync('sh', ['-c', `PATH="$PATH:/usr/sbin:/usr/local/sbin" command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    console.error(`cluster: ${tool} is not installed (Debian: apt-get install -y redis-server nginx).`);
    process.exit(1);
  }
}

const { Topology } = await import('./cluster/topology.ts');
const base = Number(process.env.CLUSTER_PORT ?? 8080);
const databasePath = resolve(process.env.DATABASE_PATH ?? './data/cluster/liveline.db');
mkdirSync(join(databasePath, '..'), { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'liveline-cluster-'));

let topology;
try {
  topology = await Topology.start({
    dir,
    databasePath,
    ports: { nginx: base, primary: base + 1, fanouts: [base + 2, base + 3], redis: base + 4 },
  });
} catch (error) {
  console.error(`cluster: ${error.message} (logs in ${dir})`);
  process.exit(1);
}

console.log(`Liveline cluster is live at ${topology.url}
  nginx      ${topology.url}          (/socket.io/ → fan-out pool, the rest → primary, 1 s micro-cache)
  primary    ${topology.primaryUrl}   database ${databasePath}
  fan-out    ${topology.fanoutUrl(0)}, ${topology.fanoutUrl(1)}
  redis      ${topology.redisUrl}
Logs in ${dir}. A token: DATABASE_PATH=${databasePath} npx liveline token create --name me --role editor
Ctrl+C stops it all.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the cluster…');
  await topology.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
