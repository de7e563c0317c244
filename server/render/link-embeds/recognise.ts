import type { LinkEmbedProvider, LinkEmbedShape } from '../../../contract/link-embeds.js';

/**
 * Which provider a URL belongs to, from the URL alone (no network: this runs in the render
 * workers at write time). Every provider is matched on exact host names (never a suffix, so
 * youtube.com.evil.example is nobody's) and on the path shapes it really publishes; the embed URL
 * is rebuilt from the parts we recognised (an id, a time), never copied from the input, so
 * nothing an author adds to a URL reaches a frame's `src`.
 */

export type Recognised = {
  provider: LinkEmbedProvider;
  /** The link readers follow without JavaScript (and the script providers render). */
  url: string;
  /** What is loaded after the click: the frame's `src`, or for script providers the post's URL. */
  embedUrl: string;
  shape: LinkEmbedShape;
  /** When the URL itself says it (a place's name); the iframe code's title otherwise. */
  title?: string;
};

type Matcher = (url: URL) => Omit<Recognised, 'provider'> | undefined;

const hosts = (...names: string[]) => new Set(names);
const segments = (url: URL) => url.pathname.split('/').filter(Boolean);

// --- YouTube ---------------------------------------------------------------------------------

const YOUTUBE_HOSTS = hosts('youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtube-nocookie.com', 'www.youtube-nocookie.com');
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

/** `90`, `90s`, `1m30s`, `1h2m3s` → seconds; anything else → 0. */
export function parseStart(value: string | null): number {
  if (!value) return 0;
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match || value === '') return 0;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

const youtube: Matcher = (url) => {
  let id: string | undefined;
  let shape: LinkEmbedShape = 'video';
  const parts = segments(url);
  if (url.hostname === 'youtu.be') id = parts[0];
  else if (YOUTUBE_HOSTS.has(url.hostname)) {
    if (parts[0] === 'watch' && parts.length === 1) id = url.searchParams.get('v') ?? undefined;
    else if (['shorts', 'live', 'embed', 'v'].includes(parts[0] ?? '') && parts.length === 2) {
      id = parts[1];
      if (parts[0] === 'shorts') shape = 'vertical';
    } else if (parts[0] === 'playlist' && parts.length === 1) {
      const list = url.searchParams.get('list');
      if (!list || !/^[A-Za-z0-9_-]{10,64}$/.test(list)) return undefined;
      return {
        url: `https://www.youtube.com/playlist?list=${list}`,
        embedUrl: `https://www.youtube-nocookie.com/embed/videoseries?list=${list}`,
        shape,
      };
    }
  }
  if (!id || !YOUTUBE_ID.test(id)) return undefined;
  const hash = new URLSearchParams(url.hash.slice(1));
  const start = parseStart(url.searchParams.get('t') ?? url.searchParams.get('start') ?? hash.get('t'));
  const page = shape === 'vertical' ? `https://www.youtube.com/shorts/${id}` : `https://www.youtube.com/watch?v=${id}${start ? `&t=${start}s` : ''}`;
  return { url: page, embedUrl: `https://www.youtube-nocookie.com/embed/${id}${start ? `?start=${start}` : ''}`, shape };
};

// --- Vimeo -----------------------------------------------------------------------------------

const vimeo: Matcher = (url) => {
  const parts = segments(url);
  let id: string | undefined;
  let hash: string | undefined;
  if (url.hostname === 'player.vimeo.com') {
    if (parts[0] === 'video' && parts.length === 2) id = parts[1];
    hash = url.searchParams.get('h') ?? undefined;
  } else if (url.hostname === 'vimeo.com' || url.hostname === 'www.vimeo.com') {
    if (parts.length === 1 || (parts.length === 2 && /^[0-9a-f]{6,20}$/.test(parts[1]!))) {
      id = parts[0];
      hash = parts[1];
    } else if (parts[0] === 'channels' && parts.length === 3) id = parts[2];
    else if (parts[0] === 'groups' && parts[2] === 'videos' && parts.length === 4) id = parts[3];
    else if ((parts[0] === 'album' || parts[0] === 'showcase') && parts[2] === 'video' && parts.length === 4) id = parts[3];
  }
  if (!id || !/^\d{1,12}$/.test(id)) return undefined;
  if (hash !== undefined && !/^[0-9a-f]{6,20}$/.test(hash)) hash = undefined;
  const start = parseStart(new URLSearchParams(url.hash.slice(1)).get('t'));
  const time = start ? `#t=${start}s` : '';
  return {
    url: `https://vimeo.com/${id}${hash ? `/${hash}` : ''}${time}`,
    embedUrl: `https://player.vimeo.com/video/${id}?${hash ? `h=${hash}&` : ''}dnt=1${time}`,
    shape: 'video',
  };
};

