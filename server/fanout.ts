import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { PROBLEM_TYPE_BASE, sendProblem } from './http/problems.js';
import { registerReadiness } from './http/ready.js';
import { registerMetrics } from './metrics/http.js';
import { Metrics } from './metrics/metrics.js';
import { PrimaryClient } from './realtime/primary-client.js';
import { RemotePostSource } from './realtime/remote-source.js';
import { ScaleOut } from './realtime/scale-out.js';
import { roomOf } from './realtime/rooms.js';
import { Realtime } from './realtime/socket.js';

/**
 * A fan-out node (ROLE=fanout): holds reader sockets only. It opens no database; changes reach it
 * through Redis, and posts and catch-up come from the primary over HTTP. It serves `/socket.io/`,
 * `/healthz`, `/readyz` and `/metrics`; nginx sends everything else to the primary.
 */
export async function buildFanoutApp({ config, logger = true }: { config: Config; logger?: boolean }): Promise<FastifyInstance> {
  if (!config.redisUrl || !config.primaryUrl) throw new Error('A fan-out node needs REDIS_URL and PRIMARY_URL.');
  const app = Fastify({ logger: logger ? { level: config.logLevel } : false, requestTimeout: 30_000 });
  const metrics = new Metrics();

  // The three parts refer to each other: the source delivers through the io that Realtime creates,
  // and asks ScaleOut whether the stream flows.
  let realtime: Realtime | undefined;
  let scaleOut: ScaleOut | undefined;
  const source = new RemotePostSource(
    new PrimaryClient(config.primaryUrl),
    (postId, change) => {
      realtime?.io.local.to(roomOf(postId)).emit('change', change);
      metrics.delivered(change, 'http');
    },
    () => scaleOut?.streamFlowing() ?? false,
  );
  realtime = new Realtime(app.server, source, app.log);
  scaleOut = new ScaleOut({ io: realtime.io, role: 'fanout', redisUrl: config.redisUrl, source, remote: source, log: app.log, metrics });
  const node = { realtime, scaleOut };

  app.get('/healthz', async (_request, reply) =>
    reply.header('Cache-Control', 'no-store').send({ status: 'ok', role: 'fanout', connections: node.realtime.io.engine.clientsCount }),
  );
  registerMetrics(app, metrics);
  registerReadiness(app, () => node.scaleOut.checks());
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'not-found', title: 'Not found', status: 404, detail: `A fan-out node serves only /socket.io/; ${request.url.split('?')[0]} lives on the primary.` }),
  );
  app.addHook('preClose', async () => {
    node.realtime.close();
    await node.scaleOut.close();
  });
  return app;
}
