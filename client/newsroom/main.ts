import { startAdminHome, startUsers } from './admin.js';
import { startComposer } from './composer.js';
import { startOfflineShell } from './offline-shell.js';
import { startSite } from './site.js';
import { startWebhooks } from './webhooks.js';
import type { Viewer } from './timeline.js';

/** Entry point of the newsroom bundle; each page says which part it needs in <body data-page>. */
const who = document.getElementById('who');
const viewer: Viewer = { id: Number(who?.dataset.userId ?? 0), role: (who?.dataset.role ?? 'author') as Viewer['role'] };
if (viewer.id) startOfflineShell(viewer.id);
switch (document.body.dataset.page) {
  case 'composer':
    startComposer(document.getElementById('composer')!, viewer);
    break;
  case 'admin-home':
    startAdminHome();
    break;
  case 'users':
    startUsers();
    break;
  case 'site':
    startSite();
    break;
  case 'webhooks':
    startWebhooks();
    break;
}