// --- X / Twitter -----------------------------------------------------------------------------

const X_HOSTS = hosts('twitter.com', 'www.twitter.com', 'mobile.twitter.com', 'x.com', 'www.x.com', 'mobile.x.com');
const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

const x: Matcher = (url) => {
  if (!X_HOSTS.has(url.hostname)) return undefined;
  const parts = segments(url);
  let user: string | undefined;
  let id: string | undefined;
  if (parts[0] === 'i' && parts[1] === 'web' && parts[2] === 'status' && parts.length === 4) [user, id] = ['i', parts[3]];
  else if (parts[0] === 'i' && parts[1] === 'status' && parts.length === 3) [user, id] = ['i', parts[2]];
  // A status, or one of its photos or videos (/status/<id>/photo/1).
  else if ((parts[1] === 'status' || parts[1] === 'statuses') && HANDLE.test(parts[0] ?? '') && (parts.length === 3 || (parts.length === 5 && /^(?:photo|video)$/.test(parts[3]!))))
    [user, id] = [parts[0], parts[2]];
  if (!user || !id || !/^\d{1,20}$/.test(id)) return undefined;
  const page = user === 'i' ? `https://twitter.com/i/web/status/${id}` : `https://twitter.com/${user}/status/${id}`;
  return { url: page, embedUrl: page, shape: 'post' };
};

// --- Instagram -------------------------------------------------------------------------------

const instagram: Matcher = (url) => {
  if (url.hostname !== 'instagram.com' && url.hostname !== 'www.instagram.com') return undefined;
  let parts = segments(url);
  // Newer links put the account first: /<user>/p/<code>/.
  if (parts.length >= 3 && ['p', 'reel', 'tv'].includes(parts[1]!)) parts = parts.slice(1);
  const [kind, code] = parts;
  if (!kind || !code || !['p', 'reel', 'reels', 'tv'].includes(kind) || !/^[A-Za-z0-9_-]{5,40}$/.test(code)) return undefined;
  const page = `https://www.instagram.com/${kind === 'reels' ? 'reel' : kind}/${code}/`;
  return { url: page, embedUrl: page, shape: 'post' };
};

// --- Bluesky ---------------------------------------------------------------------------------

const bluesky: Matcher = (url) => {
  if (url.hostname !== 'bsky.app') return undefined;
  const [profile, actor, post, rkey, ...rest] = segments(url);
  if (profile !== 'profile' || post !== 'post' || rest.length || !actor || !rkey) return undefined;
  if (!/^(?:did:[a-z]+:[A-Za-z0-9._:%-]{1,200}|[A-Za-z0-9.-]{1,253})$/.test(actor) || !/^[A-Za-z0-9._~:-]{1,64}$/.test(rkey)) return undefined;
  return {
    url: `https://bsky.app/profile/${actor}/post/${rkey}`,
    embedUrl: `https://embed.bsky.app/embed/${actor}/app.bsky.feed.post/${rkey}`,
    shape: 'post',
  };
};

// --- Threads ---------------------------------------------------------------------------------

const threads: Matcher = (url) => {
  const host = { 'threads.net': 'www.threads.net', 'www.threads.net': 'www.threads.net', 'threads.com': 'www.threads.com', 'www.threads.com': 'www.threads.com' }[url.hostname];
  if (!host) return undefined;
  const [user, post, code, ...rest] = segments(url);
  if (!user || post !== 'post' || !code || (rest.length && rest.join('/') !== 'embed')) return undefined;
  if (!/^@[A-Za-z0-9._]{1,30}$/.test(user) || !/^[A-Za-z0-9_-]{5,40}$/.test(code)) return undefined;
  return { url: `https://${host}/${user}/post/${code}`, embedUrl: `https://${host}/${user}/post/${code}/embed`, shape: 'post' };
};

// --- TikTok ----------------------------------------------------------------------------------

const tiktok: Matcher = (url) => {
  if (!hosts('tiktok.com', 'www.tiktok.com', 'm.tiktok.com').has(url.hostname)) return undefined;
  const parts = segments(url);
  if (parts.length === 3 && /^@[A-Za-z0-9._]{1,30}$/.test(parts[0]!) && parts[1] === 'video' && /^\d{8,25}$/.test(parts[2]!)) {
    const page = `https://www.tiktok.com/${parts[0]}/video/${parts[2]}`;
    return { url: page, embedUrl: page, shape: 'vertical' };
  }
  return undefined;
};

