import { describe, expect, it } from 'vitest';
import { parseStart, recognise } from './recognise.js';

/**
 * Real URL shapes, as readers and reporters copy them from each provider's address bar and share
 * buttons, and the embed URL each one must load after the reader's click.
 */
const SAMPLES: [provider: string, url: string, embedUrl: string][] = [
  ['youtube', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
  ['youtube', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90'],
  ['youtube', 'https://m.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1234567890&index=2', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
  ['youtube', 'https://youtu.be/dQw4w9WgXcQ?si=AbCdEfGh&t=42', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42'],
  ['youtube', 'https://www.youtube.com/shorts/aqz-KE-bpKQ', 'https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ'],
  ['youtube', 'https://www.youtube.com/live/jfKfPfyJRdk?si=x&t=3600', 'https://www.youtube-nocookie.com/embed/jfKfPfyJRdk?start=3600'],
  ['youtube', 'https://www.youtube.com/embed/dQw4w9WgXcQ?start=30', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30'],
  ['youtube', 'https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI', 'https://www.youtube-nocookie.com/embed/videoseries?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI'],
  ['vimeo', 'https://vimeo.com/76979871', 'https://player.vimeo.com/video/76979871?dnt=1'],
  ['vimeo', 'https://vimeo.com/76979871/8272103f6e', 'https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1'],
  ['vimeo', 'https://vimeo.com/channels/staffpicks/76979871#t=30s', 'https://player.vimeo.com/video/76979871?dnt=1#t=30s'],
  ['vimeo', 'https://player.vimeo.com/video/76979871?h=8272103f6e&badge=0', 'https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1'],
  ['x', 'https://twitter.com/jack/status/20', 'https://twitter.com/jack/status/20'],
  ['x', 'https://x.com/NASA/status/1795497427562643788?s=20', 'https://twitter.com/NASA/status/1795497427562643788'],
  ['x', 'https://mobile.twitter.com/BBCBreaking/status/1234567890123456789/photo/1', 'https://twitter.com/BBCBreaking/status/1234567890123456789'],
  ['instagram', 'https://www.instagram.com/p/C5hT3PZt2Hn/?utm_source=ig_web_copy_link', 'https://www.instagram.com/p/C5hT3PZt2Hn/'],
  ['instagram', 'https://www.instagram.com/reel/C6aBcDeFgHi/', 'https://www.instagram.com/reel/C6aBcDeFgHi/'],
  ['instagram', 'https://www.instagram.com/natgeo/p/C5hT3PZt2Hn/', 'https://www.instagram.com/p/C5hT3PZt2Hn/'],
  ['bluesky', 'https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l', 'https://embed.bsky.app/embed/bsky.app/app.bsky.feed.post/3l6oveex3ii2l'],
  ['bluesky', 'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l', 'https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l'],
  ['mastodon', 'https://mastodon.social/@Gargron/109347723389231223', 'https://mastodon.social/@Gargron/109347723389231223/embed'],
  ['mastodon', 'https://social.example.org/users/reporter/statuses/113000000000000001', 'https://social.example.org/@reporter/113000000000000001/embed'],
  ['tiktok', 'https://www.tiktok.com/@scout2015/video/6718335390845095173?is_from_webapp=1', 'https://www.tiktok.com/@scout2015/video/6718335390845095173'],
  ['facebook', 'https://www.facebook.com/20531316728/posts/10154009990506729/', 'https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F20531316728%2Fposts%2F10154009990506729&show_text=true&width=500'],
  ['facebook', 'https://www.facebook.com/facebook/videos/10153231379946729/', 'https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Ffacebook%2Fvideos%2F10153231379946729&show_text=false&width=500'],
  ['facebook', 'https://www.facebook.com/watch/?v=10153231379946729', 'https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D10153231379946729&show_text=false&width=500'],
  ['facebook', 'https://www.facebook.com/permalink.php?story_fbid=pfbid0abcdefghijk123&id=100064', 'https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fpermalink.php%3Fstory_fbid%3Dpfbid0abcdefghijk123%26id%3D100064&show_text=true&width=500'],
  ['threads', 'https://www.threads.net/@zuck/post/C8Hx3Y2Ryl4', 'https://www.threads.net/@zuck/post/C8Hx3Y2Ryl4/embed'],
  ['threads', 'https://www.threads.com/@mosseri/post/DAbCdEfGhIj?xmt=abc', 'https://www.threads.com/@mosseri/post/DAbCdEfGhIj/embed'],
  ['spotify', 'https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT?si=1a2b3c', 'https://open.spotify.com/embed/track/4cOdK2wGLETKBW3PvgPWqT'],
  ['spotify', 'https://open.spotify.com/intl-de/episode/512ojhOuo1ktJprKbVcKyQ', 'https://open.spotify.com/embed/episode/512ojhOuo1ktJprKbVcKyQ'],
  ['spotify', 'https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M', 'https://open.spotify.com/embed/playlist/37i9dQZF1DXcBWIGoYBM5M'],
  ['soundcloud', 'https://soundcloud.com/forss/flickermood', 'https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood'],
  ['soundcloud', 'https://soundcloud.com/forss/sets/soulhack', 'https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fsets%2Fsoulhack'],
  ['applepodcasts', 'https://podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652345678', 'https://embed.podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652345678'],
  ['applepodcasts', 'https://podcasts.apple.com/gb/podcast/the-rest-is-politics/id1611374685', 'https://embed.podcasts.apple.com/gb/podcast/the-rest-is-politics/id1611374685'],
  ['datawrapper', 'https://datawrapper.dwcdn.net/Ls5zZ/4/', 'https://datawrapper.dwcdn.net/Ls5zZ/4/'],
  ['datawrapper', 'https://www.datawrapper.de/_/Ls5zZ/', 'https://datawrapper.dwcdn.net/Ls5zZ/'],
  ['flourish', 'https://public.flourish.studio/visualisation/1810417/', 'https://flo.uri.sh/visualisation/1810417/embed'],
  ['flourish', 'https://public.flourish.studio/story/2270843/', 'https://flo.uri.sh/story/2270843/embed'],
  ['googlemaps', 'https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z/data=!3m1!4b1', 'https://www.google.com/maps?q=Eiffel%20Tower&z=17&output=embed'],
  ['googlemaps', 'https://www.google.com/maps/@51.5007292,-0.1246254,15z', 'https://www.google.com/maps?q=51.5007292%2C-0.1246254&z=15&output=embed'],
  ['googlemaps', 'https://maps.google.com/?q=Brandenburger+Tor', 'https://www.google.com/maps?q=Brandenburger%20Tor&output=embed'],
  ['googlemaps', 'https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2624.99!2d2.29!3d48.85', 'https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2624.99!2d2.29!3d48.85'],
];

describe('recognise: each provider’s real URL shapes', () => {
  it.each(SAMPLES)('%s: %s', (provider, url, embedUrl) => {
    const found = recognise(url);
    expect(found?.provider).toBe(provider);
    expect(found?.embedUrl).toBe(embedUrl);
  });

  it('keeps the start time in the link readers follow', () => {
    expect(recognise('https://youtu.be/dQw4w9WgXcQ?t=1h2m3s')?.url).toBe('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3723s');
    expect(parseStart('2m')).toBe(120);
    expect(parseStart('nonsense')).toBe(0);
  });

  it('knows a place’s name from a Maps link, and a Short is vertical', () => {
    expect(recognise('https://www.google.com/maps/place/Eiffel+Tower/@48.85,2.29,17z')?.title).toBe('Eiffel Tower');
    expect(recognise('https://www.youtube.com/shorts/aqz-KE-bpKQ')?.shape).toBe('vertical');
  });
});

describe('recognise: what is nobody’s embed', () => {
  it.each([
    ['a look-alike host', 'https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ'],
    ['a suffix of the host', 'https://evilyoutube.com/watch?v=dQw4w9WgXcQ'],
    ['a provider path on another host', 'https://evil.example/embed/dQw4w9WgXcQ'],
    ['javascript: dressed as YouTube', 'javascript://www.youtube.com/watch?v=dQw4w9WgXcQ'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a quote smuggled into the id', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ"onload=alert(1)'],
    ['an id of the wrong length', 'https://www.youtube.com/watch?v=dQw4w9WgXcQQQ'],
    ['credentials in the URL', 'https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ'],
    ['YouTube’s home page', 'https://www.youtube.com/'],
    ['an X profile', 'https://x.com/jack'],
    ['SoundCloud’s own pages', 'https://soundcloud.com/discover/sets'],
    ['Mastodon shape over http', 'http://mastodon.social/@Gargron/109347723389231223'],
    ['Mastodon shape on a port', 'https://mastodon.social:8443/@Gargron/109347723389231223'],
    ['Mastodon shape without a number', 'https://medium.com/@someone/a-story-1a2b3c'],
    ['a TikTok short link (needs the network)', 'https://vm.tiktok.com/ZMabcdef/'],
  ])('%s', (_name, url) => {
    expect(recognise(url)).toBeUndefined();
  });

  it('rebuilds the embed URL from the id, dropping everything else the author added', () => {
    const found = recognise('https://www.youtube.com/watch?v=dQw4w9WgXcQ&autoplay=1&enablejsapi=1&origin=https%3A%2F%2Fevil.example#onload=x');
    expect(found?.embedUrl).toBe('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  });
});
