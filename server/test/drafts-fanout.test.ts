import { expect, it } from 'vitest';
import { hasRedis, useFanoutCluster } from './fanout-cluster.js';
import { createPost, until } from './helpers.js';
import type { Change } from '../../contract/index.js';

/**
 * With several nodes (issue 17), only the primary knows drafts and publishes scheduled entries: a
 * fan-out node has no newsroom socket (its readers' path is all it serves) and no scheduler, and
 * a scheduled entry reaches its readers as any entry does, once, through the primary's stream.
 */

const stack = useFanoutCluster('drafts-fanout');

it.skipIf(!hasRedis)('a fan-out node serves no newsroom socket; the primary alone publishes a scheduled entry, once', async () => {
  const handshake = '/newsroom/socket.io/?EIO=4&transport=polling';
  expect((await fetch(`${stack.fanoutUrl}${handshake}`)).status).toBe(404);
  // The primary's answers (no session: refused by the newsroom socket itself, not "no such path").
  expect((await fetch(`${stack.primaryUrl}${handshake}`)).status).not.toBe(404);

  const { slug } = await createPost(stack.primary, { title: 'Fan-out schedule', status: 'live' });
  const { io: connect } = await import('socket.io-client');
  const reader = connect(stack.fanoutUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
  const changes: Change[] = [];
  reader.on('change', (change: Change) => changes.push(change));
  expect((await reader.timeout(5000).emitWithAck('subscribe', { slug })).ok).toBe(true);
  const at = new Date(Date.now() + 1000).toISOString();
  const response = await stack.primary.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: stack.primary.auth('editor'), payload: { body: 'Through the stream', state: 'scheduled', publishAt: at } });
  expect(response.statusCode).toBe(201);
  await until(() => changes.length > 0, 'the scheduled entry on the fan-out node');
  expect(changes.map((change) => change.type)).toEqual(['entry.created']);
  reader.close();
});