// --- Facebook --------------------------------------------------------------------------------

const FACEBOOK_HOSTS = hosts('facebook.com', 'www.facebook.com', 'm.facebook.com', 'web.facebook.com');
const FB_ID = /^(?:\d{1,25}|pfbid[A-Za-z0-9]{10,80})$/;
const FB_NAME = /^[A-Za-z0-9.-]{1,80}$/;

const facebook: Matcher = (url) => {
  let page: string | undefined;
  let video = false;
  const parts = segments(url);
  const q = (name: string) => url.searchParams.get(name) ?? '';
  if (url.hostname === 'fb.watch') {
    if (parts.length === 1 && /^[A-Za-z0-9_-]{5,20}$/.test(parts[0]!)) [page, video] = [`https://fb.watch/${parts[0]}/`, true];
  } else if (FACEBOOK_HOSTS.has(url.hostname)) {
    const base = 'https://www.facebook.com';
    const [a, b, c, d] = parts;
    // The plugin's own URL (from Facebook's iframe code) names the post or video in `href`.
    if (parts.length === 2 && a === 'plugins' && (b === 'post.php' || b === 'video.php')) {
      const inner = parseHttpUrl(q('href'));
      return inner && !segments(inner).includes('plugins') ? facebook(inner) : undefined;
    }
    if (parts.length === 3 && FB_NAME.test(a!) && b === 'posts' && FB_ID.test(c!)) page = `${base}/${a}/posts/${c}`;
    else if (parts.length === 3 && FB_NAME.test(a!) && b === 'videos' && FB_ID.test(c!)) [page, video] = [`${base}/${a}/videos/${c}`, true];
    else if (parts.length === 4 && FB_NAME.test(a!) && b === 'videos' && /^[A-Za-z0-9-]{1,120}$/.test(c!) && FB_ID.test(d!)) [page, video] = [`${base}/${a}/videos/${d}`, true];
    else if (parts.length === 4 && a === 'groups' && FB_NAME.test(b!) && (c === 'posts' || c === 'permalink') && FB_ID.test(d!)) page = `${base}/groups/${b}/posts/${d}`;
    else if (parts.length === 2 && a === 'reel' && FB_ID.test(b!)) [page, video] = [`${base}/reel/${b}`, true];
    else if (parts.length === 1 && a === 'watch' && /^\d{1,25}$/.test(q('v'))) [page, video] = [`${base}/watch/?v=${q('v')}`, true];
    else if (parts.length === 1 && (a === 'permalink.php' || a === 'story.php') && FB_ID.test(q('story_fbid')) && /^\d{1,25}$/.test(q('id'))) page = `${base}/permalink.php?story_fbid=${q('story_fbid')}&id=${q('id')}`;
    else if (parts.length === 3 && a === 'share' && ['p', 'v', 'r'].includes(b!) && /^[A-Za-z0-9]{5,40}$/.test(c!)) [page, video] = [`${base}/share/${b}/${c}/`, b !== 'p'];
  }
  if (!page) return undefined;
  return {
    url: page,
    embedUrl: `https://www.facebook.com/plugins/${video ? 'video' : 'post'}.php?href=${encodeURIComponent(page)}&show_text=${video ? 'false' : 'true'}&width=500`,
    shape: video ? 'video' : 'post',
  };
};

// --- Spotify ---------------------------------------------------------------------------------

const spotify: Matcher = (url) => {
  if (url.hostname !== 'open.spotify.com') return undefined;
  let parts = segments(url);
  if (parts[0] === 'embed') parts = parts.slice(1);
  if (/^intl-[a-z]{2}(?:-[A-Za-z]{2,4})?$/.test(parts[0] ?? '')) parts = parts.slice(1);
  const [kind, id, ...rest] = parts;
  if (rest.length || !kind || !id || !['track', 'album', 'playlist', 'episode', 'show', 'artist'].includes(kind) || !/^[A-Za-z0-9]{22}$/.test(id)) return undefined;
  return { url: `https://open.spotify.com/${kind}/${id}`, embedUrl: `https://open.spotify.com/embed/${kind}/${id}`, shape: kind === 'track' || kind === 'episode' ? 'audio' : 'playlist' };
};

// --- SoundCloud ------------------------------------------------------------------------------

/** First path segments that are SoundCloud's own pages, not an artist. */
const SOUNDCLOUD_RESERVED = new Set(['discover', 'stream', 'you', 'search', 'upload', 'pages', 'jobs', 'charts', 'settings', 'messages', 'notifications', 'pro', 'imprint', 'terms-of-use', 'mobile', 'people', 'tags', 'popular', 'connect', 'signin', 'logout']);

