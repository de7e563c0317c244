import type { DeskPresence } from '../../contract/index.js';
import type { NewsroomLine } from './newsroom-socket.js';
import type { Viewer } from './timeline.js';

/**
 * Who else is at the desk (issue 17), so two reporters do not write up the same announcement:
 * the colleagues who have this post open, and which of them is writing. Only the newsroom
 * socket carries it; readers never learn that a desk exists. The typing signal is throttled
 * (at most one every TYPING_EVERY_MS while typing, one "stopped" after a pause) and volatile.
 */
const TYPING_EVERY_MS = 2000;
const PAUSE_MS = 3000;

export type DeskPresenceView = { show(presence: DeskPresence): void };

export function setupDeskPresence(root: HTMLElement, viewer: Viewer): DeskPresenceView {
  const line = document.createElement('p');
  line.id = 'desk-presence';
  line.className = 'desk-presence';
  line.hidden = true;
  root.querySelector('.composer-header')!.append(line);
  return {
    show(presence) {
      const others = presence.people.filter((person) => person.id !== viewer.id);
      line.hidden = others.length === 0;
      line.replaceChildren('Also at the desk: ');
      others.forEach((person, index) => {
        const name = document.createElement('span');
        name.className = 'desk-person';
        name.dataset.userId = String(person.id);
        name.dataset.typing = String(person.typing);
        name.textContent = person.typing ? `${person.name} (writing…)` : person.name;
        line.append(...(index ? [', ', name] : [name]));
      });
    },
  };
}

/** Tells the desk while this person types in `box`: throttled, and "stopped" after a pause or once the box is empty. */
export function signalTyping(box: HTMLTextAreaElement, socket: NewsroomLine): void {
  let lastSent = 0;
  let pause: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    clearTimeout(pause);
    pause = undefined;
    if (lastSent) socket.typing(false);
    lastSent = 0;
  };
  box.addEventListener('input', () => {
    if (!box.value.trim()) return stop();
    const now = Date.now();
    if (now - lastSent >= TYPING_EVERY_MS) {
      socket.typing(true);
      lastSent = now;
    }
    clearTimeout(pause);
    pause = setTimeout(stop, PAUSE_MS);
  });
  box.addEventListener('blur', stop);
}
