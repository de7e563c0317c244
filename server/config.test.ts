import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, loadConfig } from './config.js';

describe('config', () => {
  it('has defaults for the embedded mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ logLevel: 'info', http: { port: 3000, host: '127.0.0.1', publicUrl: undefined } });
    expect(config.storage.databasePath).toMatch(/data\/liveline\.db$/);
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ EMBED_ORIGINS: 'https://ok.example, not a url' })).toThrow(/EMBED_ORIGINS/);
  });

  it('reads embed origins as a list of origins', () => {
    expect(loadConfig({ EMBED_ORIGINS: 'https://news.example.com/path, http://localhost:8080' }).http.embedOrigins).toEqual([
      'https://news.example.com',
      'http://localhost:8080',
    ]);
  });

  it('trims a trailing slash from PUBLIC_URL and treats empty values as unset', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://live.example.com/', PORT: '' }).http).toMatchObject({ publicUrl: 'https://live.example.com', port: 3000 });
  });

  it('parses the hardening settings and names bad ones', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://a.example/, http://b.example:8080', TRUST_PROXY: 'true', LOAD_SHED_WRITE_DELAY_MS: '0' });
    expect(config.socket.allowedOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(config.http.trustProxy).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,192.0.2.1' }).http.trustProxy).toEqual({ addresses: ['10.0.0.0/8', '192.0.2.1'] });
    expect(loadConfig({}).http.trustProxy).toEqual({ hops: 0 });
    expect(config.http.loadShedding).toEqual({ readDelayMs: 1000, writeDelayMs: 0 });
    expect(loadConfig({}).http.rateLimit.writesPerMinute).toBe(120);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ RATE_LIMIT_WRITES_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_WRITES_PER_MINUTE/);
  });
});

describe('language config', () => {
  it('defaults to English and writes a BCP 47 tag canonically', () => {
    expect(loadConfig({}).site.defaultLanguage).toBe('en');
    expect(loadConfig({ DEFAULT_LANGUAGE: 'DE-at' }).site.defaultLanguage).toBe('de-AT');
    expect(loadConfig({ DEFAULT_LANGUAGE: 'ar' }).site.defaultLanguage).toBe('ar');
  });

  it('refuses what is not a language tag, naming the variable', () => {
    for (const bad of ['english', 'en_US', 'de--AT', 'x'.repeat(40), '日本語']) expect(() => loadConfig({ DEFAULT_LANGUAGE: bad }), bad).toThrow(/DEFAULT_LANGUAGE/);
  });
});

describe('scale-out config', () => {
  it('defaults to a primary without Redis', () => {
    expect(loadConfig({}).scaleOut).toEqual({ role: 'primary', redisUrl: undefined, primaryUrl: undefined });
  });

  it('refuses a fan-out node without REDIS_URL or PRIMARY_URL', () => {
    expect(() => loadConfig({ ROLE: 'fanout', PRIMARY_URL: 'http://primary:3000' })).toThrow(/REDIS_URL: is required when ROLE=fanout/);
    expect(() => loadConfig({ ROLE: 'fanout', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/PRIMARY_URL: is required/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(loadConfig({ ROLE: 'fanout', REDIS_URL: 'redis://r:6379', PRIMARY_URL: 'http://p:3000/' }).scaleOut).toMatchObject({ role: 'fanout', primaryUrl: 'http://p:3000' });
  });
});

/** The rows of README's "## Configuration" table: variable name and its Default cell. */
function readmeTable(): Map<string, string> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error('README.md has no "## Configuration" section');
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\|\s*`([A-Z0-9_]+)`\s*\|([^|]*)\|/.exec(line);
    if (cells) rows.set(cells[1]!, cells[2]!.trim());
  }
  return rows;
}

describe('the variables the schema reads', () => {
  it('are each described', () => {
    for (const variable of CONFIG_VARIABLES) expect(variable.description, variable.name).not.toBe('');
    expect(CONFIG_VARIABLES.find((variable) => variable.name === 'BACKUP_INTERVAL')?.default).toBe('1h');
  });

  it("are exactly the ones in README's Configuration table, with the same defaults", () => {
    const table = readmeTable();
    expect([...table.keys()].sort()).toEqual(CONFIG_VARIABLES.map((variable) => variable.name).sort());
    for (const variable of CONFIG_VARIABLES) {
      if (variable.default !== undefined) expect(table.get(variable.name), variable.name).toBe(`\`${variable.default}\``);
    }
  });
});
