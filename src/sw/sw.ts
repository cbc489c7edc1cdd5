/**
 * The service worker: makes the app work offline after one visit.
 *
 * `scripts/build-sw.mjs` bundles this file into `dist/sw.js` after `vite build`, replacing
 * PRECACHE (every file of the build, relative to the worker) and VERSION (a hash of their
 * contents). A new build therefore changes sw.js byte for byte, which is how browsers notice
 * an update.
 *
 * Lifecycle, chosen so that an open session never breaks:
 *  - install: fetch the whole build into a cache named after the scope and the version.
 *    No skipWaiting(): while any tab still runs the old version, the new worker waits, and
 *    the old cache keeps serving that tab's lazily loaded files (the engine worker script).
 *  - activate (the next visit, once no old tab is left): delete this scope's older caches,
 *    then claim the page.
 *  - fetch: same-origin GETs inside the scope only. Navigations get the cached app shell
 *    (index.html, whatever the query or fragment: `?url=`, `#frame=`); build files come
 *    cache-first; anything else goes to the network untouched. Requests to other origins
 *    (a capture named by `?url=`) are never intercepted.
 */
export {}; // a module, so that `self` below shadows the global with the service-worker type
declare const self: ServiceWorkerGlobalScope;
declare const PRECACHE: string[];
declare const VERSION: string;

const SCOPE = self.registration.scope;
const PREFIX = `seqscope:${SCOPE}:`;
const CACHE = PREFIX + VERSION;
/** The app shell is cached under the scope URL itself ('./'): every static host serves a folder's index.html there. */
const SHELL = SCOPE;
const INDEX = new URL('./index.html', SCOPE).href;
/** Absolute URLs of the build's files (no query). */
const FILES = new Set(PRECACHE.map((p) => new URL(p, SCOPE).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: bypass the HTTP cache so that the cache holds exactly this build.
      await cache.addAll([...FILES].map((u) => new Request(u, { cache: 'reload' })));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

/** The cached copy, else the network (and nothing is added: the cache holds one build). */
async function cacheFirst(key: string, request: Request): Promise<Response> {
  const hit = (await caches.open(CACHE).then((c) => c.match(key))) ?? (await caches.match(key));
  if (!hit) return fetch(request);
  // A host that redirected while precaching (e.g. /index.html → /) left a "redirected"
  // response, which browsers refuse for navigations: hand out a plain copy.
  return hit.redirected ? new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers: hit.headers }) : hit;
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  const path = url.origin + url.pathname;
  if (req.mode === 'navigate') {
    if (path === SHELL || path === INDEX) event.respondWith(cacheFirst(SHELL, req));
    return;
  }
  if (FILES.has(path)) event.respondWith(cacheFirst(path, req));
});

/** `{ type: 'version' }` on a MessageChannel port: answers the running version (diagnostics, tests). */
self.addEventListener('message', (event) => {
  const data = event.data as { type?: string } | null;
  if (data?.type === 'version') event.ports[0]?.postMessage({ version: VERSION, cache: CACHE });
});
