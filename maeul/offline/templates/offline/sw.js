/* maeul volunteer app — service worker (scope: the app's pages). Served by
   maeul.offline.views.service_worker, which fills in the asset list and its version. */
"use strict";
const VERSION = {{ version|safe }};
const STATIC_CACHE = "maeul-offline-static-" + VERSION;
/* Pages hold personal data (her care households): logout.js deletes this cache. */
const PAGES_CACHE = "maeul-offline-pages";
const ASSETS = {{ assets|safe }};
const PAGES = {{ pages|safe }};
const SESSION_URL = {{ session_url|safe }};
/* How long an item waits on the phone at most, sent or not (seconds; docs/offline.md). */
const OUTBOX_TTL = {{ ttl|safe }};
/* The outbox (IndexedDB and sending), the same code the pages use. */
importScripts({{ outbox_url|safe }});
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

/* Background Sync: the pages register it when an item is written (or found waiting). The
   browser fires it once it has a network, even if the app is closed by then. The items sent
   are those of the account signed in now (the session answers who): another account's items
   are never sent with this one's session. A failure to reach the server rejects, so that the
   browser tries again later; an ended session does not (she must log in; the app then sends). */
async function syncOutbox() {
  let response;
  try {
    response = await fetch(SESSION_URL, {
      credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store",
    });
  } catch (err) {
    throw new Error("no network"); /* retried by the browser */
  }
  if (response.status >= 500) throw new Error("server unavailable");
  if (!response.ok) return; /* 401: the session ended; 403: not a volunteer */
  const session = await response.json();
  let csrf = session.csrf_token;
  const done = await self.MaeulOutbox.flush({
    user: String(session.user),
    ttl: OUTBOX_TTL,
    csrf: () => csrf,
    refresh: async () => null,
  });
  const clients = await self.clients.matchAll({ type: "window" });
  clients.forEach((client) => client.postMessage({ type: "outbox-changed", sent: done.sent }));
  if (done.stop === "offline" || done.stop === "later") throw new Error("not all sent");
}

self.addEventListener("sync", (event) => {
  if (event.tag === self.MaeulOutbox.SYNC_TAG) event.waitUntil(syncOutbox());
});
