import type { Assets } from './assets.js';
import { linkEmbedAttributes, type PageLinkEmbeds } from './link-embeds/page.js';
import { LINK_EMBED_PROVIDER_IDS, LINK_EMBED_PROVIDERS } from '../../contract/link-embeds.js';
import { html, jsonForScript, raw, type RawHtml } from './html.js';
import { avatarSrc, type Actor, type Post, type Profile } from '../../contract/index.js';
import { canCreatePost, hasRole } from '../domain/roles.js';

const isEditor = (actor: Actor) => hasRole(actor, 'editor');
import { embedMarkup } from './embed.js';
import type { PostActivity } from '../store/posts.js';
import { brandStylesheetUrl, DEFAULT_BRAND, type Brand } from './site.js';
import { FONT_STACKS, type SiteSettings } from '../../contract/index.js';

/**
 * Pages of the newsroom (login, setup, admin, composer, site branding). Readers never load these.
 * They wear the site's branding too (its name, accent and font, through /site.css); their own
 * words stay English.
 */

export type Layout = { title: string; assets: Assets; body: RawHtml; page: string; actor?: Actor | undefined; csrf?: string | undefined; data?: unknown; brand?: Brand | undefined };

export function layout({ title, assets, body, page, actor, csrf, data, brand = DEFAULT_BRAND }: Layout): string {
  const stylesheet = assets.url('styles.css');
  const branding = brandStylesheetUrl(brand);
  const newsroomCss = assets.url('newsroom.css');
  const script = actor ? assets.url('newsroom.js') : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${brand.name} newsroom</title>
<meta name="color-scheme" content="light dark">
${csrf ? html`<meta name="csrf-token" content="${csrf}">` : ''}
${stylesheet ? html`<link rel="stylesheet" href="${stylesheet}">` : ''}
${newsroomCss ? html`<link rel="stylesheet" href="${newsroomCss}">` : ''}
${branding ? html`<link rel="stylesheet" href="${branding}">` : ''}
${script ? html`<script type="module" src="${script}"></script>` : ''}
</head>
<body class="newsroom" data-page="${page}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site newsroom-bar"><a href="/admin" class="brand">${brand.name} newsroom</a>
${actor && csrf ? html`<nav><a href="/">Reader site</a> <a href="/admin/profile" id="profile-link">Your byline</a>${actor.role === 'admin' ? html` <a href="/admin/users">Users &amp; tokens</a> <a href="/admin/site">Site &amp; branding</a> <a href="/admin/webhooks">Webhooks</a>` : ''}
<span class="who" id="who" data-user-id="${actor.id}" data-role="${actor.role}">${actor.name} (${actor.role})</span>
<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">Log out</button></form></nav>` : ''}
</header>
<main id="main" tabindex="-1">
${body}
</main>
${data === undefined ? '' : html`<script type="application/json" id="page-data">${raw(jsonForScript(data))}</script>`}
</body>
</html>
`.value;
}

export function loginPage(assets: Assets, model: { next: string; email?: string; error?: string }): string {
  const body = html`<h1>Log in</h1>
${model.error ? html`<p class="error" role="alert" id="login-error">${model.error}</p>` : ''}
<form method="post" action="/login" class="stack" id="login-form">
<input type="hidden" name="next" value="${model.next}">
<label>Email <input type="email" name="email" autocomplete="username" required autofocus value="${model.email ?? ''}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>
<p class="muted">No account yet? An administrator adds one under Users, or on the server: <code>npx liveline user add --email you@example.org --name "Your Name" --role admin</code></p>`;
  return layout({ title: 'Log in', assets, body, page: 'login' });
}

export function setupPage(assets: Assets, model: { error?: string; name?: string; email?: string }): string {
  const body = html`<h1>Welcome to Liveline</h1>
<p>Create the first administrator account. This page disappears once it exists.</p>
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
<form method="post" action="/setup" class="stack">
<label>Name <input name="name" required autocomplete="name" value="${model.name ?? ''}"></label>
<label>Email <input type="email" name="email" required autocomplete="username" value="${model.email ?? ''}"></label>
<label>Password (at least 10 characters) <input type="password" name="password" required minlength="10" autocomplete="new-password"></label>
<button type="submit">Create administrator</button>
</form>`;
  return layout({ title: 'Set up', assets, body, page: 'setup' });
}

/** The newsroom's status badge; a draft post says it is private (issue 17). As client/newsroom/composer.ts's. */
function statusBadge(status: Post['status']): string {
  return status === 'draft' ? 'Draft — not public' : status;
}

export function adminHomePage(assets: Assets, actor: Actor, csrf: string, posts: (Post & PostActivity)[], now = new Date(), brand?: Brand): string {
  // Posts are the desk's (editors create them); authors write into the ones they are given.
  const create = canCreatePost(actor)
    ? html`<form id="new-post" class="stack new-post" aria-labelledby="new-post-heading">
<h2 id="new-post-heading">New post</h2>
<label>New post title <input name="title" required maxlength="200"></label>
<div id="new-post-when" class="stack"></div>
<p class="muted">A new post starts scheduled: readers see it as upcoming until you press “Go live”. A draft is private: readers see nothing of it until you make it scheduled or live.</p>
<label class="inline"><input type="checkbox" name="draft" id="new-post-draft"> Start as a draft (not public)</label>
<button type="submit" disabled data-needs-script>Create post</button>
<span class="error" role="alert" id="new-post-error"></span>
</form>`
    : '';
  const list = posts.length
    ? html`<table class="post-admin-list" id="post-list">
<thead><tr><th scope="col">Post</th><th scope="col">Status</th><th scope="col">Entries</th><th scope="col">Last update</th><th scope="col"><span class="visually-hidden">Reader page</span></th></tr></thead>
<tbody>
${posts.map((post) => {
  const last = post.lastChangeAt ?? post.updatedAt;
  return html`<tr data-slug="${post.slug}"><td><a href="/admin/posts/${post.slug}">${post.title}</a></td><td><span class="status status-${post.status}">${statusBadge(post.status)}</span></td><td class="count">${post.entries}</td><td><time datetime="${last}" title="${last}">${ago(last, now)}</time></td><td>${post.status === 'draft' ? html`<span class="muted">not public yet</span>` : html`<a href="/posts/${post.slug}" class="muted">reader page</a>`}</td></tr>`;
})}
</tbody></table>`
    : html`<div class="empty-state" id="post-list-empty"><h2>No posts yet</h2>${
        canCreatePost(actor)
          ? html`<p>A post is one event: a keynote, a match, an election night. Give it the event's title above; you write entries in it, and readers follow it live at its reader page.</p>`
          : html`<p>Editors create posts; the ones you write in appear here. Ask an editor to start one for your event.</p>`
      }</div>`;
  const body = html`<h1>Posts</h1>
${create}
${list}`;
  return layout({ title: 'Posts', assets, body, page: 'admin-home', actor, csrf, brand });
}

/** "just now", "12 min ago", "3 h ago", else the date: how long since a post last changed. */
export function ago(iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The copy-paste snippet that puts a post's live embed page on another site (render/embed.ts). */
export function embedSnippet(post: Post, publicBase: string): string {
  return embedMarkup(post, publicBase);
}

/**
 * The start in the event's zone, named in full ("Sat 14 Mar 2026, 09:00 (America/Los_Angeles)"),
 * as the page reads before its script runs; the newsroom's clock (client/newsroom/clock.ts) then
 * labels it ("09:00 PT") and adds the browser's time, as every other newsroom time.
 */
function startInZone(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')} (${timeZone})`;
}

