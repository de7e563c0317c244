// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every hashed asset in
// dist/public, once per build, so the server sends the smallest bytes without compressing per
// request (@fastify/static `preCompressed`). Files that do not shrink are left without copies.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = new URL('../dist/public/', import.meta.url);
const COMPRESSIBLE = /\.(js|css|svg|json|webmanifest)$/;
let plain = 0;
let brotli = 0;
for (const name of readdirSync(dir)) {
  if (!COMPRESSIBLE.test(name) || name === 'manifest.json') continue;
  const contents = readFileSync(new URL(name, dir));
  const br = brotliCompressSync(contents, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: contents.length } });
  const gz = gzipSync(contents, { level: 9 });
  if (br.length < contents.length) writeFileSync(new URL(`${name}.br`, dir), br);
  if (gz.length < contents.length) writeFileSync(new URL(`${name}.gz`, dir), gz);
  plain += contents.length;
  brotli += Math.min(br.length, contents.length);
}
console.log(`precompressed assets: ${plain} B plain, ${brotli} B brotli`);
