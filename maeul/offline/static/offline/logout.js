/* Logging out clears what the volunteer app keeps on the phone: the outbox (IndexedDB) and
   the cached pages (her care households). Unsent items are deleted too, after a warning. */
(function () {
  "use strict";
  var DB_NAME = "maeul-offline";

  function countWaiting() {
    /* Never create the database just to count it. */
    var known = indexedDB.databases ? indexedDB.databases() : Promise.resolve([{ name: DB_NAME }]);
    return known.then(function (dbs) {
      if (!dbs.some(function (db) { return db.name === DB_NAME; })) return 0;
      return new Promise(function (resolve) {
        var request = indexedDB.open(DB_NAME);
        request.onsuccess = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("outbox")) { db.close(); resolve(0); return; }
          var count = db.transaction("outbox").objectStore("outbox").count();
          count.onsuccess = function () { db.close(); resolve(count.result); };
          count.onerror = function () { db.close(); resolve(0); };
        };
        request.onerror = function () { resolve(0); };
      });
    }).catch(function () { return 0; });
  }

  function clearAll() {
    var db = new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
    var cached = window.caches
      ? caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (key) { return key.indexOf("maeul-offline-pages") === 0; })
          .map(function (key) { return caches.delete(key); }));
      }).catch(function () {})
      : Promise.resolve();
    return Promise.all([db, cached]);
  }

  document.querySelectorAll("form[data-offline-logout]").forEach(function (form) {
    var clearing = false;
    form.addEventListener("submit", function (event) {
      if (clearing) return;
      event.preventDefault();
      countWaiting().then(function (waiting) {
        if (waiting && !window.confirm(form.dataset.confirm)) return;
        clearing = true;
        return clearAll().then(function () { form.submit(); });
      });
    });
  });
})();
