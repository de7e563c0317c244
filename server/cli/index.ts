#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, ensureDatabaseDirectory, loadConfig } from '../config.js';
import { ARCHIVE_USAGE, ArchiveUsageError, runArchiveCommand } from './archive.js';
import { openDatabase } from '../db/connection.js';
import { migrate, MigrationError } from '../db/migrate.js';
import { startServer } from '../main.js';
import { PASSWORD_MIN_LENGTH } from '../../contract/index.js';
import { AppError } from '../domain/errors.js';
import { createStores } from '../services/context.js';
import { UserService } from '../services/users.js';
import { TokenStore } from '../store/tokens.js';
import { ROLES } from '../../contract/index.js';

const USAGE = `Usage: liveline <command>

Commands:
  serve                                         start the server (HTTP, pages, Socket.IO)
  migrate                                       apply pending database migrations
  token create --name NAME --role ROLE          create an API token (role: ${ROLES.join('|')}); printed once
  token list                                    list tokens (never their secrets)
  token revoke ID                               revoke a token at once
  user add --email E --name N --role ROLE [--password-stdin]
                                                create a login account; the password is read from
                                                a prompt, or from standard input with --password-stdin
${ARCHIVE_USAGE}

Configuration comes from environment variables (PORT, HOST, DATABASE_PATH, PUBLIC_URL, LOG_LEVEL,
EMBED_ORIGINS, TRUST_PROXY, UPLOAD_DIR, BACKUP_*; REDIS_URL, ROLE and PRIMARY_URL to scale out):
see the README.`;

class UsageError extends Error {}

const tokenCreateArgs = z.object({
  name: z.string({ error: '--name is required' }).trim().min(1, '--name must not be empty').max(100),
  role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }),
});

function openMigrated() {
  const config = loadConfig();
  ensureDatabaseDirectory(config.storage.databasePath);
  const db = openDatabase(config.storage.databasePath);
  const { applied } = migrate(db);
  return { db, applied };
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await startServer(loadConfig());
      return;
    case 'migrate': {
      const { db, applied } = openMigrated();
      db.close();
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'The database is up to date.');
      return;
    }
    case 'token':
      return runToken(rest);
    case 'user':
      return runUser(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      if (await runArchiveCommand(command, rest)) return;
      throw new UsageError(`Unknown command "${command}".`);
  }
}

function runToken(argv: string[]): void {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, role: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (sub === 'create') {
    const parsed = tokenCreateArgs.safeParse(values);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
    const { db } = openMigrated();
    const { token, id } = new TokenStore(db).create(parsed.data.name, parsed.data.role, new Date().toISOString());
    db.close();
    console.error(`Created ${parsed.data.role} token #${id} "${parsed.data.name}". It is shown only once:`);
    console.log(token);
    return;
  }
  if (sub === 'list') {
    const { db } = openMigrated();
    const tokens = new TokenStore(db).list();
    db.close();
    for (const token of tokens) {
      console.log(`#${token.id}\t${token.role}\t${token.name}\tcreated ${token.createdAt}\t${token.revokedAt ? `revoked ${token.revokedAt}` : 'active'}`);
    }
    return;
  }
  if (sub === 'revoke') {
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError('Usage: liveline token revoke ID');
    const { db } = openMigrated();
    const revoked = new TokenStore(db).revoke(id, new Date().toISOString());
    db.close();
    if (!revoked) throw new UsageError(`No active token #${id}.`);
    console.log(`Revoked token #${id}.`);
    return;
  }
  throw new UsageError('Usage: liveline token create --name NAME --role ROLE | token list | token revoke ID');
}

const userAddArgs = z.object({
  email: z.email({ error: '--email must be an email address' }),
  name: z.string({ error: '--name is required' }).trim().min(1, '--name must not be empty').max(100),
  role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }),
  'password-stdin': z.boolean().optional(),
});

async function runUser(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'add') throw new UsageError('Usage: liveline user add --email E --name N --role ROLE [--password-stdin]');
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  });
  const parsed = userAddArgs.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  const password = parsed.data['password-stdin'] ? await readStdin() : await promptPassword();
  if (password.length < PASSWORD_MIN_LENGTH) throw new UsageError(`The password must have at least ${PASSWORD_MIN_LENGTH} characters.`);
  const { db } = openMigrated();
  try {
    const user = await new UserService(createStores(db)).createTrusted({ email: parsed.data.email, name: parsed.data.name, role: parsed.data.role, password });
    console.log(`Created ${user.role} #${user.id} ${user.name} <${user.email}>.`);
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  } finally {
    db.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Reads a password from the terminal without echoing it. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('No terminal to prompt on; pipe the password with --password-stdin.');
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      process.stderr.write(question);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let typed = '';
      const onData = (data: Buffer) => {
        for (const char of data.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (char === '\u0003') process.exit(130);
          typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat the password: ');
  if (first !== second) throw new UsageError('The passwords do not match.');
  return first;
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ArchiveUsageError || error instanceof ConfigError || error instanceof MigrationError) {
    console.error(`liveline: ${error.message}`);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`liveline: ${error.message}\n\n${USAGE}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