export function composerPage(assets: Assets, actor: Actor, csrf: string, post: Post, publicBase: string, embedOrigins: string[] = [], brand?: Brand, linkEmbeds?: PageLinkEmbeds): string {
  // The preview and the timeline show link embeds as readers see them; "Load" works for every enabled provider (its CSP lists them).
  const body = html`<div class="composer" id="composer" data-slug="${post.slug}" data-timezone="${post.timezone}"${linkEmbedAttributes(linkEmbeds)}>
<header class="composer-header">
<h1 id="post-title">${post.title}</h1>
<p><span class="status status-${post.status}" id="post-status">${statusBadge(post.status)}</span> <span id="post-start" class="post-start"${post.startsAt ? '' : raw(' hidden')}>${post.startsAt ? html`· Starts <time datetime="${post.startsAt}">${startInZone(post.startsAt, post.timezone)}</time>` : ''}</span>${isEditor(actor) ? html` <button type="button" id="status-action" hidden></button>` : ''}<span id="reader-link-item"${post.status === 'draft' ? raw(' hidden') : ''}> · <a href="/posts/${post.slug}" id="reader-link" target="_blank" rel="noopener">Reader page</a></span> · <span id="connection" role="status">Connecting…</span></p>
</header>
<section class="write" aria-label="Write an entry">
<p class="post-notice" id="post-notice" role="status" hidden></p>
<p class="entry-fields"><label>Headline <input id="entry-headline" maxlength="200" autocomplete="off" placeholder="Optional"></label> <label>Location <input id="entry-location" maxlength="80" autocomplete="off" placeholder="e.g. San Francisco"></label></p>
<label for="entry-body" class="visually-hidden">New entry (Markdown)</label>
<textarea id="entry-body" rows="5" placeholder="What is happening? Markdown works. Ctrl+Enter publishes. Paste or drop an image. Type / for commands, # for a tag, @ for a co-author, : for an emoji." autofocus aria-describedby="command-help" aria-autocomplete="list" aria-controls="command-list"></textarea>
<p class="visually-hidden" id="command-help">Type slash for commands, hash for a tag, at for a co-author, colon for an emoji; arrows choose, Enter takes, Escape closes.</p>
<ul class="command-list" id="command-list" role="listbox" aria-label="Suggestions" hidden></ul>
<p class="visually-hidden" id="command-status" role="status"></p>
<ul class="entry-chips" id="entry-chips" aria-label="This entry's tags, co-authors and pin"></ul>
<div class="toolbar">
<label><input type="checkbox" id="entry-key-event"> Key moment</label>
<button type="button" id="publish"${actor.role === 'contributor' ? raw(' hidden') : ''}>Publish</button>${actor.role === 'contributor' ? '' : html` <kbd>Ctrl</kbd>+<kbd>Enter</kbd>`}
<span id="upload-status" role="status"></span>
</div>
<div class="preview entry-body" id="preview" aria-label="Preview" aria-live="off"></div>
<ol class="outbox" id="outbox" aria-label="Outbox"></ol>
</section>
${!isEditor(actor) ? '' : html`<details class="settings" id="settings"><summary>Post settings</summary><form id="settings-form" class="stack"></form></details>`}
<details class="embed-snippet" id="embed"><summary>Embed on another site</summary>
<p>Paste this into the other site's page; it grows with the post. A CMS that speaks oEmbed (WordPress, Ghost…) embeds the post from its reader-page link alone.</p>
${embedOrigins.length
  ? html`<p id="embed-origins">Sites allowed to show it (<code>EMBED_ORIGINS</code>): ${embedOrigins.map((origin, index) => html`${index ? ', ' : ''}<code>${origin}</code>`)}.</p>`
  : html`<p id="embed-origins" class="warning">No other site may show it yet: an administrator lists the allowed sites in <code>EMBED_ORIGINS</code>.</p>`}
<label for="embed-code" class="visually-hidden">Embed code</label>
<textarea id="embed-code" readonly rows="3">${embedSnippet(post, publicBase)}</textarea>
</details>
<section class="timeline" id="timeline" aria-label="Timeline"></section>
<section class="deleted" id="deleted" aria-label="Deleted entries" hidden><h2>Deleted entries</h2><ol id="deleted-list"></ol></section>
<dialog id="history-dialog"><h2>History</h2><div id="history"></div><form method="dialog"><button>Close</button></form></dialog>
</div>`;
  return layout({ title: post.title, assets, body, page: 'composer', actor, csrf, data: { post }, brand });
}

