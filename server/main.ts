import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ensureDatabaseDirectory, type Config } from './config.js';
import { buildFanoutApp } from './fanout.js';

/**
 * Starts the server and stops it gracefully on SIGTERM/SIGINT: stop accepting, let in-flight
 * requests (writes) finish, drop sockets so readers reconnect elsewhere or later, checkpoint the
 * WAL and close the database (onClose hooks in app.ts), exit 0; exit 1 if that takes over 10 s.
 */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const { http, scaleOut, storage } = config;
  const fanout = scaleOut.role === 'fanout';
  if (!fanout) ensureDatabaseDirectory(storage.databasePath);
  const app = fanout ? await buildFanoutApp({ config }) : await buildApp({ config });
  // A join storm or a reconnect herd (thousands of readers at once) overflows the default
  // 511-entry accept queue, and every connection dropped there (an author's POST among them) waits
  // out a SYN retransmit: 1 s, then 3 s. The kernel caps the queue at net.core.somaxconn (4,096 by
  // default), so asking for more costs nothing and lets a raised somaxconn take effect
  // (bench/README.md, herd).
  await app.listen({ port: http.port, host: http.host, backlog: 65_535 });
  const shown = http.publicUrl ?? `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${addressPort(app)}`;
  const role = fanout ? `fan-out node of ${scaleOut.primaryUrl}` : `database ${storage.databasePath}`;
  app.log.info(`Liveline is live at ${shown} (${role}${scaleOut.redisUrl ? ', Redis ' + redactUrl(scaleOut.redisUrl) : ''})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal} received, shutting down`);
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    // Fastify closes idle keep-alive connections once, at the start; a connection whose request
    // was still in flight turns idle later and would hold the exit until the client drops it.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return app;
}

function addressPort(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Redis URLs may carry a password. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
