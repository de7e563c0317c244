/**
 * A link from the desk to the post's insights (issue 19): charts drawn on the server, the same
 * page serving as the after-event report (/admin/posts/:slug/insights).
 */
export function setupInsightsLink(root: HTMLElement, slug: () => string): void {
  const reader = root.querySelector<HTMLAnchorElement>('#reader-link');
  if (!reader) return;
  const link = document.createElement('a');
  link.id = 'insights-link';
  link.textContent = 'Insights';
  const update = () => (link.href = `/admin/posts/${encodeURIComponent(slug())}/insights`);
  update();
  reader.after(' · ', link);
  link.addEventListener('focus', update);
  link.addEventListener('pointerenter', update);
}
