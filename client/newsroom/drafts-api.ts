import type { Draft, DraftPatch, Entry, EntryInput } from '../../contract/index.js';
import { api } from '../http.js';

/** The newsroom's calls for entries before they are public (issue 17); the server checks every role. */

/** The draft with its entry fields (headline, co-authors, location, tags, claim), as the composer's commands set them. */
export type DraftSave = Pick<EntryInput, 'headline' | 'authors' | 'location' | 'tags' | 'claim'> & { body: string; keyEvent: boolean; state: 'draft' | 'submitted' | 'scheduled'; publishAt?: string };

export function saveDraft(slug: string, input: DraftSave): Promise<Draft> {
  return api('POST', `/api/posts/${slug}/drafts`, { json: input });
}

export function updateDraft(draft: Draft, patch: DraftPatch): Promise<Draft> {
  return api('PATCH', `/api/drafts/${draft.id}`, { json: patch, headers: { 'if-match': String(draft.version) } });
}

export function deleteDraft(draft: Draft): Promise<void> {
  return api('DELETE', `/api/drafts/${draft.id}`, { headers: { 'if-match': String(draft.version) } });
}

export function publishDraft(draft: Draft): Promise<Entry> {
  return api('POST', `/api/drafts/${draft.id}/publish`, { headers: { 'if-match': String(draft.version) } });
}

export function approveDraft(draft: Draft): Promise<Entry> {
  return api('POST', `/api/drafts/${draft.id}/approve`, { headers: { 'if-match': String(draft.version) } });
}

export function returnDraft(draft: Draft, note: string): Promise<Draft> {
  return api('POST', `/api/drafts/${draft.id}/return`, { json: { note }, headers: { 'if-match': String(draft.version) } });
}

export function rejectDraft(draft: Draft, note: string): Promise<Draft> {
  return api('POST', `/api/drafts/${draft.id}/reject`, { json: note ? { note } : {}, headers: { 'if-match': String(draft.version) } });
}
