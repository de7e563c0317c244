/**
 * One polite live region for changes of state in the reader page's header: the connection going
 * down and coming back, the post going live or ending, what arrived since the last visit. A
 * screen reader hears each change once, never a countdown's tick (the countdown is not in a live
 * region) and never a state that did not change. Entries have their own region (#announcer,
 * timeline.ts), so the two never overwrite each other.
 */
export function announceStatus(text: string): void {
  const region = document.getElementById('status-announcer');
  if (!region) return;
  // The same sentence twice in a row (offline, back, offline) must be heard twice: clear first.
  region.textContent = '';
  window.setTimeout(() => (region.textContent = text), 50);
}
