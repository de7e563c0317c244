import type { Db } from '../db/connection.js';
import type { Delivery, Webhook } from '../../contract/index.js';

/**
 * Webhook endpoints, their cursors into the change log and the delivery log (migration 0014 says
 * why the outbox is the change log read through a cursor). This file reads `changes` but never
 * writes it: the change log has one writer (store/changes.ts).
 */

type EndpointRow = {
  id: number;
  url: string;
  post_id: number | null;
  secret: string;
  description: string;
  active: number;
  failures: number;
  retry_at: string | null;
  created_at: string;
  updated_at: string;
};

/** What the deliverer needs of an endpoint. */
export type Endpoint = { id: number; url: string; postId: number | null; secret: string; active: boolean; failures: number; retryAt: string | null };

/** The next change an endpoint has not acknowledged, as the change log holds it now. */
export type PendingChange = {
  endpointId: number;
  postId: number;
  slug: string;
  /** The post was deleted: only its tombstones still go out. */
  postDeleted: boolean;
  seq: number;
  type: string;
  json: string;
  createdAt: string;
  /** The cursor's replay count, part of the message id. */
  generation: number;
};

const DELIVERY_LOG_KEEP = 1000;

export class WebhookStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO webhook_endpoints (url, post_id, secret, description, active, created_by, created_at, updated_at)
        VALUES (@url, @postId, @secret, @description, @active, @createdBy, @now, @now) RETURNING id`),
      // From now on: every post it follows starts at its current end (a site-wide endpoint: every existing post).
      // A draft post (issue 17) has no public history yet: it gets none, so once public it goes out from its start.
      startCursors: db.prepare(`INSERT INTO webhook_cursors (endpoint_id, post_id, delivered_seq)
        SELECT @id, p.id, p.last_seq FROM posts p WHERE (@postId IS NULL OR p.id = @postId) AND p.status != 'draft'`),
      byId: db.prepare('SELECT * FROM webhook_endpoints WHERE id = ?'),
      all: db.prepare('SELECT * FROM webhook_endpoints ORDER BY id'),
      // Active endpoints whose head delivery is not waiting for its retry time.
      due: db.prepare('SELECT * FROM webhook_endpoints WHERE active = 1 AND (retry_at IS NULL OR retry_at <= ?) ORDER BY id'),
      update: db.prepare(`UPDATE webhook_endpoints SET url = @url, description = @description, active = @active,
        failures = CASE WHEN @active = 1 AND active = 0 THEN 0 ELSE failures END,
        retry_at = CASE WHEN @active = 1 AND active = 0 THEN NULL ELSE retry_at END, updated_at = @now WHERE id = @id`),
      remove: db.prepare('DELETE FROM webhook_endpoints WHERE id = ?'),
      // The post whose next unacknowledged change is the oldest: a busy post cannot starve a quiet one.
      next: db.prepare(`SELECT p.id AS post_id, p.slug, p.deleted_at IS NOT NULL AS deleted, ch.seq, ch.type, ch.payload, ch.created_at,
          coalesce(c.generation, 0) AS generation
        FROM posts p
        LEFT JOIN webhook_cursors c ON c.endpoint_id = @id AND c.post_id = p.id
        JOIN changes ch ON ch.post_id = p.id AND ch.seq = coalesce(c.delivered_seq, 0) + 1
        WHERE (@postId IS NULL OR p.id = @postId) AND p.last_seq > coalesce(c.delivered_seq, 0) AND p.status != 'draft'
        ORDER BY ch.created_at, p.id LIMIT 1`),
      pending: db.prepare(`SELECT coalesce(sum(p.last_seq - coalesce(c.delivered_seq, 0)), 0) AS pending
        FROM posts p LEFT JOIN webhook_cursors c ON c.endpoint_id = @id AND c.post_id = p.id
        WHERE (@postId IS NULL OR p.id = @postId) AND p.last_seq > coalesce(c.delivered_seq, 0) AND p.status != 'draft'`),
      cursor: db.prepare('SELECT delivered_seq, generation FROM webhook_cursors WHERE endpoint_id = ? AND post_id = ?'),
      // Moves only from where the delivery started: a replay meanwhile wins.
      advance: db.prepare(`INSERT INTO webhook_cursors (endpoint_id, post_id, delivered_seq, generation) VALUES (@id, @postId, @seq, @generation)
        ON CONFLICT (endpoint_id, post_id) DO UPDATE SET delivered_seq = excluded.delivered_seq
        WHERE delivered_seq = @seq - 1 AND generation = @generation`),
      rewind: db.prepare(`INSERT INTO webhook_cursors (endpoint_id, post_id, delivered_seq, generation) VALUES (@id, @postId, @seq, 1)
        ON CONFLICT (endpoint_id, post_id) DO UPDATE SET delivered_seq = excluded.delivered_seq, generation = generation + 1`),
      healthy: db.prepare('UPDATE webhook_endpoints SET failures = 0, retry_at = NULL WHERE id = ?'),
      failing: db.prepare('UPDATE webhook_endpoints SET failures = failures + 1, retry_at = @retryAt WHERE id = @id RETURNING failures'),
      logAttempt: db.prepare(`INSERT INTO webhook_deliveries (endpoint_id, post_id, seq, message_id, type, status, attempts, response_code, last_error, next_attempt_at, created_at, updated_at)
        VALUES (@id, @postId, @seq, @messageId, @type, @status, 1, @responseCode, @lastError, @nextAttemptAt, @now, @now)
        ON CONFLICT (endpoint_id, message_id) DO UPDATE SET status = excluded.status, attempts = attempts + 1, response_code = excluded.response_code,
          last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at, type = excluded.type, updated_at = excluded.updated_at`),
      prune: db.prepare(`DELETE FROM webhook_deliveries WHERE endpoint_id = @id AND id <= (
        SELECT id FROM webhook_deliveries WHERE endpoint_id = @id ORDER BY id DESC LIMIT 1 OFFSET ${DELIVERY_LOG_KEEP})`),
      deliveries: db.prepare(`SELECT d.*, p.slug FROM webhook_deliveries d JOIN posts p ON p.id = d.post_id
        WHERE d.endpoint_id = ? ORDER BY d.id DESC LIMIT ?`),
      post: db.prepare('SELECT id, slug, title FROM posts WHERE id = ?'),
    };
  }

  create(input: { url: string; postId: number | null; secret: string; description: string; active: boolean; createdBy: number | null; now: string }): number {
    return this.db.transaction(() => {
      const { id } = this.statements.insert.get({ ...input, active: input.active ? 1 : 0 }) as { id: number };
      this.statements.startCursors.run({ id, postId: input.postId });
      return id;
    })();
  }

  endpoint(id: number): Endpoint | undefined {
    const row = this.statements.byId.get(id) as EndpointRow | undefined;
    return row && toEndpoint(row);
  }

  view(id: number): Webhook | undefined {
    const row = this.statements.byId.get(id) as EndpointRow | undefined;
    return row && this.toView(row);
  }

  list(): Webhook[] {
    return (this.statements.all.all() as EndpointRow[]).map((row) => this.toView(row));
  }

  due(now: string): Endpoint[] {
    return (this.statements.due.all(now) as EndpointRow[]).map(toEndpoint);
  }

  update(id: number, patch: { url: string; description: string; active: boolean }, now: string): void {
    this.statements.update.run({ id, ...patch, active: patch.active ? 1 : 0, now });
  }

  remove(id: number): boolean {
    return this.statements.remove.run(id).changes > 0;
  }

  next(endpoint: Pick<Endpoint, 'id' | 'postId'>): PendingChange | undefined {
    const row = this.statements.next.get({ id: endpoint.id, postId: endpoint.postId }) as
      | { post_id: number; slug: string; deleted: number; seq: number; type: string; payload: string; created_at: string; generation: number }
      | undefined;
    if (!row) return undefined;
    return { endpointId: endpoint.id, postId: row.post_id, slug: row.slug, postDeleted: row.deleted === 1, seq: row.seq, type: row.type, json: row.payload, createdAt: row.created_at, generation: row.generation };
  }

  /** The receiver acknowledged the change (or it was skipped): the cursor moves past it, the endpoint is well. */
  delivered(change: PendingChange, log: { messageId: string; responseCode: number } | undefined, now: string): void {
    this.db.transaction(() => {
      this.statements.advance.run({ id: change.endpointId, postId: change.postId, seq: change.seq, generation: change.generation });
      this.statements.healthy.run(change.endpointId);
      if (log) {
        this.statements.logAttempt.run({ id: change.endpointId, postId: change.postId, seq: change.seq, messageId: log.messageId, type: change.type, status: 'delivered', responseCode: log.responseCode, lastError: null, nextAttemptAt: null, now });
        this.statements.prune.run({ id: change.endpointId });
      }
    })();
  }

  /** The attempt failed: the endpoint waits until `retryAt`; returns its consecutive failures. */
  failed(change: PendingChange, log: { messageId: string; responseCode: number | null; error: string }, retryAt: string, now: string): number {
    return this.db.transaction(() => {
      const { failures } = this.statements.failing.get({ id: change.endpointId, retryAt }) as { failures: number };
      this.statements.logAttempt.run({ id: change.endpointId, postId: change.postId, seq: change.seq, messageId: log.messageId, type: change.type, status: 'retrying', responseCode: log.responseCode, lastError: log.error, nextAttemptAt: retryAt, now });
      this.statements.prune.run({ id: change.endpointId });
      return failures;
    })();
  }

  /** Replay: the post's changes from `fromSeq` on go out again, as new messages; the endpoint is tried at once. */
  rewind(endpointId: number, postId: number, fromSeq: number): void {
    this.db.transaction(() => {
      this.statements.rewind.run({ id: endpointId, postId, seq: fromSeq - 1 });
      this.statements.healthy.run(endpointId);
    })();
  }

  pending(endpoint: Pick<Endpoint, 'id' | 'postId'>): number {
    return (this.statements.pending.get({ id: endpoint.id, postId: endpoint.postId }) as { pending: number }).pending;
  }

  deliveries(endpointId: number, limit: number): Delivery[] {
    const rows = this.statements.deliveries.all(endpointId, limit) as {
      id: number; post_id: number; slug: string; seq: number; message_id: string; type: string; status: Delivery['status'];
      attempts: number; response_code: number | null; last_error: string | null; next_attempt_at: string | null; created_at: string; updated_at: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      post: { id: row.post_id, slug: row.slug },
      seq: row.seq,
      type: row.type,
      messageId: row.message_id,
      status: row.status,
      attempts: row.attempts,
      responseCode: row.response_code,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  private toView(row: EndpointRow): Webhook {
    const post = row.post_id === null ? null : ((this.statements.post.get(row.post_id) as Webhook['post']) ?? null);
    return {
      id: row.id,
      url: row.url,
      post,
      description: row.description,
      active: row.active === 1,
      failures: row.failures,
      retryAt: row.retry_at,
      pending: this.pending({ id: row.id, postId: row.post_id }),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function toEndpoint(row: EndpointRow): Endpoint {
  return { id: row.id, url: row.url, postId: row.post_id, secret: row.secret, active: row.active === 1, failures: row.failures, retryAt: row.retry_at };
}
