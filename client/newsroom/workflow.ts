import type { Draft, Post } from '../../contract/index.js';
import { setupDeskPresence, signalTyping } from './desk-presence.js';
import { setupDraftWriting } from './draft-writing.js';
import type { EntryBox } from './entry-box.js';
import { setupDraftsPanel } from './drafts-panel.js';
import { connectNewsroom } from './newsroom-socket.js';
import { setupReviewQueue } from './review-queue.js';
import { isEditor, type Viewer } from './timeline.js';

/**
 * The desk's editorial workflow (issue 17), wired together: the drafts this person may see, kept
 * here by id and version from the newsroom socket (and from requests' answers), shown in the
 * Drafts panel and, for editors, the review queue; who else is at the desk; and the box's Save
 * draft / Submit / Schedule.
 */
export function setupWorkflow(root: HTMLElement, viewer: Viewer, post: () => Post, box: EntryBox): void {
  const drafts = new Map<number, Draft>();
  const upsert = (draft: Draft) => {
    if (draft.postId !== post().id) return;
    const known = drafts.get(draft.id);
    if (known && known.version >= draft.version) return;
    drafts.set(draft.id, draft);
    render();
  };
  const panel = setupDraftsPanel(root, viewer, upsert);
  const queue = isEditor(viewer) ? setupReviewQueue(root, viewer, upsert) : undefined;
  const presence = setupDeskPresence(root, viewer);
  const render = () => {
    const all = [...drafts.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id);
    panel.render(all);
    queue?.render(all);
  };
  const line = connectNewsroom(() => post().slug, {
    drafts: (all) => {
      drafts.clear();
      for (const draft of all) drafts.set(draft.id, draft);
      render();
    },
    draft: upsert,
    gone: ({ id }) => {
      if (drafts.delete(id)) render();
    },
    presence: (shown) => presence.show(shown),
  });
  setupDraftWriting(root, viewer, post, upsert, box);
  signalTyping(root.querySelector<HTMLTextAreaElement>('#entry-body')!, line);
  render();
}
