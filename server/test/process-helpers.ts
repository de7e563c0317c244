import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Runs the built `liveline` CLI (npm test builds before vitest) as a real child process. */
export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/liveline.js');

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/server/cli/index.js'))) throw new Error('These tests run the built server: run `npm run build` first (npm test does).');
}

export function cli(databasePath: string, args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export type ServerProcess = { child: ChildProcess; url: string; logs: string[]; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

/** Starts `liveline serve` on a free port and resolves once it listens. */
export async function startServer(databasePath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        const match = /Liveline is live at (http:\/\/[^\s"]+)/.exec(line);
        if (match) resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${logs.join('\n')}`)));
  });
  return { child, url, logs, exited };
}
