// Bundles the browser code into dist/public with content-hashed names and a manifest the server reads.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const out = new URL('../dist/public/', import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const hashed = (name, contents) => {
  const hash = createHash('sha256').update(contents).digest('base64url').slice(0, 10);
  const [base, ext] = [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.'))];
  const file = `${base}-${hash}${ext}`;
  writeFileSync(new URL(file, out), contents);
  return file;
};

const manifest = {};
const result = await build({
  // Two independent bundles: readers never download the newsroom's code.
  entryPoints: { reader: 'client/reader.ts', newsroom: 'client/newsroom/main.ts' },
  outdir: 'bundles',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  write: false,
  sourcemap: false,
  legalComments: 'none',
});
// The partner page's embed.js (client/embed-host.ts): a classic script (it reads
// document.currentScript), wrapped so it declares nothing on the partner's page; served at /embed.js.
const embed = await build({ entryPoints: { embed: 'client/embed-host.ts' }, outdir: 'bundles', bundle: true, minify: true, format: 'iife', target: ['es2018'], write: false, legalComments: 'none' });
for (const file of [...result.outputFiles, ...embed.outputFiles]) {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  manifest[name] = hashed(name, file.contents);
}
for (const css of ['styles.css', 'newsroom.css']) manifest[css] = hashed(css, readFileSync(new URL(`../client/${css}`, import.meta.url)));

// The newsroom's service worker, its own classic-script bundle (a worker script, served at
// /admin/sw.js by server/http/routes/admin/service-worker.ts). It keeps the assets every newsroom
// page loads: their hashed names are built into it, so a new build is a new worker.
const worker = await build({
  entryPoints: ['client/newsroom/sw.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  write: false,
  legalComments: 'none',
  define: { __LIVELINE_ASSETS__: JSON.stringify(['newsroom.js', 'styles.css', 'newsroom.css'].map((name) => `/assets/${manifest[name]}`)) },
});
manifest['sw.js'] = hashed('sw.js', worker.outputFiles[0].contents);
writeFileSync(new URL('manifest.json', out), JSON.stringify(manifest, null, 2) + '\n');
console.log(`client assets: ${Object.values(manifest).join(', ')}`);
