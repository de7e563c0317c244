#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, ensureDatabaseDirectory, loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrate, MigrationError } from '../db/migrate.js';
import { ROLES } from '../domain/types.js';
import { startServer } from '../main.js';
import { TokenStore } from '../store/tokens.js';

const USAGE = `Usage: liveline <command>

Commands:
  serve                                         start the server (HTTP, pages, Socket.IO)
  migrate                                       apply pending database migrations
  token create --name NAME --role ROLE          create an API token (role: ${ROLES.join('|')}); printed once
  token list                                    list tokens (never their secrets)
  token revoke ID                               revoke a token at once

Configuration comes from environment variables (PORT, HOST, DATABASE_PATH, PUBLIC_URL, LOG_LEVEL;
REDIS_URL, ROLE and PRIMARY_URL to scale out).`;

class UsageError extends Error {}

const tokenCreateArgs = z.object({
  name: z.string({ error: '--name is required' }).trim().min(1, '--name must not be empty').max(100),
  role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }),
});

function openMigrated() {
  const config = loadConfig();
  ensureDatabaseDirectory(config.databasePath);
  const db = openDatabase(config.databasePath);
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
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
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

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof MigrationError) {
    console.error(`liveline: ${error.message}`);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`liveline: ${error.message}\n\n${USAGE}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
