/**
 * The wire contract: the zod schema of every request, response, socket event and archive row,
 * with the TypeScript types inferred from them. Server and client import the same types; nothing
 * here imports the server. Browser code imports types only (`import type`), so no zod ships to readers.
 */
export * from './common.js';
export * from './post.js';
export * from './entry.js';
export * from './draft.js';
export * from './entry-meta.js';
export * from './byline.js';
export * from './tags.js';
export * from './change.js';
export * from './socket.js';
export * from './user.js';
export * from './upload.js';
export * from './archive.js';
export * from './oembed.js';
export * from './search.js';
export * from './site.js';
export * from './webhook.js';
export * from './participation.js';
// Language tags (pure functions, no catalogue): the catalogues themselves are in contract/i18n/index.ts.
export * from './i18n/languages.js';
