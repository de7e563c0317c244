import { startAdminHome, startUsers } from './admin.js';
import { followChartHeights, linkEmbedOptions, watchLinkEmbeds } from '../link-embeds.js';
import { startComposer } from './composer.js';
import { startOfflineShell } from './offline-shell.js';
import { startProfile } from './profile.js';
import { startSite } from './site.js';
import { startWebhooks } from './webhooks.js';
import type { Viewer } from './timeline.js';

/** Entry point of the newsroom bundle; each page says which part it needs in <body data-page>. */
const who = document.getElementById('who');
const viewer: Viewer = { id: Number(who?.dataset.userId ?? 0), role: (who?.dataset.role ?? 'author') as Viewer['role'] };
if (viewer.id) startOfflineShell(viewer.id);
switch (document.body.dataset.page) {
  case 'composer': {
    const composer = document.getElementById('composer')!;
    // Link embeds in the preview and the timeline, as readers see them (issue 16).
    watchLinkEmbeds(composer, linkEmbedOptions(composer, { load: 'Load', notice: (provider) => `Loading it connects to ${provider}.`, reload: 'This provider cannot be previewed here; readers can load it.' }));
    followChartHeights();
    startComposer(composer, viewer);
    break;
  }
  case 'admin-home':
    startAdminHome();
    break;
  case 'users':
    startUsers();
    break;
  case 'site':
    startSite();
    break;
  case 'profile':
    startProfile();
    break;
  case 'webhooks':
    startWebhooks();
    break;
}
// Forms the script submits render their button disabled, so a click before the bundle has
// bound them cannot fall through to a native GET that puts the fields (a password, too) in the
// URL and reloads the page over what was typed. Their handlers are bound now.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-needs-script]')) button.disabled = false;
