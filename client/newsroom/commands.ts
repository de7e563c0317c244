import type { Byline, EntryInput } from '../../contract/index.js';
import { normalizeTag, TAGS_MAX } from '../../contract/tags.js';
import { listPeople } from '../api-client.js';

/**
 * Composer commands with autocomplete (issue 17), typed in the entry box: `/key`, `/pin`,
 * `/headline`, `/location`, `#tag`, `@name` (a co-author) and `:emoji:`.
 *
 * Commands are parsed here, in the browser, into the entry's structured fields: the server gets
 * `keyEvent`, `headline`, `location`, `tags` and `authors` (and the pin is its own request after
 * the entry exists), and the Markdown body stays clean text. Choosing a suggestion takes its token
 * out of the box at once (an emoji is the one that stays: it is text): `/key` ticks "Key moment",
 * `/headline` and `/location` move to their fields, a tag, a co-author or the pin become chips
 * under the box, each with a Remove button. Typed without the list, a line that is only `/key`,
 * `/pin`, `/headline …`, `/location …` or `#tags` is read the same way when the entry is sent.
 *
 * The list is an ARIA listbox: the box keeps the focus and points at the chosen option with
 * aria-activedescendant; ↑/↓ choose, Enter or Tab takes, Escape closes. Ctrl+Enter still publishes.
 */

/** What the composer sends besides body and keyEvent; `pin` is a request of its own once the entry exists. */
export type EntryMetaDraft = Pick<EntryInput, 'headline' | 'location' | 'tags' | 'authors'> & { pin?: boolean };

/** A small built-in list; the shortcode names follow the common `:name:` ones. */
export const EMOJI: readonly (readonly [string, string])[] = [
  ['rotating_light', '🚨'], ['warning', '⚠️'], ['zap', '⚡'], ['fire', '🔥'], ['tada', '🎉'], ['rocket', '🚀'], ['eyes', '👀'],
  ['clap', '👏'], ['thumbsup', '👍'], ['thumbsdown', '👎'], ['heart', '❤️'], ['100', '💯'], ['star', '⭐'], ['check', '✅'],
  ['x', '❌'], ['question', '❓'], ['exclamation', '❗'], ['microphone', '🎤'], ['camera', '📷'], ['video_camera', '📹'],
  ['iphone', '📱'], ['computer', '💻'], ['chart', '📈'], ['moneybag', '💰'], ['trophy', '🏆'], ['soccer', '⚽'], ['coffee', '☕'],
  ['wave', '👋'], ['thinking', '🤔'], ['joy', '😂'], ['smile', '😄'], ['sob', '😭'], ['scream', '😱'], ['point_right', '👉'],
  ['pushpin', '📌'], ['newspaper', '📰'], ['earth', '🌍'], ['clock', '🕐'], ['calendar', '📅'], ['mega', '📣'],
];

const COMMANDS = [
  { name: 'key', hint: 'Mark as a key moment' },
  { name: 'pin', hint: 'Pin above the stream' },
  { name: 'headline', hint: 'Give it a headline' },
  { name: 'location', hint: 'Say where it is written' },
] as const;
type CommandName = (typeof COMMANDS)[number]['name'];