/**
 * Your byline (issue 17): display name, role title ("Senior reporter") and a square avatar, as
 * readers see them on your entries and search engines in JSON-LD. Filled in by the server, saved
 * by client/newsroom/profile.ts (`PATCH /api/profile`, `PUT`/`DELETE /api/profile/avatar`).
 */
export function profilePage(assets: Assets, actor: Actor, csrf: string, profile: Profile, brand?: Brand): string {
  const avatar = avatarSrc(profile.avatar);
  const body = html`<h1>Your byline</h1>
<p class="muted">What readers see on your entries, and search engines in the page's JSON-LD. Never your email.</p>
<form id="profile-form" class="stack">
<label>Display name <input name="displayName" id="profile-display-name" maxlength="100" value="${profile.displayName ?? ''}" placeholder="${profile.accountName}"></label>
<label>Role title <input name="jobTitle" id="profile-job-title" maxlength="80" value="${profile.jobTitle ?? ''}" placeholder="e.g. Senior reporter"></label>
<button type="submit" disabled data-needs-script>Save</button>
</form>
<h2>Avatar</h2>
<p id="profile-avatar">${avatar ? html`<img src="${avatar}" alt="Your avatar" width="96" height="96" class="profile-avatar">` : html`<span class="muted">No avatar yet.</span>`}</p>
<p class="muted">Any image: it is cropped square around its most interesting part and kept at 256 × 256.</p>
<p><label>Upload an avatar <input type="file" id="profile-avatar-file" accept="image/png,image/jpeg,image/gif,image/webp"></label> <button type="button" id="profile-avatar-remove"${avatar ? '' : raw(' hidden')}>Remove avatar</button></p>
<p id="profile-status" role="status"></p>`;
  return layout({ title: 'Your byline', assets, body, page: 'profile', actor, csrf, brand });
}

