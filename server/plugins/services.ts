import fp from 'fastify-plugin';
import { ArchiveService } from '../services/archives.js';
import { EntryService } from '../services/entries.js';
import { PostService } from '../services/posts.js';
import type { Publisher } from '../services/publisher.js';
import { SearchService } from '../services/search.js';
import { SiteService } from '../services/site.js';
import { UserService } from '../services/users.js';

/**
 * The use cases the routes call: each one transaction on the stores, then a publish. The
 * publisher comes from the realtime node (app.ts), so services never know about sockets.
 */

declare module 'fastify' {
  interface FastifyInstance {
    services: { posts: PostService; entries: EntryService; archives: ArchiveService; users: UserService; search: SearchService; site: SiteService };
  }
}

export const servicesPlugin = fp<{ publisher: Publisher }>(
  async (app, { publisher }) => {
    const deps = { stores: app.stores, publisher, renderer: app.renderer, importParser: app.importParser };
    app.decorate('services', {
      posts: new PostService(deps),
      entries: new EntryService(deps),
      archives: new ArchiveService(deps),
      users: new UserService(app.stores),
      search: new SearchService(deps),
      site: new SiteService(app.stores),
    });
  },
  { name: 'services', dependencies: ['stores', 'renderer', 'import-parser'] },
);