const SHOWN = 8;
/** The token being typed, just before the caret: `/` only at the start of a line. */
const TOKEN = /(^|\s)([/#@:])([^\s/#@:]*)$/u;

type Suggestion = { label: string; hint?: string; take(): void };
type Token = { start: number; end: number; trigger: string; query: string };

export type ComposerCommands = {
  /** The body without command lines, and the fields the commands set. */
  collect(text: string, keyEvent: boolean): { body: string; keyEvent: boolean; meta: EntryMetaDraft };
  /** After sending: chips and headline go; the location stays (the reporter is still there). */
  reset(): void;
  /** The tags and co-authors the chips hold now. */
  chosen(): { tags: string[]; coAuthors: Byline[] };
};

/** The elements one box's commands work with; the list needs an id (its options' ids start with it). */
export type CommandParts = {
  box: HTMLTextAreaElement;
  list: HTMLUListElement;
  status: HTMLElement;
  chips: HTMLUListElement;
  headline: HTMLInputElement;
  place: HTMLInputElement;
  /** Without it (the desk's editor) there is no `/key`; `pin: false` leaves out `/pin`. */
  keyEvent?: HTMLInputElement | undefined;
};
export type CommandOptions = {
  postId: number;
  /** Who the byline is: not offered as a co-author. */
  bylineId: number;
  pin?: boolean;
  /** The desk's editor starts from the entry's tags and co-authors; the location is not remembered there. */
  initial?: { tags: string[]; coAuthors: Byline[] };
};

/** The composer's box (server/render/newsroom.ts composerPage). */
export function setupCommands(root: HTMLElement, viewerId: number, postId: number): ComposerCommands {
  return attachCommands(
    {
      box: root.querySelector<HTMLTextAreaElement>('#entry-body')!,
      list: root.querySelector<HTMLUListElement>('#command-list')!,
      status: root.querySelector<HTMLElement>('#command-status')!,
      chips: root.querySelector<HTMLUListElement>('#entry-chips')!,
      headline: root.querySelector<HTMLInputElement>('#entry-headline')!,
      place: root.querySelector<HTMLInputElement>('#entry-location')!,
      keyEvent: root.querySelector<HTMLInputElement>('#entry-key-event')!,
    },
    { postId, bylineId: viewerId, pin: true },
  );
}

export function attachCommands(parts: CommandParts, options: CommandOptions): ComposerCommands {
  const { box, list, status, headline, place, keyEvent } = parts;
  const chipList = parts.chips;
  const { postId, bylineId: viewerId } = options;
  const commands = COMMANDS.filter((command) => (command.name !== 'key' || keyEvent) && (command.name !== 'pin' || options.pin));

  const tagsKey = `liveline:tags:${postId}`;
  const recentTags = (): string[] => {
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(tagsKey) ?? '[]');
      return Array.isArray(stored) ? stored.filter((tag): tag is string => typeof tag === 'string') : [];
    } catch {
      return [];
    }
  };
  if (!options.initial) {
    const placeKey = `liveline:location:${viewerId}`;
    place.value ||= localStorage.getItem(placeKey) ?? '';
    place.addEventListener('change', () => (place.value.trim() ? localStorage.setItem(placeKey, place.value.trim()) : localStorage.removeItem(placeKey)));
  }

  let tags: string[] = [...(options.initial?.tags ?? [])];
  let coAuthors: Byline[] = [...(options.initial?.coAuthors ?? [])];
  let pin = false;
  let people: Byline[] | undefined;
  let loadingPeople = false;
  let suggestions: Suggestion[] = [];
  let active = 0;
  let token: Token | undefined;
  /** Escape closes the list until the caret leaves that token. */
  let dismissedAt: number | undefined;

  const chip = (text: string, label: string, remove: () => void): HTMLLIElement => {
    const item = document.createElement('li');
    item.className = 'chip';
    const name = document.createElement('span');
    name.textContent = text;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'chip-remove';
    button.textContent = '×';
    button.setAttribute('aria-label', `Remove ${label}`);
    button.addEventListener('click', () => {
      remove();
      renderChips();
      box.focus();
    });
    item.append(name, button);
    return item;
  };
  const renderChips = () => {
    chipList.replaceChildren(
      ...(pin ? [chip('📌 Pin', 'the pin', () => (pin = false))] : []),
      ...tags.map((tag) => chip(`#${tag}`, `tag ${tag}`, () => (tags = tags.filter((other) => other !== tag)))),
      ...coAuthors.map((person) => chip(`@ ${person.name}`, `co-author ${person.name}`, () => (coAuthors = coAuthors.filter((other) => other.id !== person.id)))),
    );
    chipList.hidden = chipList.children.length === 0;
  };

  const addTag = (raw: string) => {
    const tag = normalizeTag(raw);
    if (!tag || tags.includes(tag) || tags.length >= TAGS_MAX) return;
    tags = [...tags, tag];
    localStorage.setItem(tagsKey, JSON.stringify([tag, ...recentTags().filter((other) => other !== tag)].slice(0, 50)));
    renderChips();
  };

  const runCommand = (name: CommandName) => {
    if (name === 'key' && keyEvent) keyEvent.checked = true;
    if (name === 'pin') pin = true;
    if (name === 'headline') headline.focus();
    if (name === 'location') place.focus();
    renderChips();
    status.textContent = { key: 'Marked as a key moment', pin: 'Will be pinned', headline: 'Headline field', location: 'Location field' }[name];
  };

  /** Takes the token out of the box (or puts `text` in its place) and tells the draft and preview. */
  const replaceToken = (text: string) => {
    if (!token) return;
    const { start, end } = token;
    box.setRangeText(text, start, end, 'end');
    box.dispatchEvent(new Event('input', { bubbles: true }));
  };

  const suggestFor = (current: Token): Suggestion[] => {
    const query = current.query.toLowerCase();
    switch (current.trigger) {
      case '/':
        return commands.filter((command) => command.name.startsWith(query)).map((command) => ({
          label: `/${command.name}`,
          hint: command.hint,
          take: () => {
            replaceToken('');
            runCommand(command.name);
          },
        }));
      case '#': {
        const typed = normalizeTag(current.query);
        if (!typed) return [];
        const known = recentTags().filter((tag) => tag.startsWith(typed) && tag !== typed && !tags.includes(tag));
        return [typed, ...known].slice(0, SHOWN).map((tag) => ({
          label: `#${tag}`,
          hint: tag === typed && !recentTags().includes(tag) ? 'New tag' : 'Tag',
          take: () => {
            replaceToken('');
            addTag(tag);
            status.textContent = `Tagged #${tag}`;
          },
        }));
      }
      case '@': {
        if (!people) {
          if (!loadingPeople) {
            loadingPeople = true;
            void listPeople()
              .then((answer) => {
                people = answer.people;
                update();
              })
              .catch(() => (loadingPeople = false));
          }
          return [];
        }
        return people
          .filter((person) => person.id !== viewerId && !coAuthors.some((other) => other.id === person.id))
          .filter((person) => person.name.toLowerCase().split(/\s+/).some((word) => word.startsWith(query)) || person.name.toLowerCase().startsWith(query))
          .slice(0, SHOWN)
          .map((person) => ({
            label: person.name,
            hint: person.jobTitle ?? 'Co-author',
            take: () => {
              replaceToken('');
              coAuthors = [...coAuthors, person];
              renderChips();
              status.textContent = `${person.name} added as co-author`;
            },
          }));
      }
      case ':': {
        if (!query) return [];
        const name = query.replace(/:$/, '');
        return EMOJI.filter(([code]) => code.startsWith(name))
          .slice(0, SHOWN)
          .map(([code, emoji]) => ({ label: `${emoji} :${code}:`, take: () => replaceToken(emoji) }));
      }
      default:
        return [];
    }
  };

  const close = () => {
    suggestions = [];
    token = undefined;
    list.hidden = true;
    list.replaceChildren();
    box.removeAttribute('aria-activedescendant');
  };

  const render = () => {
    list.replaceChildren(
      ...suggestions.map((suggestion, index) => {
        const option = document.createElement('li');
        option.id = `${list.id}-option-${index}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(index === active));
        const label = document.createElement('span');
        label.className = 'command-label';
        label.textContent = suggestion.label;
        option.append(label);
        if (suggestion.hint) {
          const hint = document.createElement('span');
          hint.className = 'command-hint';
          hint.textContent = suggestion.hint;
          option.append(' ', hint);
        }
        // The box keeps the focus: a click takes the option without blurring it.
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => take(index));
        return option;
      }),
    );
    list.hidden = false;
    box.setAttribute('aria-activedescendant', `${list.id}-option-${active}`);
  };

  function update(): void {
    const caret = box.selectionStart;
    if (caret !== box.selectionEnd) return close();
    const match = TOKEN.exec(box.value.slice(0, caret));
    if (!match) {
      dismissedAt = undefined;
      return close();
    }
    const start = caret - match[2]!.length - match[3]!.length;
    if (dismissedAt === start) return close();
    const current = { start, end: caret, trigger: match[2]!, query: match[3]! };
    // A slash is a command only at the start of a line (not in "and/or" or a URL).
    if (current.trigger === '/' && start > 0 && box.value[start - 1] !== '\n') return close();
    const next = suggestFor(current);
    if (!next.length) return close();
    const before = suggestions.length;
    token = current;
    suggestions = next;
    if (active >= next.length || before === 0) active = 0;
    render();
    if (before !== next.length) status.textContent = `${next.length} suggestion${next.length === 1 ? '' : 's'}, arrows to choose, Enter to take`;
  }

  function take(index: number): void {
    const suggestion = suggestions[index];
    if (!suggestion) return;
    suggestion.take();
    close();
    if (document.activeElement === document.body) box.focus();
  }

  box.addEventListener('input', update);
  box.addEventListener('click', update);
  box.addEventListener('blur', close);
  box.addEventListener('keyup', (event) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') update();
  });
  box.addEventListener('keydown', (event) => {
    if (list.hidden || !suggestions.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length;
      render();
    } else if ((event.key === 'Enter' && !event.ctrlKey && !event.metaKey && !event.shiftKey) || event.key === 'Tab') {
      event.preventDefault();
      take(active);
    } else if (event.key === 'Escape') {
      // Closes the list only (the desk's editor would take Escape as Cancel).
      event.preventDefault();
      event.stopPropagation();
      dismissedAt = token?.start;
      close();
    }
  });
  // Enter in the headline or location field goes back to the box.
  for (const field of [headline, place]) {
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        box.focus();
      }
    });
  }
  renderChips();

  return {
    collect(text, key) {
      let headlineText = headline.value.trim();
      let where = place.value.trim();
      let pinned = pin;
      let keyMoment = key;
      const kept: string[] = [];
      for (const line of text.split('\n')) {
        const command = /^\/(key|pin|headline|location)(?:\s+(.*))?$/.exec(line.trim());
        if (command) {
          const [, name, rest = ''] = command;
          if (name === 'key') keyMoment = true;
          else if (name === 'pin') pinned = true;
          else if (name === 'headline') headlineText ||= rest.trim();
          else if (name === 'location') where ||= rest.trim();
          continue;
        }
        if (/^\s*(#[^\s#]+\s*)+$/u.test(line)) {
          for (const tag of line.trim().split(/\s+/)) addTag(tag);
          continue;
        }
        kept.push(line);
      }
      const meta: EntryMetaDraft = {
        ...(headlineText ? { headline: headlineText } : {}),
        ...(where ? { location: where } : {}),
        ...(tags.length ? { tags: [...tags] } : {}),
        ...(coAuthors.length ? { authors: [viewerId, ...coAuthors.map((person) => person.id)] } : {}),
        ...(pinned ? { pin: true } : {}),
      };
      return { body: kept.join('\n').trim(), keyEvent: keyMoment, meta };
    },
    chosen: () => ({ tags: [...tags], coAuthors: [...coAuthors] }),
    reset() {
      tags = [];
      coAuthors = [];
      pin = false;
      headline.value = '';
      renderChips();
      close();
    },
  };
}
