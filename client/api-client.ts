import type {
  SessionInfo,
  ChangesPage,
  DeletedEntries,
  Entry,
  EntryInput,
  EntryPage,
  EntryPatch,
  EntryRevisions,
  LatestPage,
  Post,
  PostInput,
  PostPatch,
  Preview,
  PreviewInput,
  SearchResult,
  SiteInput,
  SiteSettings,
  TokenCreated,
  TokenInput,
  TokenList,
  Upload,
  User,
  UserInput,
  UserList,
  UserPatch,
  PeopleList,
  Profile,
  ProfilePatch,
} from '../contract/index.js';
import { ApiError, api, read } from './http.js';

/**
 * Every endpoint the browser calls, one typed function each: its method, URL, headers (If-Match,
 * Idempotency-Key) and the request and answer types from contract/ are written here and nowhere
 * else. The reader bundle uses the public reads only; esbuild leaves the rest out of it.
 */

const post = (slug: string) => `/api/posts/${encodeURIComponent(slug)}`;
const entry = (id: number) => `/api/entries/${id}`;
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

// --- Public reads: the reader page and the desk -----------------------------------------------

export const latest = (slug: string) => read<LatestPage>(post(slug));

export const entriesBefore = (slug: string, cursor: string, limit: number) => read<EntryPage>(`${post(slug)}/entries?before=${encodeURIComponent(cursor)}&limit=${limit}`);

/** The page just after a cursor ("Load later entries" on an ended post read from its start). */
export const entriesAfter = (slug: string, cursor: string, limit: number) => read<EntryPage>(`${post(slug)}/entries?after=${encodeURIComponent(cursor)}&limit=${limit}`);

/** The page that ends with the last entry shown at or before `at` (an ISO instant): jump to a time. */
export const entriesAt = (slug: string, at: string, limit: number) => read<EntryPage>(`${post(slug)}/entries?at=${encodeURIComponent(at)}&limit=${limit}`);

/** Find-in-post: the newest `limit` live entries whose text has the words of `q`. */
export const searchPost = (slug: string, q: string, limit: number, signal?: AbortSignal) =>
  read<SearchResult>(`${post(slug)}/search?q=${encodeURIComponent(q)}&limit=${limit}`, signal);

/** `poll`: a page without a socket following the log; the answer may be a second old (and cached for that second). */
export const changesSince = (slug: string, since: number, signal?: AbortSignal, poll = false) =>
  read<ChangesPage>(`${post(slug)}/changes?since=${since}${poll ? '&poll=1' : ''}`, signal);

/** A bounded page of the log: the reader page counts what is new since the last visit from a few of them. */
export const changesPage = (slug: string, since: number, limit: number, signal?: AbortSignal) =>
  read<ChangesPage>(`${post(slug)}/changes?since=${since}&limit=${limit}`, signal);

// --- Posts ------------------------------------------------------------------------------------

/** Who this browser is signed in as, right now (the cookie is shared by every tab). */
export const session = () => api<SessionInfo>('GET', '/api/session');

export const createPost = (input: PostInput) => api<Post>('POST', '/api/posts', { json: input });

export const updatePost = (slug: string, version: number, patch: PostPatch) => api<Post>('PATCH', post(slug), { json: patch, headers: ifMatch(version) });

// --- Entries and the desk ---------------------------------------------------------------------

export const preview = (input: PreviewInput) => api<Preview>('POST', '/api/preview', { json: input });

/** The key is made when the entry is typed, so a retry can never publish it twice. */
export const createEntry = (slug: string, input: EntryInput, idempotencyKey: string) =>
  api<Entry>('POST', `${post(slug)}/entries`, { json: input, headers: { 'idempotency-key': idempotencyKey } });

export const updateEntry = (id: number, version: number, patch: EntryPatch) => api<Entry>('PATCH', entry(id), { json: patch, headers: ifMatch(version) });

export const deleteEntry = (id: number, version: number) => api<void>('DELETE', entry(id), { headers: ifMatch(version) });

export const restoreEntry = (id: number, version: number) => api<Entry>('POST', `${entry(id)}/restore`, { headers: ifMatch(version) });

export const pin = (id: number) => api<Entry>('PUT', `${entry(id)}/pin`);

export const unpin = (id: number) => api<Entry>('DELETE', `${entry(id)}/pin`);

export const entryRevisions = (id: number) => api<EntryRevisions>('GET', `${entry(id)}/revisions`);

export const deletedEntries = (slug: string) => api<DeletedEntries>('GET', `${post(slug)}/deleted`);

/** Multipart, field `file`; the server checks the bytes. */
export function upload(file: File): Promise<Upload> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<Upload>('POST', '/api/uploads', { body: form });
}

// --- People -------------------------------------------------------------------------------------

/** The newsroom's names for `@name` (issue 17). */
export const listPeople = () => api<PeopleList>('GET', '/api/people');
export const getProfile = () => api<Profile>('GET', '/api/profile');
export const saveProfile = (patch: ProfilePatch) => api<Profile>('PATCH', '/api/profile', { json: patch });
export function uploadAvatar(file: File): Promise<Profile> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<Profile>('PUT', '/api/profile/avatar', { body: form });
}
export const removeAvatar = () => api<Profile>('DELETE', '/api/profile/avatar');

export const listUsers = () => api<UserList>('GET', '/api/users');

export const createUser = (input: UserInput) => api<User>('POST', '/api/users', { json: input });

export const updateUser = (id: number, patch: UserPatch) => api<User>('PATCH', `/api/users/${id}`, { json: patch });

export const listTokens = () => api<TokenList>('GET', '/api/tokens');

/** The secret is in this answer only. */
export const createToken = (input: TokenInput) => api<TokenCreated>('POST', '/api/tokens', { json: input });

export const revokeToken = (id: number) => api<void>('DELETE', `/api/tokens/${id}`);

// --- The site's branding (admins) ----------------------------------------------------------------

export const getSite = () => api<SiteSettings>('GET', '/api/site');

export const saveSite = (version: number, input: SiteInput) => api<SiteSettings>('PUT', '/api/site', { json: input, headers: ifMatch(version) });

// --- Stale versions ---------------------------------------------------------------------------

/** What a 412 (stale If-Match) answer carries besides the problem: the current `entry` or `post`. */
export type Stale = Partial<{ entry: Entry; post: Post; site: SiteSettings }>;

/** The current version when `error` is a 412, so the editor can show it; otherwise undefined. */
export function stale(error: unknown): Stale | undefined {
  return error instanceof ApiError && error.status === 412 ? (error.problem as Stale) : undefined;
}