const soundcloud: Matcher = (url) => {
  let parts = segments(url);
  if (url.hostname === 'w.soundcloud.com' && parts[0] === 'player') {
    // The player's own URL (from an iframe code) names the track in `url=`.
    try {
      const inner = new URL(url.searchParams.get('url') ?? '');
      if (inner.hostname !== 'api.soundcloud.com' || !/^\/(?:tracks|playlists)\/\d{1,20}$/.test(inner.pathname)) return undefined;
      const track = `https://api.soundcloud.com${inner.pathname}`;
      return { url: track, embedUrl: `https://w.soundcloud.com/player/?url=${encodeURIComponent(track)}`, shape: inner.pathname.startsWith('/playlists') ? 'playlist' : 'audio' };
    } catch {
      return undefined;
    }
  }
  if (!hosts('soundcloud.com', 'www.soundcloud.com', 'm.soundcloud.com').has(url.hostname)) return undefined;
  const slug = /^[A-Za-z0-9_-]{1,100}$/;
  if (!parts.every((part) => slug.test(part)) || SOUNDCLOUD_RESERVED.has(parts[0] ?? '')) return undefined;
  const set = parts.length === 3 && parts[1] === 'sets';
  if (parts.length !== 2 && !set) return undefined;
  if (parts.length === 2 && ['sets', 'tracks', 'albums', 'likes', 'followers', 'following', 'reposts', 'popular-tracks'].includes(parts[1]!)) return undefined;
  parts = parts.slice(0, 3);
  const page = `https://soundcloud.com/${parts.join('/')}`;
  return { url: page, embedUrl: `https://w.soundcloud.com/player/?url=${encodeURIComponent(page)}`, shape: set ? 'playlist' : 'audio' };
};

// --- Apple Podcasts --------------------------------------------------------------------------

const applePodcasts: Matcher = (url) => {
  if (url.hostname !== 'podcasts.apple.com' && url.hostname !== 'embed.podcasts.apple.com') return undefined;
  const parts = segments(url);
  const [country, podcast, slug, id] = parts.length === 3 ? [parts[0], parts[1], undefined, parts[2]] : parts;
  if (parts.length < 3 || parts.length > 4 || !/^[a-z]{2}$/.test(country ?? '') || podcast !== 'podcast' || !/^id\d{1,15}$/.test(id ?? '')) return undefined;
  if (slug !== undefined && !/^[A-Za-z0-9%_-]{1,200}$/.test(slug)) return undefined;
  const episode = url.searchParams.get('i');
  const path = `${country}/podcast/${slug ? `${slug}/` : ''}${id}${episode && /^\d{1,20}$/.test(episode) ? `?i=${episode}` : ''}`;
  return { url: `https://podcasts.apple.com/${path}`, embedUrl: `https://embed.podcasts.apple.com/${path}`, shape: episode ? 'audio' : 'playlist' };
};

// --- Datawrapper and Flourish ----------------------------------------------------------------

const datawrapper: Matcher = (url) => {
  const parts = segments(url);
  let id: string | undefined;
  let version: string | undefined;
  if (url.hostname === 'datawrapper.dwcdn.net') [id, version] = parts.length <= 2 ? parts : [];
  else if ((url.hostname === 'www.datawrapper.de' || url.hostname === 'datawrapper.de') && parts[0] === '_' && parts.length === 2) id = parts[1];
  if (!id || !/^[A-Za-z0-9]{5}$/.test(id) || (version !== undefined && !/^\d{1,4}$/.test(version))) return undefined;
  const chart = `https://datawrapper.dwcdn.net/${id}/${version ? `${version}/` : ''}`;
  return { url: chart, embedUrl: chart, shape: 'chart' };
};

const flourish: Matcher = (url) => {
  if (url.hostname !== 'public.flourish.studio' && url.hostname !== 'flo.uri.sh') return undefined;
  const [kind, id, ...rest] = segments(url);
  if (!kind || !id || !['visualisation', 'story'].includes(kind) || !/^\d{1,12}$/.test(id)) return undefined;
  if (rest.length > 1 || (rest.length === 1 && rest[0] !== 'embed')) return undefined;
  return { url: `https://public.flourish.studio/${kind}/${id}/`, embedUrl: `https://flo.uri.sh/${kind}/${id}/embed`, shape: 'chart' };
};

// --- Google Maps -----------------------------------------------------------------------------

