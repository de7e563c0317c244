import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords.js';
import { errors } from '../domain/errors.js';
import type { TokenInfo } from '../store/tokens.js';
import type { User } from '../store/users.js';
import type { Stores } from './context.js';
import type { Actor, Role } from '../../contract/index.js';

export type NewUser = { name: string; email: string; role: Role; password: string };

/** Accounts, their sessions and their API tokens. Admin-only actions check the role here. */
export class UserService {
  constructor(private readonly stores: Stores) {}

  /** True on a fresh install with no user at all: /setup is open only then. */
  needsSetup(): boolean {
    return this.stores.users.count() === 0;
  }

  /** Creates the first admin; refuses (404, as if the page did not exist) once anyone can log in. */
  async setup(input: Omit<NewUser, 'role'>): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    const { db, users } = this.stores;
    return db.transaction(() => {
      if (users.count() > 0) throw errors.notFound('The setup page');
      const user = this.insert({ ...input, role: 'admin' }, passwordHash);
      this.stores.audit.record(user.id, 'user.setup', user.id, { email: user.email });
      return user;
    })();
  }

  async create(actor: Actor, input: NewUser): Promise<User> {
    requireAdmin(actor);
    const passwordHash = await hashPassword(input.password);
    return this.stores.db.transaction(() => {
      const user = this.insert(input, passwordHash);
      this.stores.audit.record(actor.id, 'user.created', user.id, { email: user.email, role: user.role });
      return user;
    })();
  }

  /** Used by the CLI, which runs with the operator's authority. */
  async createTrusted(input: NewUser): Promise<User> {
    const user = this.insert(input, await hashPassword(input.password));
    this.stores.audit.record(null, 'user.created', user.id, { email: user.email, role: user.role, via: 'cli' });
    return user;
  }

  /** The actor for these credentials, or undefined; takes the same time whether the email exists or not. */
  async verifyCredentials(email: string, password: string): Promise<Actor | undefined> {
    const account = this.stores.users.credentials(email);
    if (!account || !account.passwordHash || account.disabledAt) return burnPasswordCheck(password).then(() => undefined);
    if (!(await verifyPassword(password, account.passwordHash))) return undefined;
    return { id: account.id, name: account.name, role: account.role };
  }

  list(actor: Actor): User[] {
    requireAdmin(actor);
    return this.stores.users.list();
  }

  /** Changes a role or disables/enables an account. Disabling ends its sessions at once. */
  update(actor: Actor, id: number, patch: { role?: Role | undefined; disabled?: boolean | undefined }): User {
    requireAdmin(actor);
    const { db, users, sessions } = this.stores;
    return db.transaction(() => {
      const current = users.byId(id);
      if (!current) throw errors.notFound(`The user ${id}`);
      if (id === actor.id && (patch.disabled || (patch.role && patch.role !== 'admin'))) {
        throw errors.conflict('own-account', 'You cannot disable or demote your own account; ask another admin.');
      }
      let user = current;
      if (patch.role && patch.role !== current.role) {
        user = users.setRole(id, patch.role)!;
        this.stores.audit.record(actor.id, 'user.role_changed', id, { from: current.role, to: patch.role });
      }
      if (patch.disabled !== undefined && patch.disabled !== (current.disabledAt !== null)) {
        user = users.setDisabled(id, patch.disabled ? new Date().toISOString() : null)!;
        if (patch.disabled) sessions.deleteForUser(id);
        this.stores.audit.record(actor.id, patch.disabled ? 'user.disabled' : 'user.enabled', id);
      }
      return user;
    })();
  }

  listTokens(actor: Actor): TokenInfo[] {
    requireAdmin(actor);
    return this.stores.tokens.list();
  }

  createToken(actor: Actor, userId: number, name: string): { token: string; id: number } {
    requireAdmin(actor);
    if (!this.stores.users.byId(userId)) throw errors.notFound(`The user ${userId}`);
    const created = this.stores.tokens.createForUser(userId, name, new Date().toISOString());
    this.stores.audit.record(actor.id, 'token.created', created.id, { userId, name });
    return created;
  }

  revokeToken(actor: Actor, id: number): void {
    requireAdmin(actor);
    if (!this.stores.tokens.revoke(id, new Date().toISOString())) throw errors.notFound(`An active token ${id}`);
    this.stores.audit.record(actor.id, 'token.revoked', id);
  }

  private insert(input: NewUser, passwordHash: string): User {
    try {
      return this.stores.users.create({ name: input.name, email: input.email, role: input.role, passwordHash }, new Date().toISOString());
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw errors.conflict('email-taken', `An account with the email ${input.email} already exists.`);
      }
      throw error;
    }
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw errors.forbidden('Only admins manage users and tokens.');
}
