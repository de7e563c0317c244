import type { Post } from '../../contract/index.js';
import { clockElement } from './clock.js';
import { isEditor, type Viewer } from './timeline.js';

/**
 * What the composer says about the event's state (issue 14): the start time in the header, and a
 * notice above the box when posting into a post that is not live, since what is published into a
 * scheduled post is public before the event, and an ended post takes entries from editors only.
 * It follows the post live (the feed's post updates), and speaks through role=status.
 */
export function setupPostNotice(root: HTMLElement, viewer: Viewer, initial: Post): { update(post: Post): void } {
  const notice = root.querySelector<HTMLElement>('#post-notice');
  const start = root.querySelector<HTMLElement>('#post-start');
  let shown = '';

  const update = (post: Post) => {
    // Repainted only when something it says changed: a screen reader hears a change, not every save.
    const key = `${post.status}\u0000${post.startsAt ?? ''}\u0000${post.timezone}`;
    if (key === shown) return;
    shown = key;
    if (start) {
      start.hidden = !post.startsAt;
      start.replaceChildren(...(post.startsAt ? ['· Starts ', clockElement(post.startsAt)] : []));
    }
    if (!notice) return;
    notice.hidden = post.status === 'live';
    notice.dataset.status = post.status;
    if (post.status === 'scheduled') {
      const when = post.startsAt ? ['Scheduled to start ', clockElement(post.startsAt), '. '] : ['Scheduled, with no start time yet. '];
      const next = !isEditor(viewer) ? 'An editor takes it live when the event begins.' : 'Press “Go live” when the event begins.';
      notice.replaceChildren(...when, 'What you publish now is already public on the reader page. ', next);
    } else if (post.status === 'draft') {
      // Issue 17: a draft post is private; nothing of it is public until it is scheduled or live.
      const next = !isEditor(viewer) ? 'An editor makes it public.' : 'Press “Go live” (or set it to scheduled in the settings) to make it public.';
      notice.replaceChildren('Draft: readers see nothing of this post yet, not even that it exists. What you publish now appears to them once it is public. ', next);
    } else if (post.status === 'ended') {
      notice.replaceChildren(!isEditor(viewer) ? 'This liveblog has ended: only editors can add entries now.' : 'This liveblog has ended. What you publish still reaches readers; “Reopen” makes it live again.');
    } else notice.replaceChildren();
  };
  update(initial);
  return { update };
}
