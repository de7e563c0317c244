import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Built client assets: dist/public holds hashed files and manifest.json (logical name → file name). */
export const CLIENT_DIST = fileURLToPath(
  new URL(import.meta.url.includes('/dist/server/') ? '../../public/' : '../../dist/public/', import.meta.url),
);

export type Assets = { url(name: string): string | undefined };

export function loadAssets(dir: string = CLIENT_DIST): Assets {
  const manifestPath = `${dir}/manifest.json`;
  const manifest: Record<string, string> = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>)
    : {};
  return { url: (name) => (manifest[name] ? `/assets/${manifest[name]}` : undefined) };
}
