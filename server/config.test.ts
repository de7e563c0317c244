import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('config', () => {
  it('has defaults for the embedded mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', publicUrl: undefined });
    expect(config.databasePath).toMatch(/data\/liveline\.db$/);
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ EMBED_ORIGINS: 'https://ok.example, not a url' })).toThrow(/EMBED_ORIGINS/);
  });

  it('reads embed origins as a list of origins', () => {
    expect(loadConfig({ EMBED_ORIGINS: 'https://news.example.com/path, http://localhost:8080' }).embedOrigins).toEqual([
      'https://news.example.com',
      'http://localhost:8080',
    ]);
  });

  it('trims a trailing slash from PUBLIC_URL and treats empty values as unset', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://live.example.com/', PORT: '' })).toMatchObject({ publicUrl: 'https://live.example.com', port: 3000 });
  });

  it('parses the hardening settings and names bad ones', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://a.example/, http://b.example:8080', TRUST_PROXY: 'true', LOAD_SHED_WRITE_DELAY_MS: '0' });
    expect(config.allowedOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(config.trustProxy).toBe(true);
    expect(config.loadShedding).toEqual({ readDelayMs: 1000, writeDelayMs: 0 });
    expect(loadConfig({}).rateLimit.writesPerMinute).toBe(120);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ RATE_LIMIT_WRITES_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_WRITES_PER_MINUTE/);
  });
});

describe('scale-out config', () => {
  it('defaults to a primary without Redis', () => {
    expect(loadConfig({})).toMatchObject({ role: 'primary', redisUrl: undefined, primaryUrl: undefined });
  });

  it('refuses a fan-out node without REDIS_URL or PRIMARY_URL', () => {
    expect(() => loadConfig({ ROLE: 'fanout', PRIMARY_URL: 'http://primary:3000' })).toThrow(/REDIS_URL: is required when ROLE=fanout/);
    expect(() => loadConfig({ ROLE: 'fanout', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/PRIMARY_URL: is required/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(loadConfig({ ROLE: 'fanout', REDIS_URL: 'redis://r:6379', PRIMARY_URL: 'http://p:3000/' })).toMatchObject({ role: 'fanout', primaryUrl: 'http://p:3000' });
  });
});
