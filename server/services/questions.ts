import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor, Entry, QuestionBlocklist, QuestionInput, ReaderQuestion } from '../../contract/index.js';
import { interfaceFor } from '../../contract/i18n/index.js';
import { AppError, errors } from '../domain/errors.js';
import type { QuestionStore } from '../store/questions.js';
import type { ReactionStore } from '../store/reactions.js';
import type { Stores } from './context.js';
import type { EntryService } from './entries.js';

/**
 * Questions to the desk (issue 19). A reader sends a question or comment (name optional); it
 * lands in the post's moderation queue, which only the newsroom sees, live (an event stream for
 * logged-in people, never a reader's socket room). Nothing is public until someone publishes it:
 * quoted in a new entry with the answer ("Q from Maria: …" as a blockquote), after which the
 * question itself is deleted (its text lives on in the entry). Deleting deletes.
 *
 * Spam protection without third parties: a ticket the form fetches when it opens (HMAC, this
 * process's secret) proves when the form was opened, and a question sent sooner than
 * QUESTION_MIN_SECONDS after it is refused; a honeypot field; the per-address rate limits (the
 * routes); and the editors' block list of words and addresses. Honeypot and block-list hits are
 * answered like any other question (202) but dropped, so a script learns nothing.
 *
 * Personal data: questions are kept QUESTION_RETENTION at most (`purge`, hourly), never
 * exported, never on a public surface; only their count stays, for insights.
 */

export type QuestionEvent = { type: 'question'; question: ReaderQuestion } | { type: 'removed'; id: number };
type Listener = (event: QuestionEvent) => void;

export type QuestionSettings = { minMs: number; retentionMs: number };

/** A form opened longer ago than this must fetch a new ticket. */
const TICKET_TTL_MS = 6 * 3600_000;
/** Anything that reads as a link: a scheme, www., or a name with a dot and a common ending followed by a slash or the end. */
const LINK = /(?:[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|io|ly|co|me|ru|cn|biz|xyz|top|site|online|app|dev|de|fr|uk|es|it|nl|eu)\b)/i;

export class QuestionService {
  private readonly secret = randomBytes(32);
  private readonly listeners = new Map<number, Set<Listener>>();

  constructor(
    private readonly stores: Stores,
    private readonly store: QuestionStore,
    private readonly settings: ReactionStore,
    private readonly entries: EntryService,
    private readonly options: QuestionSettings,
  ) {}

  /** A ticket for the question form of a post: when it was opened, signed. */
  ticket(postId: number, now = Date.now()): string {
    return `${now}.${postId}.${this.sign(`${now}.${postId}`)}`;
  }

  /** A reader's question: stored and shown to the desk, or (spam) dropped silently. */
  submit(postId: number, input: QuestionInput, address: string, now = Date.now()): void {
    const settings = this.settings.settings(postId);
    if (!settings.questions) throw new AppError(409, 'questions-off', 'Questions are off', 'The editors do not take questions for this liveblog.');
    this.checkTicket(postId, input.ticket, now);
    const question = cleanText(input.question, true);
    const name = input.name === undefined ? '' : cleanText(input.name, false);
    if (!question) throw errors.validation('The question is empty.', [{ field: 'body.question', message: 'must not be empty' }]);
    if (!settings.questionLinks && (LINK.test(question) || LINK.test(name))) {
      throw errors.unprocessable('links-not-allowed', 'Links are not allowed in questions to this liveblog.', { errors: [{ field: 'body.question', message: 'must not contain links' }] });
    }
    if (input.website) return; // the honeypot: filled in by a script
    if (this.blocked(`${name}\n${question}`, address)) return;
    const stored = this.store.insert({ postId, name: name || null, body: question, address, now: new Date(now).toISOString() });
    this.notify(postId, { type: 'question', question: stored.question });
  }

  queue(postId: number): { questions: ReaderQuestion[]; received: number } {
    return { questions: this.store.ofPost(postId), received: this.store.received(postId) };
  }

  /** Quotes the question in a new entry with the answer, then deletes the question. */
  async publish(actor: Actor, id: number, answer: string, keyEvent?: boolean): Promise<Entry> {
    const question = this.store.byId(id);
    if (!question) throw errors.notFound(`The question ${id}`);
    const post = this.stores.posts.byId(question.postId);
    if (!post) throw errors.notFound(`The question ${id}`);
    const ui = interfaceFor(post.language);
    const from = question.name ? ui.t('question.from', { name: question.name }) : ui.t('question.anonymous');
    const quoted = escapeMarkdown(question.question).split('\n').join('\n> ');
    const body = `> **${escapeMarkdown(from)}** ${quoted}\n\n${answer}`;
    const { entry } = await this.entries.create(actor, post.slug, { body, ...(keyEvent === undefined ? {} : { keyEvent }) });
    if (this.store.remove(id)) this.notify(question.postId, { type: 'removed', id });
    return entry;
  }

  delete(id: number): void {
    const question = this.store.byId(id);
    if (!question || !this.store.remove(id)) throw errors.notFound(`The question ${id}`);
    this.notify(question.postId, { type: 'removed', id });
  }

  /** Deletes questions older than the retention period; returns how many. */
  purge(now = Date.now()): number {
    return this.store.purgeBefore(new Date(now - this.options.retentionMs).toISOString());
  }

  blocklist(): QuestionBlocklist {
    return this.store.blocklist();
  }

  setBlocklist(list: QuestionBlocklist): QuestionBlocklist {
    this.store.setBlocklist(list);
    return this.store.blocklist();
  }

  /** The desk's live queue: called with each new or removed question of the post. */
  listen(postId: number, listener: Listener): () => void {
    let set = this.listeners.get(postId);
    if (!set) this.listeners.set(postId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(postId);
    };
  }

  private notify(postId: number, event: QuestionEvent): void {
    for (const listener of this.listeners.get(postId) ?? []) listener(event);
  }

  private blocked(text: string, address: string): boolean {
    const { words, addresses } = this.store.blocklist();
    if (addresses.includes(address)) return true;
    const lower = text.toLowerCase();
    return words.some((word) => lower.includes(word));
  }

  private checkTicket(postId: number, ticket: string, now: number): void {
    const [issued, post, signature] = ticket.split('.');
    const valid = issued !== undefined && post !== undefined && signature !== undefined && Number(post) === postId && safeEqual(signature, this.sign(`${issued}.${post}`));
    const age = now - Number(issued);
    if (!valid || age > TICKET_TTL_MS || age < -60_000) {
      throw errors.unprocessable('ticket-expired', 'The question form is out of date (opened too long ago, or before the server restarted); it fetches a new one, then send again.');
    }
    if (age < this.options.minMs) {
      throw errors.unprocessable('too-fast', `A question is accepted ${Math.ceil(this.options.minMs / 1000)} s after its form was opened at the earliest; send it again in a moment.`, { retryAfterMs: this.options.minMs - age });
    }
  }

  private sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Plain text only: no control or invisible formatting characters (bidi overrides included), no
 * runs of blank lines; a name is one line. What is shown to the desk is text (never HTML), and a
 * published question is escaped into Markdown, then sanitized with the entry.
 */
function cleanText(text: string, multiline: boolean): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[ \t]+/g, ' ');
  return (multiline ? cleaned.replace(/\n{3,}/g, '\n\n') : cleaned.replace(/\n+/g, ' ')).trim();
}

/** Every character Markdown could read as syntax, escaped: the reader's words stay words. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>~&])/g, '\\$1');
}
