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
  });

  it('trims a trailing slash from PUBLIC_URL and treats empty values as unset', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://live.example.com/', PORT: '' })).toMatchObject({ publicUrl: 'https://live.example.com', port: 3000 });
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
