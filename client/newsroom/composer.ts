import type { Post } from '../../contract/index.js';
import { setEventZone } from './clock.js';
import { setupDesk } from './desk.js';
import { setupDeskTools } from './desk-tools.js';
import { Feed } from './feed.js';
import { setupPostNotice } from './post-notice.js';
import { setupSettings } from './settings.js';
import { setupParticipation } from './participation.js';
import { setupPollComposer } from './polls.js';
import { setupQuestions } from './questions.js';
import { setupInsightsLink } from './insights.js';
import type { Viewer } from './timeline.js';
import { setupWorkflow } from './workflow.js';
import { setupWriting } from './writing.js';

/**
 * The author's composer at /admin/posts/:slug: write, preview, publish offline-safe, and edit the
 * timeline. This file only wires the parts together: the box the next entry is written in, the
 * outbox that sends it, the desk that shows and edits the timeline, the live feed that keeps the
 * desk current, and the post's settings.
 */
export function startComposer(root: HTMLElement, viewer: Viewer): void {
  const initial = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as { post: Post };
  let post = initial.post;
  const timeZone = post.timezone;
  setEventZone(timeZone); // One clock: every time on the page is in the event zone, and follows it.
  const notice = setupPostNotice(root, viewer, post);

  const { entryBox } = setupWriting(root, viewer.id, () => post, timeZone);
  setupWorkflow(root, viewer, () => post, entryBox);

  const connection = root.querySelector<HTMLElement>('#connection')!;
  const desk = setupDesk(root, viewer, timeZone, () => post.slug, (cursor, limit) => feed.loadOlder(cursor, limit));
  setupDeskTools(root.querySelector<HTMLElement>('#timeline')!, { slug: () => post.slug, timeZone, desk });
  const feed = new Feed(post.slug, {
    ...desk,
    post: (updated) => {
      post = updated;
      setEventZone(updated.timezone);
      notice.update(updated);
      showPost(root, updated);
      settings?.update(updated);
    },
    connection: (state) => {
      connection.textContent = state;
      connection.dataset.state = state === 'Live' ? 'live' : 'down';
    },
  });
  const settings = setupSettings(root, () => post);
  setupParticipation(root, () => post.slug);
  setupPollComposer(root, () => post.slug);
  setupQuestions(root, () => post.slug, viewer);
  setupInsightsLink(root, () => post.slug);
  void feed.start();
}

/** The page's heading follows the post: title, status, reader link, and the address after a rename. */
function showPost(root: HTMLElement, post: Post): void {
  root.querySelector('#post-title')!.textContent = post.title;
  const status = root.querySelector('#post-status')!;
  // As server/render/newsroom.ts's badge: a draft post says it is private (issue 17).
  status.textContent = post.status === 'draft' ? 'Draft — not public' : post.status;
  status.className = `status status-${post.status}`;
  const readerLink = root.querySelector<HTMLAnchorElement>('#reader-link')!;
  readerLink.href = `/posts/${post.slug}`;
  // A draft post has no reader page yet (it answers 404 to everyone): no link to it.
  root.querySelector<HTMLElement>('#reader-link-item')!.hidden = post.status === 'draft';
  if (location.pathname !== `/admin/posts/${post.slug}`) history.replaceState(null, '', `/admin/posts/${post.slug}`);
}
