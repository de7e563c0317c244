// `npm run demo`: starts Liveline on a fresh demo database and replays a sample keynote into a
// live post, so a newcomer watches a liveblog move in the browser within seconds.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../bin/liveline.js', import.meta.url));
const sample = fileURLToPath(new URL('../fixtures/sample-keynote.md', import.meta.url));
const slug = 'liveline-conf-2026-keynote';
const speed = process.env.DEMO_SPEED ?? '20';

if (!existsSync(new URL('../dist/server/cli/index.js', import.meta.url))) {
  console.log('Building Liveline first (npm run build)…');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

// Its own database, fresh each run, so the demo never touches data/liveline.db.
const databasePath = process.env.DEMO_DATABASE_PATH ?? `${root}data/demo.db`;
mkdirSync(new URL('../data/', import.meta.url), { recursive: true });
for (const file of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) rmSync(file, { force: true });

const host = '127.0.0.1';
const port = await firstFreePort(Number(process.env.PORT ?? 3000));
const url = `http://${host}:${port}`;
const env = { ...process.env, DATABASE_PATH: databasePath, HOST: host, PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };

const token = execFileSync(process.execPath, [cli, 'token', 'create', '--name', 'Demo author', '--role', 'editor'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

const server = spawn(process.execPath, [cli, 'serve'], { env, stdio: 'inherit' });
let replayer;
const stop = () => {
  replayer?.kill('SIGTERM');
  server.kill('SIGTERM');
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
server.once('exit', (code) => process.exit(code ?? 0));

await waitForHealth(`${url}/healthz`);
console.log(`\nLiveline demo: open ${url}/posts/${slug}\nThe sample keynote is replayed live (${speed}× faster than it happened). Ctrl-C stops the demo.\n`);

replayer = spawn(process.execPath, [cli, 'replay', sample, '--speed', speed, '--url', url], { env: { ...env, LIVELINE_TOKEN: token }, stdio: 'inherit' });
replayer.once('exit', (code) => {
  replayer = undefined;
  if (code === 0) console.log(`\nReplay finished. The server keeps running at ${url} until you press Ctrl-C.`);
  else console.error(`\nThe replay stopped (exit code ${code}); the server keeps running at ${url}.`);
});

async function firstFreePort(start) {
  for (let candidate = start; candidate < start + 50; candidate += 1) {
    const free = await new Promise((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(candidate, host, () => probe.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  throw new Error(`No free port between ${start} and ${start + 49}`);
}

async function waitForHealth(healthUrl) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(healthUrl)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`The server did not answer ${healthUrl} within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
