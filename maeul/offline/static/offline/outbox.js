/* maeul volunteer app: the phone's outbox, shared by the pages (app.js) and the service
   worker (sw.js, importScripts), so that both send it the same way.

   An item is what she wrote, with its idempotency key (a UUID made on the phone), the id of
   the account that wrote it and when it expires. Only the signed-in account's items are ever
   read, shown or sent; items of another account wait, unseen, until that account signs in
   again on this phone, and every item is deleted when it expires, sent or not (the app's
   TTL, given by the server: docs/offline.md). Sends are serialised across the open pages and
   the worker with a Web Lock where the browser has them; the key keeps a send that races
   anyway from making a second lead or visit. No DOM here: it runs in the worker too. */
(function (scope) {
  "use strict";
  var DB_NAME = "maeul-offline";
  var STORE = "outbox";
  var SYNC_TAG = "maeul-outbox";
  var LOCK = "maeul-outbox-send";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); }; /* logout deletes the database */
        resolve(db);
      };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  /* When an item stops being kept: its expires_at (set when written), or for an item written
     by an older version of the app, written_at + ttl. */
  function expiresAt(item, ttlSeconds) {
    if (item.expires_at) return Date.parse(item.expires_at);
    return Date.parse(item.written_at) + ttlSeconds * 1000;
  }

  /* Deletes every expired item (whoever wrote it), then returns the given account's items,
     oldest first. */
  function itemsOf(user, ttlSeconds) {
    var now = Date.now();
    var kept = [];
    return withStore("readwrite", function (store) {
      var cursor = store.openCursor();
      cursor.onsuccess = function () {
        var c = cursor.result;
        if (!c) return;
        var item = c.value;
        if (!(expiresAt(item, ttlSeconds) > now)) c.delete();
        else if (String(item.user) === String(user)) kept.push(item);
        c.continue();
      };
      return null;
    }).then(function () {
      return kept.sort(function (a, b) { return a.written_at < b.written_at ? -1 : 1; });
    });
  }

  function putItem(item) { return withStore("readwrite", function (s) { s.put(item); }); }
  function deleteItem(key) { return withStore("readwrite", function (s) { s.delete(key); }); }

  /* One POST. Outcomes: "sent" (2xx: deleted from the phone), "failed" (a 4xx refusal, kept
     with the server's message), "expired" (the session ended), "csrf" (the token was refused),
     "later" (5xx, 429) and "offline" (no answer). */
  function send(item, csrf) {
    var body = Object.assign({ key: item.key }, item.payload);
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (json ? response.json().catch(function () { return null; }) : Promise.resolve(null))
        .then(function (data) {
          if (response.ok) return deleteItem(item.key).then(function () { return "sent"; });
          if (response.status === 401 || response.type === "opaqueredirect") return "expired";
          if (response.status === 403 && !data) return "csrf";
          if (response.status >= 500 || response.status === 429 || !data) return "later";
          item.error = data.detail || String(response.status);
          return putItem(item).then(function () { return "failed"; });
        });
    }, function () { return "offline"; });
  }

  function exclusively(work) {
    if (scope.navigator && navigator.locks && navigator.locks.request) {
      return navigator.locks.request(LOCK, work);
    }
    return work();
  }

  /* Sends the account's waiting items, oldest first, stopping at the first that cannot go
     now. options: user, ttl (seconds), csrf() → the token, refresh() → a promise of a fresh
     token or null (the session is another account's or ended). Returns {sent, stop}. */
  function flush(options) {
    return exclusively(function () {
      var sent = 0;
      var stop = null;
      return itemsOf(options.user, options.ttl).then(function (items) {
        var waiting = items.filter(function (item) { return !item.error; });
        if (waiting.length && options.onStart) options.onStart(waiting.length);
        return waiting.reduce(function (chain, item) {
          return chain.then(function () {
            if (stop) return;
            return send(item, options.csrf()).then(function (outcome) {
              if (outcome !== "csrf") return outcome;
              return options.refresh().then(function (token) {
                return token ? send(item, token) : "expired";
              });
            }).then(function (outcome) {
              if (outcome === "sent") sent += 1;
              else if (outcome === "csrf") stop = "expired";
              else if (outcome !== "failed") stop = outcome;
            });
          });
        }, Promise.resolve());
      }).then(function () { return { sent: sent, stop: stop }; });
    });
  }

  scope.MaeulOutbox = {
    DB_NAME: DB_NAME,
    SYNC_TAG: SYNC_TAG,
    itemsOf: itemsOf,
    putItem: putItem,
    deleteItem: deleteItem,
    flush: flush,
  };
})(self);