const googleMaps: Matcher = (url) => {
  const google = url.hostname === 'www.google.com' || url.hostname === 'google.com';
  if (!google && url.hostname !== 'maps.google.com') return undefined;
  const parts = segments(url);
  if (google && parts[0] !== 'maps') return undefined;
  const rest = google ? parts.slice(1) : parts.filter((part) => part !== 'maps');
  const embed = (query: string, zoom: string | undefined, title?: string) => {
    const z = zoom && /^\d{1,2}(?:\.\d+)?$/.test(zoom) ? `&z=${Math.round(Number(zoom))}` : '';
    return {
      url: `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(query)}`,
      embedUrl: `https://www.google.com/maps?q=${encodeURIComponent(query)}${z}&output=embed`,
      shape: 'map' as const,
      ...(title ? { title } : {}),
    };
  };
  // A map's embed code (Share → Embed a map): the `pb` parameter is Google's own encoding.
  if (rest[0] === 'embed' && rest.length === 1) {
    const pb = url.searchParams.get('pb');
    if (!pb || !/^[A-Za-z0-9!.:%_-]{1,2000}$/.test(pb)) return undefined;
    const map = `https://www.google.com/maps/embed?pb=${pb}`;
    return { url: map, embedUrl: map, shape: 'map' };
  }
  const at = rest.map((part) => /^@(-?\d{1,3}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?)z)?/.exec(part)).find(Boolean);
  const named = (kind: string) => {
    const index = rest.indexOf(kind);
    const name = index >= 0 ? rest[index + 1] : undefined;
    if (!name || name.startsWith('@')) return undefined;
    try {
      return decodeURIComponent(name.replace(/\+/g, ' ')).slice(0, 200);
    } catch {
      return undefined;
    }
  };
  const place = named('place') ?? named('search');
  if (place) return embed(place, at?.[3], place);
  if (at) return embed(`${at[1]},${at[2]}`, at[3]);
  const query = url.searchParams.get('q') ?? url.searchParams.get('query');
  if (rest.length <= 1 && query && query.length <= 200 && (rest.length === 0 || rest[0] === 'search' || rest[0] === 'place')) return embed(query, url.searchParams.get('z') ?? undefined, query);
  return undefined;
};

// --- Mastodon (any instance, by the shape of its URLs) ----------------------------------------

/** Hosts whose /@user/123 URLs are not Mastodon statuses. */
const NOT_MASTODON = hosts('medium.com', 'www.medium.com', 'youtube.com', 'www.youtube.com', 'tiktok.com', 'www.tiktok.com', 'threads.net', 'www.threads.net', 'threads.com', 'www.threads.com');

const mastodon: Matcher = (url) => {
  if (url.protocol !== 'https:' || url.port !== '' || NOT_MASTODON.has(url.hostname) || !/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/.test(url.hostname)) return undefined;
  const parts = segments(url);
  let user: string | undefined;
  let id: string | undefined;
  if (parts.length === 2 || (parts.length === 3 && parts[2] === 'embed')) [user, id] = [parts[0]?.startsWith('@') ? parts[0].slice(1) : undefined, parts[1]];
  else if (parts.length === 4 && parts[0] === 'users' && parts[2] === 'statuses') [user, id] = [parts[1], parts[3]];
  if (!user || !id || !/^[A-Za-z0-9_]{1,30}$/.test(user) || !/^\d{1,20}$/.test(id)) return undefined;
  const status = `https://${url.hostname}/@${user}/${id}`;
  return { url: status, embedUrl: `${status}/embed`, shape: 'post' };
};

/** In order: the first provider that knows the URL wins (Mastodon, matched by shape, comes last). */
const MATCHERS: [LinkEmbedProvider, Matcher][] = [
  ['youtube', youtube],
  ['vimeo', vimeo],
  ['x', x],
  ['instagram', instagram],
  ['bluesky', bluesky],
  ['tiktok', tiktok],
  ['facebook', facebook],
  ['threads', threads],
  ['spotify', spotify],
  ['soundcloud', soundcloud],
  ['applepodcasts', applePodcasts],
  ['datawrapper', datawrapper],
  ['flourish', flourish],
  ['googlemaps', googleMaps],
  ['mastodon', mastodon],
];

/** An absolute http(s) URL without credentials, or undefined. */
export function parseHttpUrl(text: string): URL | undefined {
  if (text.length > 2000 || /[\s<>"'`\\]/.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !url.hostname) return undefined;
  return url;
}

/** The provider of a lone URL, or undefined (a link card then). */
export function recognise(text: string): Recognised | undefined {
  const url = parseHttpUrl(text);
  if (!url) return undefined;
  for (const [provider, match] of MATCHERS) {
    const found = match(url);
    if (found) return { provider, ...found };
  }
  return undefined;
}