export function usersPage(assets: Assets, actor: Actor, csrf: string, brand?: Brand): string {
  const body = html`<h1>Users</h1>
<table class="users" id="users"><thead><tr><th>Name</th><th>Email</th><th>Role</th><th>State</th><th></th></tr></thead><tbody></tbody></table>
<h2>Add a user</h2>
<form id="new-user" class="stack">
<label>Name <input name="name" required></label>
<label>Email <input type="email" name="email" required></label>
<label>Role <select name="role"><option>contributor</option><option selected>author</option><option>editor</option><option>admin</option></select></label>
<label>Initial password <input type="password" name="password" minlength="10" required autocomplete="new-password"></label>
<button type="submit" disabled data-needs-script>Add user</button> <span class="error" role="alert" id="new-user-error"></span>
</form>
<h1>API tokens</h1>
<table class="tokens" id="tokens"><thead><tr><th>#</th><th>Name</th><th>User</th><th>Last used</th><th>State</th><th></th></tr></thead><tbody></tbody></table>
<form id="new-token" class="inline-form">
<label>User <select name="userId" id="token-user"></select></label>
<label>Token name <input name="name" required></label>
<button type="submit" disabled data-needs-script>Create token</button>
</form>
<p id="new-token-secret" class="secret" hidden></p>`;
  return layout({ title: 'Users & tokens', assets, body, page: 'users', actor, csrf, brand });
}

/**
 * Link embeds (issue 16): a row per provider, "Enabled" (its embeds load on the reader's click)
 * and "Loads without a click" (the reader's browser contacts the provider as the page opens).
 */
function linkEmbedFieldset(site: SiteSettings): RawHtml {
  const checked = (on: boolean) => (on ? raw(' checked') : '');
  return html`<fieldset class="stack link-embed-settings" id="site-link-embeds"><legend>Link embeds</legend>
<p class="muted">A line that is only a link to one of these becomes an embed. Readers see a placeholder and load it with a click; nothing reaches the provider before. A disabled provider's links stay links.</p>
<table class="link-embed-table"><thead><tr><th scope="col">Provider</th><th scope="col">Enabled</th><th scope="col">Loads without a click</th></tr></thead><tbody>
${LINK_EMBED_PROVIDER_IDS.map((id) => html`<tr data-provider="${id}"><th scope="row">${LINK_EMBED_PROVIDERS[id].name}</th><td><input type="checkbox" class="link-embed-enabled" value="${id}" aria-label="${LINK_EMBED_PROVIDERS[id].name} enabled"${checked(site.linkEmbeds.enabled.includes(id))}></td><td><input type="checkbox" class="link-embed-autoload" value="${id}" aria-label="${LINK_EMBED_PROVIDERS[id].name} loads without a click"${checked(site.linkEmbeds.autoload.includes(id))}></td></tr>`)}
</tbody></table>
</fieldset>`;
}

/**
 * The site's branding (admins): name, logo, accent colours, font, footer links. The form is
 * filled in and saved by client/newsroom/site.ts (`PUT /api/site`); without a script it shows
 * what is set. The preview shows the accent on both backgrounds as the reader pages will.
 */
