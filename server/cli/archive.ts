import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ArchiveFormatError } from '../archive/errors.js';
import { ArchiveParser, WxrParser } from '../archive/parse-pool.js';
import { isWxr } from '../archive/wxr/parse.js';
import { replay, ReplayError } from '../archive/replay.js';
import { ensureDatabaseDirectory, loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { AppError } from '../domain/errors.js';
import { imageCatalog } from '../services/image-catalog.js';
import { MarkdownRenderer } from '../render/markdown.js';
import { ArchiveService } from '../services/archives.js';
import { backupDatabase, BackupError, restoreDatabase } from '../db/backup.js';
import { createStores } from '../services/context.js';
import { nullPublisher } from '../services/publisher.js';
import { WordPressImportService, type WxrSummary } from '../services/wordpress-import.js';

/** `liveline import | export | replay | backup | restore`: archives in and out. */

export const ARCHIVE_USAGE = `  import FILE_OR_DIR...                          import Jekyll/WordPress Markdown files, JSON archives or
                                                WordPress exports (WXR .xml, with liveblog-plugin entries)
  export SLUG [--format jekyll|json|html] [--output FILE]
                                                write a post as Markdown (default), JSON or a static page
  replay FILE [--speed 20] [--url URL] [--token T] [--slug S] [--max-wait SECONDS]
                                                post a file's entries to a live post at their pace, sped up
  backup PATH                                   consistent online backup of the database, even while serving
  restore PATH                                  replace the database with a backup (refused while it is in use)`;

export class ArchiveUsageError extends Error {}

const ARCHIVE_FILE = /\.(md|markdown|json|xml)$/i;

type Services = { archives: ArchiveService; wordpress: WordPressImportService };

async function withServices<T>(use: (services: Services) => Promise<T> | T): Promise<T> {
  const config = loadConfig();
  ensureDatabaseDirectory(config.storage.databasePath);
  const db = openDatabase(config.storage.databasePath);
  migrate(db);
  const stores = createStores(db, { defaultLanguage: config.site.defaultLanguage });
  const renderer = new MarkdownRenderer({ images: (body) => imageCatalog(stores.uploads, body) });
  const importParser = new ArchiveParser();
  const wxrParser = new WxrParser();
  try {
    const deps = { stores, publisher: nullPublisher, renderer, importParser };
    const archives = new ArchiveService(deps);
    return await use({ archives, wordpress: new WordPressImportService(deps, archives, wxrParser) });
  } finally {
    await Promise.all([renderer.close(), importParser.close(), wxrParser.close()]);
    db.close();
  }
}

async function withService<T>(use: (service: ArchiveService) => Promise<T> | T): Promise<T> {
  return withServices(({ archives }) => use(archives));
}

/** Files of the arguments: files as given, directories walked for .md, .markdown and .json, in name order. */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new ArchiveUsageError(`No such file or directory: ${path}`);
    if (statSync(path).isDirectory()) {
      const names = readdirSync(path).sort();
      out.push(...collectFiles(names.map((name) => join(path, name)).filter((child) => statSync(child).isDirectory() || ARCHIVE_FILE.test(child))));
    } else {
      out.push(path);
    }
  }
  return out;
}

async function runImport(paths: string[]): Promise<void> {
  if (paths.length === 0) throw new ArchiveUsageError('Usage: liveline import FILE_OR_DIR...');
  const files = collectFiles(paths);
  let failed = 0;
  /** WordPress exports that went in with some items left out for the file's faults. */
  let partial = 0;
  await withServices(async ({ archives, wordpress }) => {
    for (const file of files) {
      try {
        const text = readFileSync(file, 'utf8');
        if (isWxr(text)) {
          const summary = await wordpress.importWxr(file, text, null);
          for (const result of summary.results) console.log(`${file} → ${result.slug} (${result.action}, ${result.entries} entries)`);
          console.log(formatWxrSummary(summary));
          for (const skip of summary.skipped) if (skip.error) console.error(`${file}:${skip.line}: ${skip.what}: ${skip.reason} (skipped)`);
          if (summary.skipped.some((skip) => skip.error)) partial += 1;
          continue;
        }
        if (/\.xml$/i.test(file)) throw new ArchiveFormatError(file, 1, 'not a WordPress export (WXR): an .xml file must be an RSS document in the wordpress.org/export namespace');
        const result = await archives.importFile(file, text, null);
        console.log(`${file} → ${result.slug} (${result.action}, ${result.entries} entries)`);
      } catch (error) {
        // A bad file, or one that clashes with a post it did not create: report it, import the rest.
        if (error instanceof ArchiveFormatError) console.error(`${error.location}: ${error.message} (skipped)`);
        else if (error instanceof AppError && error.status === 409) console.error(`${error.message} (skipped)`);
        else throw error;
        failed += 1;
      }
    }
  });
  console.error(`Imported ${files.length - failed} of ${files.length} files${failed ? `; ${failed} skipped` : ''}${partial ? `; ${partial} with broken items left out` : ''}.`);
  if (failed || partial) process.exitCode = 1;
}

/**
 * The table a WordPress import ends with: what went in, and what was left out and why (reasons
 * counted; the items left out because of a fault of the file are also printed with file:line).
 */
