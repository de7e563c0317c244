import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ensureDatabaseDirectory, type Config } from './config.js';

/** Starts the server and stops it gracefully on SIGTERM/SIGINT (in-flight requests finish). */
export async function startServer(config: Config): Promise<FastifyInstance> {
  ensureDatabaseDirectory(config.databasePath);
  const app = await buildApp({ config });
  // Slow or idle clients must not hold sockets forever.
  app.server.keepAliveTimeout = 10_000;
  app.server.headersTimeout = 15_000;
  // A join storm (thousands of readers opening the page at once) overflows the default 511-entry
  // accept queue; the kernel caps this at net.core.somaxconn (bench/README.md).
  await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  const shown = config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${addressPort(app)}`;
  app.log.info(`Liveline is live at ${shown} (database ${config.databasePath})`);

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
