import { z } from 'zod';
import { nextPath } from './common.js';

/** People: login accounts and token-only script users, and their API tokens. */

/** A role may do everything the roles before it may. */
export const ROLES = ['contributor', 'author', 'editor', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Whoever makes a request, once authenticated. */
export const actorSchema = z.object({ id: z.number(), name: z.string(), role: roleSchema });
export type Actor = z.infer<typeof actorSchema>;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1024;
const password = z.string().min(PASSWORD_MIN_LENGTH, `Password must have at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH);

export const userSchema = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  hasPassword: z.boolean(),
});
export type User = z.infer<typeof userSchema>;
export const usersOutput = z.object({ users: z.array(userSchema) });
export type UserList = z.infer<typeof usersOutput>;

export const userInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(320),
  role: roleSchema,
  // zod's own messages, as this API has always answered (the setup form's sentences are for people).
  password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
});
export type UserInput = z.infer<typeof userInput>;
export const userPatch = z.strictObject({ role: roleSchema, disabled: z.boolean() }).partial();
export type UserPatch = z.infer<typeof userPatch>;

export const tokenSchema = z.object({
  id: z.number(),
  name: z.string(),
  role: roleSchema,
  userId: z.number(),
  userName: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Token = z.infer<typeof tokenSchema>;
export const tokensOutput = z.object({ tokens: z.array(tokenSchema) });
export type TokenList = z.infer<typeof tokensOutput>;
export const tokenInput = z.strictObject({ userId: z.number().int().positive(), name: z.string().trim().min(1).max(100) });
export type TokenInput = z.infer<typeof tokenInput>;
/** The secret is in this answer once and never again. */
export const tokenCreated = z.object({ id: z.number(), token: z.string() });
export type TokenCreated = z.infer<typeof tokenCreated>;

/** `POST /login` (form or JSON). Missing fields are empty, so the answer is "wrong", not "invalid". */
export const loginInput = z.object({
  email: z.string().trim().max(320).default(''),
  password: z.string().max(PASSWORD_MAX_LENGTH).default(''),
  next: nextPath.optional(),
});

/** `POST /setup`: the first administrator. */
export const setupInput = z.object({
  name: z.string().trim().min(1, 'Name is required').max(100),
  email: z.email('Email must be an email address').max(320),
  password,
});
export type SetupInput = z.infer<typeof setupInput>;

/** `GET /api/session`, and the JSON answer of a login or setup. */
export const sessionOutput = z.object({ user: actorSchema, csrfToken: z.string(), expiresAt: z.string().optional() });
export type SessionInfo = z.infer<typeof sessionOutput>;
