#!/usr/bin/env node
// The published CLI runs the compiled server (`npm run build`, done by `npm install`).
import('../dist/server/cli/index.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/server')) {
    console.error('liveline: the server is not built yet. Run `npm run build` (npm install does it).');
    process.exit(1);
  }
  throw err;
});