export function sitePage(assets: Assets, actor: Actor, csrf: string, site: SiteSettings): string {
  const body = html`<h1>Site &amp; branding</h1>
<p class="muted">What readers see around every post: on the home page, the reader pages, the embed and this newsroom. Search engines read the name and logo too (JSON-LD <code>publisher</code>).</p>
<form id="site-form" class="stack site-form" novalidate>
<label>Site name <input name="name" id="site-name" required maxlength="80" value="${site.name}"></label>
<fieldset class="stack"><legend>Logo</legend>
<p class="site-logo-preview" id="site-logo-preview">${site.logo ? html`<img src="${site.logo}" alt="Current logo" height="48">` : html`<span class="muted">No logo: the site name stands alone.</span>`}</p>
<input type="hidden" name="logo" id="site-logo" value="${site.logo ?? ''}">
<label>Upload a logo (PNG, JPEG, GIF or WebP) <input type="file" id="site-logo-file" accept="image/png,image/jpeg,image/gif,image/webp"></label>
<button type="button" id="site-logo-remove"${site.logo ? '' : raw(' hidden')}>Remove the logo</button>
</fieldset>
<fieldset class="stack"><legend>Accent colour</legend>
<p class="muted">Used for the live status, links that need emphasis and buttons. It must read at 4.5:1 against the background; leave the dark one empty to derive it.</p>
<label>On the light background <input name="accent" id="site-accent" placeholder="#c8102e (built in)" pattern="#[0-9a-fA-F]{6}" value="${site.accent ?? ''}" aria-describedby="site-accent-check"></label>
<p class="contrast-check" id="site-accent-check" role="status"></p>
<label>On the dark background (optional) <input name="accentDark" id="site-accent-dark" placeholder="derived: ${site.colours.dark}" pattern="#[0-9a-fA-F]{6}" value="${site.accentDark ?? ''}" aria-describedby="site-accent-dark-check"></label>
<p class="contrast-check" id="site-accent-dark-check" role="status"></p>
<div class="accent-preview" aria-hidden="true"><span class="swatch light" id="swatch-light">Live</span><span class="swatch dark" id="swatch-dark">Live</span></div>
</fieldset>
<label>Font <select name="font" id="site-font">${Object.entries(FONT_STACKS).map(([key, stack]) => html`<option value="${key}"${key === site.font ? raw(' selected') : ''}>${stack.label}</option>`)}</select></label>
<fieldset class="stack"><legend>Footer links</legend>
<p class="muted">At most 10: a path on this site (/about) or an https:// or mailto: address.</p>
<ol id="site-footer-links" class="footer-links-editor"></ol>
<button type="button" id="site-footer-add">Add a link</button>
</fieldset>
${linkEmbedFieldset(site)}
<button type="submit" disabled data-needs-script id="site-save">Save branding</button>
<p id="site-message" role="status" class="settings-message"></p>
</form>`;
  return layout({ title: 'Site & branding', assets, body, page: 'site', actor, csrf, data: { site }, brand: site });
}

/**
 * Webhooks (admins): register endpoints for a post or the whole site, pause them, read their
 * delivery log and replay a post from a seq. The lists are filled and kept fresh by
 * client/newsroom/webhooks.ts (the /api/webhooks routes); the page carries the posts to choose from.
 */
export function webhooksPage(assets: Assets, actor: Actor, csrf: string, posts: Pick<Post, 'slug' | 'title' | 'lastSeq'>[], brand?: Brand): string {
  const options = posts.map((post) => html`<option value="${post.slug}">${post.title} (${post.slug})</option>`);
  const body = html`<h1>Webhooks</h1>
<p class="muted">Partners get every public change of a post (new, edited and deleted entries, post updates) as a signed JSON POST, in order, retried until they answer 2xx. See the README's Syndication section for the payload and how to check the <code>webhook-signature</code>.</p>
<div id="webhook-alerts"></div>
<table class="webhooks endpoints" id="webhooks"><thead><tr><th>Endpoint</th><th>Follows</th><th>State</th><th>Pending</th><th></th></tr></thead><tbody></tbody></table>
<p id="webhooks-empty" class="muted" hidden>No endpoints yet.</p>
<h2>Register an endpoint</h2>
<form id="new-webhook" class="stack webhook-form">
<label>URL <input type="url" name="url" id="webhook-url" required placeholder="https://partner.example/hooks/liveline"></label>
<label>Follows <select name="post" id="webhook-post"><option value="">Every post of the site</option>${options}</select></label>
<label>Description (optional) <input name="description" maxlength="200"></label>
<button type="submit" disabled data-needs-script>Register endpoint</button>
<p class="error" role="alert" id="new-webhook-error"></p>
</form>
<div id="new-webhook-secret" class="secret" role="status" hidden></div>
<section id="deliveries" class="deliveries" aria-labelledby="deliveries-title" hidden>
<h2 id="deliveries-title">Deliveries</h2>
<form id="replay" class="inline-form">
<label id="replay-post-label">Post <select name="post" id="replay-post">${options}</select></label>
<label>Replay from seq <input type="number" name="fromSeq" id="replay-from" min="1" step="1" required inputmode="numeric"></label>
<button type="submit" disabled data-needs-script>Replay</button>
<span class="settings-message" role="status" id="replay-message"></span>
</form>
<div class="table-scroll"><table class="webhooks deliveries-log" id="deliveries-log"><thead><tr><th>Seq</th><th>Post</th><th>Type</th><th>Status</th><th>Attempts</th><th>HTTP</th><th>Last error</th><th>Updated</th></tr></thead><tbody></tbody></table></div>
<p id="deliveries-empty" class="muted" hidden>Nothing delivered yet.</p>
</section>`;
  return layout({ title: 'Webhooks', assets, body, page: 'webhooks', actor, csrf, brand });
}
