import { describe, expect, it } from 'vitest';
import { nodeRoom, postIdOfRoom, roomOf } from './rooms.js';

describe('room names', () => {
  it('maps a post to its room and back, and no other room to a post', () => {
    for (const postId of [1, 42, 9_007_199_254_740_991]) expect(postIdOfRoom(roomOf(postId))).toBe(postId);
    // A socket's own room (its id), a node's room, look-alikes.
    for (const room of ['Zx3k9_aBc', nodeRoom('host-12-abcd'), 'post:', 'post:1a', 'post:-1', 'posts:1', ' post:1']) expect(postIdOfRoom(room)).toBeUndefined();
  });
});
