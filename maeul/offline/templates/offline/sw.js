/* maeul volunteer app — service worker (scope: the app's pages). Served by
   maeul.offline.views.service_worker, which fills in the asset list and its version. */
"use strict";
const VERSION = {{ version|safe }};
const STATIC_CACHE = "maeul-offline-static-" + VERSION;
/* Pages hold personal data (her care households): logout.js deletes this cache. */
const PAGES_CACHE = "maeul-offline-pages";
const ASSETS = {{ assets|safe }};
const PAGES = {{ pages|safe }};
/* Whose pages the page cache holds (the user id the app gave in its last "warm" message). */
const OWNER = PAGES[0] + "__owner__";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith("maeul-offline-static-") && key !== STATIC_CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

/* A page answered by the server itself (not a redirect to the login page) is kept. */
async function keep(path, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(PAGES_CACHE);
    await cache.put(path, response.clone());
  }
  return response;
}

async function page(request, path) {
  try {
    return await keep(path, await fetch(request));
  } catch (err) {
    const cache = await caches.open(PAGES_CACHE);
    const hit = (await cache.match(path, { ignoreVary: true, ignoreSearch: true }))
      || (await cache.match(PAGES[0], { ignoreVary: true }));
    return hit || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; /* the outbox's POSTs go to the network as they are */
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(
      caches.match(url.pathname, { ignoreVary: true }).then((hit) => hit || fetch(request))
    );
  } else if (request.mode === "navigate" && PAGES.includes(url.pathname)) {
    event.respondWith(page(request, url.pathname));
  }
});

/* The app asks, once it is open with signal, for all its pages to be kept for later. */
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "warm") return;
  /* Only the pages not kept yet (a page opened with signal refreshes itself), one by one.
     Pages kept for another account (a phone shared, a session that ended without logging
     out) are dropped first. */
  event.waitUntil((async () => {
    let cache = await caches.open(PAGES_CACHE);
    const owner = await cache.match(OWNER);
    const user = String(event.data.user || "");
    if (!owner || (await owner.text()) !== user) {
      await caches.delete(PAGES_CACHE);
      cache = await caches.open(PAGES_CACHE);
      await cache.put(OWNER, new Response(user));
    }
    for (const path of PAGES) {
      if (await cache.match(path, { ignoreVary: true })) continue;
      try {
        await keep(path, await fetch(path, { credentials: "same-origin" }));
      } catch (err) { /* no signal: next time */ }
    }
  })());
});
