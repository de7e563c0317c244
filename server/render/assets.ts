import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Built client assets: dist/public holds hashed files and manifest.json (logical name → file name). */
export const CLIENT_DIST = fileURLToPath(
  new URL(import.meta.url.includes('/dist/server/') ? '../../public/' : '../../dist/public/', import.meta.url),
);

/** `version` names the build: pages that reference assets must change their ETag when it does. */
export type Assets = { url(name: string): string | undefined; version: string };

export function loadAssets(dir: string = CLIENT_DIST): Assets {
  const manifestPath = `${dir}/manifest.json`;
  const manifest: Record<string, string> = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>)
    : {};
  const version = createHash('sha256').update(JSON.stringify(manifest)).digest('base64url').slice(0, 8);
  return { url: (name) => (manifest[name] ? `/assets/${manifest[name]}` : undefined), version };
}
