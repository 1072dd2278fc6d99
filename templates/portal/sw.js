// The service worker of {{ commune|escapejs }}'s public site: keeps the last news and
// notice pages read, and the offline page, so that they open without a network.
const SCOPE = "{{ scope|escapejs }}";
const OFFLINE = "{{ offline|escapejs }}";
const STATIC = [{% for url in static %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const PAGES = "langso-pages-v1";
const SHELL = "langso-shell-v1";
const KEEP = 30;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll([OFFLINE, ...STATIC])));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

// Pages kept for reading offline: the home page, the news and the notices.
function keeps(url) {
  const path = url.pathname;
  return path === SCOPE || path.startsWith(SCOPE + "news/") || path.startsWith(SCOPE + "notices/");
}

async function remember(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - KEEP))) {
    await cache.delete(old);
  }
}

async function savedCopy(response) {
  // Say that the page is a saved copy: the layout carries the note, hidden.
  const text = await response.text();
  const headers = new Headers(response.headers);
  return new Response(text.replace("data-offline hidden", "data-offline"), {
    status: 200,
    headers,
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (STATIC.includes(url.pathname)) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request))
    );
    return;
  }
  if (request.mode !== "navigate") return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && keeps(url)) {
          const copy = response.clone();
          event.waitUntil(remember(request, copy));
        }
        return response;
      })
      .catch(async () => {
        const hit = await caches.match(request, { cacheName: PAGES });
        if (hit) return savedCopy(hit);
        return (await caches.match(OFFLINE)) || Response.error();
      })
  );
});
