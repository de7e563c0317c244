import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('backup configuration', () => {
  it('is off without BACKUP_DIR and reads durations with units', () => {
    expect(loadConfig({}).storage.backup).toBeUndefined();
    expect(loadConfig({ BACKUP_DIR: '/var/backups/liveline' }).storage.backup).toEqual({ dir: '/var/backups/liveline', intervalMs: 3_600_000, keep: 7 });
    expect(loadConfig({ BACKUP_DIR: '/b', BACKUP_INTERVAL: '30m', BACKUP_KEEP: '3' }).storage.backup).toMatchObject({ intervalMs: 1_800_000, keep: 3 });
    expect(loadConfig({ BACKUP_DIR: '/b', BACKUP_INTERVAL: '90' }).storage.backup?.intervalMs).toBe(90_000);
  });

  it('names a bad backup variable', () => {
    expect(() => loadConfig({ BACKUP_INTERVAL: 'hourly' })).toThrow(/BACKUP_INTERVAL/);
    expect(() => loadConfig({ BACKUP_INTERVAL: '0' })).toThrow(/BACKUP_INTERVAL/);
    expect(() => loadConfig({ BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP/);
  });
});
