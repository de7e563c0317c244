import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../contract/index.js';
import { normalizeTag } from '../../contract/tags.js';
import { showsUpdated } from '../../contract/byline.js';
import { bylineRefusal, claimRefusal, correctionRefusal } from './entry-meta.js';

/** The pure rules of issue 17: how tags are written, who may set what, when "Updated" shows. */
const as = (role: Role, id = 7): Actor => ({ id, name: role, role });

describe('normalizeTag', () => {
  it.each([
    ['#Keynote', 'keynote'],
    ['  Hardware News ', 'hardware-news'],
    ['ＫＥＹＮＯＴＥ', 'keynote'],
    ['Café', 'café'],
    ['a--b', 'a-b'],
    ['<script>', 'script'],
    ['###', ''],
    ['-x-', 'x'],
  ])('%j → %j', (raw, tag) => expect(normalizeTag(raw)).toBe(tag));

  it('caps a tag at 32 characters', () => expect(normalizeTag('x'.repeat(40))).toHaveLength(32));
});

describe('who may set what', () => {
  it('corrections are editors’', () => {
    expect(correctionRefusal(as('author'))).toMatch(/Only editors/);
    expect(correctionRefusal(as('editor'))).toBeUndefined();
    expect(correctionRefusal(as('admin'))).toBeUndefined();
  });

  it('anyone writing says "unconfirmed"; only editors confirm, deny or take back what an editor decided', () => {
    expect(claimRefusal(as('author'), null, 'unconfirmed')).toBeUndefined();
    expect(claimRefusal(as('author'), 'unconfirmed', null)).toBeUndefined();
    expect(claimRefusal(as('author'), 'unconfirmed', 'confirmed')).toBeDefined();
    expect(claimRefusal(as('author'), 'denied', 'unconfirmed')).toBeDefined();
    expect(claimRefusal(as('author'), 'confirmed', 'confirmed')).toBeUndefined();
    expect(claimRefusal(as('editor'), 'confirmed', null)).toBeUndefined();
  });

  it('an author stays the byline; editors name anyone', () => {
    expect(bylineRefusal(as('author', 7), [7, 8])).toBeUndefined();
    expect(bylineRefusal(as('author', 7), [8, 7])).toBeDefined();
    expect(bylineRefusal(as('editor', 7), [8])).toBeUndefined();
  });
});

describe('showsUpdated', () => {
  const entry = { author: null, edited: true, updatedAt: '2026-03-14T10:45:00.000Z' };
  it('an ordinary edit says "Updated"', () => expect(showsUpdated(entry)).toBe(true));
  it('an edit that was a correction says "Corrected" instead', () =>
    expect(showsUpdated({ ...entry, correction: { note: 'x', at: entry.updatedAt } })).toBe(false));
  it('a later edit after a correction says "Updated" again', () =>
    expect(showsUpdated({ ...entry, correction: { note: 'x', at: '2026-03-14T10:00:00.000Z' } })).toBe(true));
  it('an entry never edited says nothing', () => expect(showsUpdated({ ...entry, edited: false })).toBe(false));
});
