/**
 * The site's service worker: after one visit, every lesson works with the network off.
 *
 * On install it fetches the list of every file the pages and lessons need (written by
 * scripts/build-web.mjs to dist/web/precache.json) and keeps a copy of each. It answers
 * the site's requests from the network first, refreshing its copy, and falls back to
 * the copy when the network fails — so a rebuild still shows on reload (as the server's
 * `Cache-Control: no-cache` intends), and nothing is stale while online. A lesson page
 * differs only in its query (`lesson.html?lesson=scaling`), so fallbacks ignore it.
 */
/**
 * The copies kept by this version of the worker. The copies keep the server's headers,
 * Content-Security-Policy included, so a page answered from them keeps its policy;
 * copies made before the policy existed ('attention-lab') are dropped on activation.
 */
const cacheName = 'attention-lab-v2';
const siteRoot = new URL('./', self.location);
const precacheListUrl = new URL('../dist/web/precache.json', self.location);

async function precache() {
  const response = await fetch(precacheListUrl, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`no precache list at ${precacheListUrl}`);
  const { files } = await response.json();
  const cache = await caches.open(cacheName);
  await cache.addAll(files.map((file) => new URL(file, siteRoot).href));
}

/** The network's answer (kept for later), or the kept copy when the network fails. */
async function networkThenCache(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const copy = response.clone();
      caches.open(cacheName).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const kept = (await caches.match(request)) ?? (await caches.match(request, { ignoreSearch: true }));
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

/** Deletes every cache but this version's. */
async function dropOldCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name !== cacheName).map((name) => caches.delete(name)));
}

self.addEventListener('activate', (event) => {
  event.waitUntil(dropOldCaches().then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkThenCache(request));
});
