import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import graph runs one way (ARCHITECTURE.md, "Rooms of the code"):
 * contract → domain → db → store → render/auth/media → archive → services → metrics → http | realtime → app → main → cli.
 * A room may import its own files and any room below it, never one above or beside it; so
 * nothing under contract/, domain/ or store/ can reach HTTP code, and http/ and realtime/ stay
 * two separate doors onto the services. Browser code imports the contract's types only, and
 * values only from contract files that import nothing (no zod reaches a bundle).
 */
const ROOT = resolve(import.meta.dirname, '../..');

const RANK: Record<string, number> = {
  contract: 0,
  domain: 1,
  // The settings, read with domain rules (which proxies to trust).
  config: 2,
  db: 2,
  store: 3,
  auth: 4,
  render: 4,
  // Uploaded files: streaming to disk, image decoding, quotas, collection (it reads the stores).
  media: 4,
  // Pure formats: they render entries with the same templates the pages use.
  archive: 5,
  services: 6,
  metrics: 7,
  // Partners following posts: SSE streams and the webhook outbox (they read the stores; http and realtime serve them).
  syndication: 7,
  http: 8,
  realtime: 8,
  // The application's state as Fastify plugins (config, database, services…), registered by app.ts.
  plugins: 9,
  app: 10,
  fanout: 10,
  main: 11,
  cli: 12,
};

function roomOf(path: string): string {
  const parts = relative(ROOT, path).split('/');
  if (parts[0] === 'contract') return 'contract';
  const name = parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.[jt]s$/, '');
  if (!(name in RANK)) throw new Error(`${relative(ROOT, path)} is in a room the import-graph test does not know (${name}); give it a rank`);
  return name;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

type Import = { from: string; to: string; typeOnly: boolean; specifier: string };

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)].map((match) => ({
    from: file,
    to: match[2]!.startsWith('.') ? resolve(dirname(file), match[2]!) : match[2]!,
    typeOnly: Boolean(match[1]),
    specifier: match[2]!,
  }));
}

const show = (i: Import) => `${relative(ROOT, i.from)} imports ${i.specifier}`;

describe('the import graph', () => {
  it('runs one way: contract → domain → store → services → http/realtime → app → cli', () => {
    const wrong = [...sources(join(ROOT, 'contract')), ...sources(join(ROOT, 'server'))]
      .flatMap(importsOf)
      .filter((i) => i.specifier.startsWith('.'))
      .filter((i) => {
        const [a, b] = [roomOf(i.from), roomOf(i.to)];
        return a !== b && RANK[b]! >= RANK[a]!;
      })
      .map(show);
    expect(wrong).toEqual([]);
  });

  it('keeps contract/ pure: zod and its own files only', () => {
    const outside = sources(join(ROOT, 'contract'))
      .flatMap(importsOf)
      .filter((i) => (i.specifier.startsWith('.') ? !relative(ROOT, i.to).startsWith('contract/') : i.specifier !== 'zod'))
      .map(show);
    expect(outside).toEqual([]);
  });

  // Values only from contract files that import nothing at all (no zod, no catalogue): the
  // language helpers and message formatting of contract/i18n/ cost the bundles a few hundred bytes.
  it('lets browser code import the contract as types only (values from import-free files), and nothing of the server', () => {
    const importFree = (target: string) => importsOf(join(ROOT, target.replace(/\.js$/, '.ts'))).filter((i) => !i.typeOnly).length === 0;
    const wrong = sources(join(ROOT, 'client'))
      .flatMap(importsOf)
      .filter((i) => i.specifier.startsWith('.'))
      .filter((i) => {
        const target = relative(ROOT, i.to);
        if (target.startsWith('client/')) return false;
        return !(target.startsWith('contract/') && (i.typeOnly || importFree(target)));
      })
      .map(show);
    expect(wrong).toEqual([]);
  });
});
