import type { Post, PostStatus } from '../../contract/index.js';
import { canonicalLanguage, SUPPORTED_LANGUAGES } from '../../contract/i18n/languages.js';
import { stale, updatePost } from '../api-client.js';
import { element } from './dom.js';
import { eventStartFields } from './event-start.js';
import { confirmInline, errorText, showErrorAfter } from './notices.js';
import { uploadImage } from './uploads.js';

/** Post settings for editors: PATCH with If-Match; a rename moves this page to the new slug. */

/** As the contract's POST_STATUSES, which cannot be imported as a value: it would bundle zod. */
const STATUSES: readonly PostStatus[] = ['draft', 'scheduled', 'live', 'ended'];

export function setupSettings(root: HTMLElement, current: () => Post): { update(post: Post): void } | undefined {
  const form = root.querySelector<HTMLFormElement>('#settings-form');
  if (!form) return undefined;
  const field = (name: string, label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement) => {
    input.name = name;
    return element('label', {}, `${label} `, input);
  };
  const title = element('input', { required: true, maxLength: 200 });
  const slug = element('input', { required: true, pattern: '[a-z0-9]+(-[a-z0-9]+)*', maxLength: 80 });
  const description = element('textarea', { rows: 2, maxLength: 2000 });
  // "What we know" (issue 15): readers see it above the entries, updated as soon as it is saved.
  const summary = element('textarea', { rows: 4, maxLength: 2000, placeholder: '- The keynote starts at 10:00\n- Prices are announced at the end' });
  const tags = element('input', { placeholder: 'comma, separated' });
  const categories = element('input', { placeholder: 'comma, separated' });
  // Entered in the event zone; the zone from a searchable list (issue 14, one clock).
  const when = eventStartFields({ startsAt: current().startsAt, zone: current().timezone });
  const status = element('select', {}, ...STATUSES.map((value) => element('option', { value }, value)));
  // The post's language (issue 15): a catalogue language from the list, or any BCP 47 tag typed
  // (its dates follow it; its interface words are its base language's, else English).
  const languages = element('datalist', { id: 'post-languages' }, ...SUPPORTED_LANGUAGES.map((language) => element('option', { value: language.tag, label: language.name })));
  const language = element('input', { maxLength: 35, autocomplete: 'off', spellcheck: false });
  language.setAttribute('list', languages.id);
  language.setAttribute('aria-describedby', 'post-language-hint');
  const languageHint = element('span', { id: 'post-language-hint', className: 'muted hint' });
  // The cover image (issue 16): what shares of the post (og:image, twitter:image, JSON-LD) show;
  // empty, the pinned or first entry image stands in. An uploaded image's URL, typed or uploaded here.
  const cover = element('input', { maxLength: 100, placeholder: '/uploads/…', autocomplete: 'off', spellcheck: false });
  const coverPreview = element('img', { alt: '', className: 'cover-preview', hidden: true });
  const coverPicker = element('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', id: 'cover-picker', className: 'visually-hidden' });
  const coverStatus = element('span', { role: 'status', className: 'muted hint' });
  const showCover = () => {
    coverPreview.hidden = !cover.value;
    if (cover.value) coverPreview.src = cover.value;
  };
  cover.addEventListener('input', showCover);
  coverPicker.addEventListener('change', async () => {
    const file = coverPicker.files?.[0];
    coverPicker.value = '';
    if (!file) return;
    coverStatus.textContent = `Uploading ${file.name}…`;
    try {
      cover.value = (await uploadImage(file)).url;
      dirty = true;
      showCover();
      coverStatus.textContent = 'Uploaded: save the settings to use it.';
    } catch (error) {
      coverStatus.textContent = `Upload failed: ${errorText(error)}`;
    }
  });
  const message = element('p', { role: 'status', className: 'settings-message' });
  form.append(
    field('title', 'Title', title),
    field('slug', 'Slug (the old one keeps redirecting)', slug),
    field('description', 'Description', description),
    field('summary', 'What we know (a short Markdown list shown above the entries)', summary),
    field('tags', 'Tags', tags),
    field('categories', 'Categories', categories),
    field('coverImage', 'Cover image (shown when the post is shared; empty: the pinned or first image)', cover),
    element('div', { className: 'cover-field' }, coverPreview, coverPicker, element('label', { htmlFor: 'cover-picker', className: 'button' }, 'Upload a cover image'), ' ', coverStatus),
    when.start,
    when.zone.root,
    field('status', 'Status', status),
    field('language', 'Language (BCP 47: en, de, fr, es, it, pt, nl, ja, ar, or e.g. de-AT)', language),
    languageHint,
    languages,
    element('button', { type: 'submit' }, 'Save settings'),
    message,
  );
  let dirty = false;
  form.addEventListener('input', () => (dirty = true));
  const fill = (post: Post) => {
    title.value = post.title;
    slug.value = post.slug;
    description.value = post.description;
    summary.value = post.summary ?? ''; // change rows stored before the field lack it
    tags.value = post.tags.join(', ');
    categories.value = post.categories.join(', ');
    cover.value = post.coverImage ?? ''; // change rows stored before the field lack it
    coverStatus.textContent = '';
    showCover();
    when.load(post.startsAt, post.timezone);
    status.value = post.status;
    // Readers have seen a public post: it cannot go back to draft (the server says 409 post-public).
    const draftOption = status.querySelector<HTMLOptionElement>('option[value="draft"]');
    if (draftOption) draftOption.disabled = post.status !== 'draft';
    language.value = post.language;
    languageHint.textContent = post.languageIsDefault ? `The site's default (${post.language}); type another to give this post its own.` : '';
    dirty = false;
  };
  fill(current());
  const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const post = current();
    const timezone = when.zone.value();
    const startsAt = when.toSave();
    if (!when.zone.validate() || timezone === undefined || startsAt === undefined) {
      message.textContent = 'Not saved: check the start time and the time zone.';
      return;
    }
    const tag = canonicalLanguage(language.value);
    language.setAttribute('aria-invalid', String(tag === undefined));
    if (tag === undefined) {
      message.textContent = 'Not saved: the language must be a BCP 47 tag such as en, de-AT or pt-BR.';
      language.focus();
      return;
    }
    // A post following the site's default keeps following it unless its language was changed.
    const languageChange = post.languageIsDefault && tag === post.language ? {} : { language: tag };
    try {
      const updated = await updatePost(post.slug, post.version, {
        title: title.value,
        slug: slug.value,
        description: description.value,
        summary: summary.value,
        tags: list(tags.value),
        categories: list(categories.value),
        coverImage: cover.value.trim() || null,
        startsAt,
        timezone,
        status: STATUSES.find((value) => value === status.value),
        ...languageChange,
      });
      message.textContent = 'Saved.';
      fill(updated);
    } catch (error) {
      const current = stale(error);
      message.textContent = current ? 'Someone else changed the settings meanwhile; the form now shows theirs. Apply your change again.' : `Not saved: ${error instanceof Error ? error.message : String(error)}`;
      if (current?.post) fill(current.post);
    }
  });
  // One click for the transitions a newsroom makes during an event.
  const statusAction = root.querySelector<HTMLButtonElement>('#status-action');
  const next: Record<PostStatus, [PostStatus, string]> = { draft: ['live', 'Go live'], scheduled: ['live', 'Go live'], live: ['ended', 'End liveblog'], ended: ['live', 'Reopen'] };
  const showStatusAction = (post: Post) => {
    if (!statusAction) return;
    statusAction.hidden = false;
    statusAction.textContent = next[post.status][1];
    // Before the event, going live is the one thing left to do: the button says so.
    statusAction.classList.toggle('primary', post.status === 'scheduled' || post.status === 'draft');
  };
  statusAction?.addEventListener('click', async () => {
    const post = current();
    const [target, label] = next[post.status];
    if (target === 'ended' && statusAction && !(await confirmInline(statusAction, { message: 'End this liveblog? Readers see it has ended; you can reopen it.', confirm: 'End it now', cancel: 'Keep it live' }))) return;
    try {
      await updatePost(post.slug, post.version, { status: target });
    } catch (error) {
      showErrorAfter(statusAction!.parentElement!, `${label} failed: ${errorText(error)}`);
    }
  });
  showStatusAction(current());
  return {
    update: (post) => {
      showStatusAction(post);
      if (!dirty) fill(post);
    },
  };
}
