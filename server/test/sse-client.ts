import type { Change } from '../../contract/index.js';

/**
 * A small Server-Sent Events client for tests, written from the HTML standard's parsing rules
 * (lines, `field: value`, blank line dispatches, `:` comments), independent of the server's
 * framing code. It keeps every event and comment, and the last id, as EventSource does.
 */
export type SseEvent = { id: string | undefined; event: string; data: string };

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  lastEventId: string | undefined;
  status = 0;
  headers: Headers | undefined;
  ended = false;
  private readonly abort = new AbortController();
  private ready!: Promise<void>;

  private constructor(private readonly url: string, private readonly requestHeaders: Record<string, string>) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient(url, headers);
    client.ready = client.run();
    await client.ready;
    return client;
  }

  /** The changes received, parsed, in arrival order. */
  get changes(): Change[] {
    return this.events.map((event) => JSON.parse(event.data) as Change);
  }

  get seqs(): number[] {
    return this.events.map((event) => Number(event.id));
  }

  close(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const response = await fetch(this.url, { headers: { accept: 'text/event-stream', ...this.requestHeaders }, signal: this.abort.signal });
    this.status = response.status;
    this.headers = response.headers;
    if (!response.ok || !response.body) {
      this.ended = true;
      this.body = await response.text();
      return;
    }
    void this.read(response.body.getReader());
  }

  body = '';

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let data: string[] = [];
    let event = '';
    let id: string | undefined;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            if (data.length > 0) {
              if (id !== undefined) this.lastEventId = id;
              this.events.push({ id: this.lastEventId, event: event || 'message', data: data.join('\n') });
            }
            data = [];
            event = '';
            id = undefined;
            continue;
          }
          if (line.startsWith(':')) {
            this.comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') data.push(fieldValue);
          else if (field === 'event') event = fieldValue;
          else if (field === 'id') id = fieldValue;
        }
      }
    } catch {
      // Aborted by close(), or the server went away.
    }
    this.ended = true;
  }
}