export function formatWxrSummary(summary: WxrSummary): string {
  const { posts, entries, users } = summary;
  const row = (what: string, count: number, detail = '') => `  ${what.padEnd(10)}${String(count).padStart(6)}${detail ? `  ${detail}` : ''}`;
  const reasons = new Map<string, number>();
  for (const skip of summary.skipped) reasons.set(skip.reason, (reasons.get(skip.reason) ?? 0) + 1);
  return [
    `${summary.file}: WordPress export of ${summary.site}`,
    row('posts', posts.created + posts.updated + posts.unchanged, `${posts.created} created, ${posts.updated} updated, ${posts.unchanged} unchanged`),
    row('entries', entries.visible + entries.deleted, `${entries.visible} published, ${entries.deleted} deleted in WordPress (kept for the newsroom, never shown)`),
    row('revisions', summary.revisions, 'written by this import'),
    row('users', users.created + users.matched, `${users.created} created (cannot log in), ${users.matched} matched to existing accounts`),
    row('skipped', summary.skipped.length),
    ...[...reasons].sort((a, b) => b[1] - a[1]).map(([reason, count]) => `  ${String(count).padStart(16)}  ${reason}`),
  ].join('\n');
}

const exportArgs = z.object({ format: z.enum(['jekyll', 'json', 'html'], { error: '--format must be jekyll, json or html' }).default('jekyll'), output: z.string().optional() });

async function runExport(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { format: { type: 'string' }, output: { type: 'string', short: 'o' } }, allowPositionals: true });
  const parsed = exportArgs.safeParse(values);
  if (!parsed.success) throw new ArchiveUsageError(parsed.error.issues[0]!.message);
  const [slug] = positionals;
  if (!slug || positionals.length > 1) throw new ArchiveUsageError('Usage: liveline export SLUG [--format jekyll|json|html] [--output FILE]');
  const { format, output } = parsed.data;
  const text = await withService((service) => {
    // The operator's export, on the machine itself: a draft post (issue 17) too.
    if (format === 'json') return `${JSON.stringify(service.exportJson(slug, 'newsroom'), null, 2)}\n`;
    return format === 'html' ? service.exportHtml(slug, 'newsroom') : service.exportJekyll(slug, 'newsroom');
  });
  if (output) {
    writeFileSync(output, text);
    console.error(`Wrote ${output}.`);
  } else {
    process.stdout.write(text);
  }
}

const replayArgs = z.object({
  speed: z.coerce.number({ error: '--speed must be a number' }).positive('--speed must be positive').default(20),
  url: z.url({ error: '--url must be a URL such as http://127.0.0.1:3000' }).optional(),
  token: z.string().min(1).optional(),
  slug: z.string().optional(),
  'max-wait': z.coerce.number().positive().optional(),
});

async function runReplay(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { speed: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, slug: { type: 'string' }, 'max-wait': { type: 'string' } },
    allowPositionals: true,
  });
  const parsed = replayArgs.safeParse(values);
  if (!parsed.success) throw new ArchiveUsageError(parsed.error.issues[0]!.message);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new ArchiveUsageError('Usage: liveline replay FILE [--speed 20] [--url URL] [--token T]');
  const token = parsed.data.token ?? process.env.LIVELINE_TOKEN;
  if (!token) throw new ArchiveUsageError('replay needs a token: --token T or LIVELINE_TOKEN (create one with `liveline token create`)');
  const config = loadConfig();
  const url = parsed.data.url ?? `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${config.http.port}`;
  const maxWait = parsed.data['max-wait'];
  const result = await replay({
    file,
    text: readFileSync(file, 'utf8'),
    url,
    token,
    speed: parsed.data.speed,
    slug: parsed.data.slug,
    maxWaitMs: maxWait === undefined ? undefined : maxWait * 1000,
    log: (line) => console.error(line),
  });
  console.log(`${url.replace(/\/+$/, '')}/posts/${result.slug}: ${result.posted} entries posted, ${result.alreadyPosted} already there`);
}

async function runBackup(argv: string[]): Promise<void> {
  const [target] = argv;
  if (!target || argv.length > 1) throw new ArchiveUsageError('Usage: liveline backup PATH');
  const config = loadConfig();
  if (!existsSync(config.storage.databasePath)) throw new BackupError(`No database at ${config.storage.databasePath}.`);
  const db = openDatabase(config.storage.databasePath);
  try {
    const result = await backupDatabase(db, resolve(target));
    console.log(`Backed up ${config.storage.databasePath} to ${result.path} (${result.pages} pages).`);
  } finally {
    db.close();
  }
}

function runRestore(argv: string[]): void {
  const [source] = argv;
  if (!source || argv.length > 1) throw new ArchiveUsageError('Usage: liveline restore PATH');
  const config = loadConfig();
  const result = restoreDatabase(resolve(source), config.storage.databasePath);
  console.log(`Restored ${result.restored} from ${source}.${result.previous ? ` The previous database is kept as ${result.previous}.` : ''}`);
}

/** Runs an archive command; returns false for a command that is not one of these. */
export async function runArchiveCommand(command: string | undefined, argv: string[]): Promise<boolean> {
  const commands: Record<string, (args: string[]) => Promise<void> | void> = {
    import: runImport,
    export: runExport,
    replay: runReplay,
    backup: runBackup,
    restore: runRestore,
  };
  const run = command === undefined ? undefined : commands[command];
  if (!run) return false;
  try {
    await run(argv);
  } catch (error) {
    // Expected failures get one line; the index prints usage for ArchiveUsageError.
    if (error instanceof ArchiveFormatError) throw new ArchiveUsageError(`${error.location}: ${error.message}`);
    if (error instanceof BackupError || error instanceof ReplayError || (error instanceof AppError && error.status === 404)) {
      console.error(`liveline: ${error.message}`);
      process.exitCode = 1;
      return true;
    }
    throw error;
  }
  return true;
}
