// Service worker: keeps the app usable on a weak or absent network.
// - on install: the app shell (/) and every build asset listed in /precache.json, so after one
//   visit the whole app, the report form included, opens offline;
// - hashed build assets (/assets/*): cache first (they never change under the same name);
// - page navigations: network first, falling back to the cached shell;
// - the API is never cached here (reports written offline wait in IndexedDB as drafts).
const VERSION = 'v2';
const SHELL = `jd-shell-${VERSION}`;
const ASSETS = `jd-assets-${VERSION}`;

async function precache() {
  const shell = await caches.open(SHELL);
  await shell.addAll(['/', '/manifest.webmanifest', '/icon.svg']);
  try {
    const res = await fetch('/precache.json', { cache: 'no-store' });
    if (!res.ok) return;
    const { assets } = await res.json();
    const cache = await caches.open(ASSETS);
    const missing = [];
    for (const url of assets) if (!(await cache.match(url))) missing.push(url);
    await cache.addAll(missing);
  } catch {
    // offline during install: assets are cached as they are used instead
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k !== SHELL && k !== ASSETS).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (
    url.pathname.startsWith('/api/') ||
    url.pathname.startsWith('/docs') ||
    url.pathname.startsWith('/console')
  )
    return;

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.open(ASSETS).then(async (c) => {
        const hit = await c.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) c.put(req, res.clone());
        return res;
      }),
    );
    return;
  }

  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(SHELL).then((c) => c.put('/', copy));
          }
          return res;
        })
        .catch(() =>
          caches
            .open(SHELL)
            .then((c) => c.match('/'))
            .then((hit) => hit || Response.error()),
        ),
    );
  }
});
