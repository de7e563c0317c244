import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ensureDatabaseDirectory, type Config } from './config.js';
import { buildFanoutApp } from './fanout.js';

/** Starts the server and stops it gracefully on SIGTERM/SIGINT (in-flight requests finish). */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const fanout = config.role === 'fanout';
  if (!fanout) ensureDatabaseDirectory(config.databasePath);
  const app = fanout ? await buildFanoutApp({ config }) : await buildApp({ config });
  // Slow or idle clients must not hold sockets forever.
  app.server.keepAliveTimeout = 10_000;
  app.server.headersTimeout = 15_000;
  await app.listen({ port: config.port, host: config.host });
  const shown = config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${addressPort(app)}`;
  const role = fanout ? `fan-out node of ${config.primaryUrl}` : `database ${config.databasePath}`;
  app.log.info(`Liveline is live at ${shown} (${role}${config.redisUrl ? ', Redis ' + redactUrl(config.redisUrl) : ''})`);

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
