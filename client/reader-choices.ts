/**
 * What reactions and polls (issue 19) share about the reader: an anonymous browser id, made once
 * and kept in localStorage; the choices this browser made on a post (which reaction, which vote),
 * remembered so a reload shows them; and a hidden status line that tells a screen reader how a
 * click went. Storage may be blocked (privacy modes): then nothing is remembered, and the server
 * still counts one per reader id.
 */

const READER_KEY = 'liveline:reader';

/** This browser's anonymous id (128 random bits), made once; a fresh one per page without storage. */
export function readerId(): string {
  try {
    const known = localStorage.getItem(READER_KEY);
    if (known && /^[A-Za-z0-9_-]{16,64}$/.test(known)) return known;
  } catch {
    // Storage blocked: this page's choices count, a reload may count again (the rate limit bounds it).
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  try {
    localStorage.setItem(READER_KEY, id);
  } catch {
    // see above
  }
  return id;
}

/** Choices by id (entry or poll) under one localStorage key, kept valid by `isValue`. */
export class RememberedChoices<V> {
  readonly choices: Map<number, V>;

  constructor(
    private readonly key: string,
    isValue: (value: unknown) => value is V,
  ) {
    this.choices = new Map(load(key, isValue));
  }

  get(id: number): V | undefined {
    return this.choices.get(id);
  }

  set(id: number, value: V | null): void {
    if (value === null) this.choices.delete(id);
    else this.choices.set(id, value);
    try {
      localStorage.setItem(this.key, JSON.stringify([...this.choices]));
    } catch {
      // Not remembered across reloads; the server still keeps one per reader.
    }
  }
}

function load<V>(key: string, isValue: (value: unknown) => value is V): [number, V][] {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(stored) ? stored.filter((pair): pair is [number, V] => Array.isArray(pair) && typeof pair[0] === 'number' && isValue(pair[1])) : [];
  } catch {
    return [];
  }
}

/** A visually hidden `role="status"` line, placed before `list` (after it, it made an embed's document taller than its frame). */
export function hiddenStatus(list: HTMLElement, className: string): HTMLElement {
  const status = document.createElement('p');
  status.className = `visually-hidden ${className}`;
  status.setAttribute('role', 'status');
  list.before(status);
  return status;
}

/**
 * A post's current counts (`/api/posts/:slug/reactions`, `/polls`), asked for at most once per
 * 1.5 s: the page's first load and the socket's first connect come together. Undefined when
 * skipped, refused or offline (the counts then come with the next connection).
 */
export function countsLoader<T>(url: () => string): () => Promise<T | undefined> {
  let loadedAt = -Infinity;
  return async () => {
    if (performance.now() - loadedAt < 1500) return undefined;
    loadedAt = performance.now();
    try {
      const response = await fetch(url(), { headers: { accept: 'application/json' } });
      return response.ok ? ((await response.json()) as T) : undefined;
    } catch {
      return undefined;
    }
  };
}
