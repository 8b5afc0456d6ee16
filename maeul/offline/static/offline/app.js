/* maeul volunteer app: the phone's outbox.
   A report or care visit is written to IndexedDB first (with a UUID made here, its
   idempotency key), then sent; it is deleted from the phone as soon as the server has it.
   Without signal it waits and is sent on the "online" event, when the app is opened again,
   and every 15 seconds while something waits. No personal data but what she typed. */
(function () {
  "use strict";
  var root = document.getElementById("offline-app");
  if (!root) return;
  var T = JSON.parse(document.getElementById("offline-strings").textContent);
  var DB_NAME = "maeul-offline";
  var STORE = "outbox";
  var userId = root.dataset.user;
  var csrf = root.dataset.csrf;
  var flushing = false;
  var expired = false;

  /* --- IndexedDB ------------------------------------------------------------------ */
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

  function allItems() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return (items || []).filter(function (item) { return item.user === userId; })
        .sort(function (a, b) { return a.written_at < b.written_at ? -1 : 1; });
    });
  }
  function putItem(item) { return withStore("readwrite", function (s) { s.put(item); }); }
  function deleteItem(key) { return withStore("readwrite", function (s) { s.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* --- what she sees ------------------------------------------------------------------ */
  function notice(text, kind) {
    var box = document.getElementById("app-notice");
    box.hidden = !text;
    box.className = "notice" + (kind ? " " + kind : "");
    box.textContent = "";
    if (text) box.appendChild(document.createTextNode(text));
    if (kind === "expired") {
      var link = document.createElement("a");
      link.href = root.dataset.login;
      link.textContent = T.login;
      box.appendChild(document.createTextNode(" "));
      box.appendChild(link);
    }
  }

  /* navigator.onLine says only that the phone has a network, not that the server answers:
     the last attempt to send counts too. */
  var unreachable = false;
  function showNetwork() {
    var on = navigator.onLine && !unreachable;
    var status = document.getElementById("net-status");
    status.textContent = on ? T.online : T.offline;
    status.className = "net-status " + (on ? "on" : "off");
  }

  function when(iso) {
    try {
      return new Date(iso).toLocaleString(document.documentElement.lang || undefined, {
        month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
      });
    } catch (e) { return iso; }
  }

  function render() {
    return allItems().then(function (items) {
      document.querySelectorAll("[data-outbox-count]").forEach(function (el) {
        el.textContent = String(items.length);
        el.classList.toggle("has-items", items.length > 0);
      });
      document.querySelectorAll("[data-outbox-summary]").forEach(function (el) {
        el.textContent = items.length ? T.waiting.replace("%(count)s", items.length) : T.nothing_waiting;
      });
      document.querySelectorAll("[data-outbox-list]").forEach(function (list) {
        list.textContent = "";
        items.forEach(function (item) {
          var li = document.createElement("li");
          li.className = "outbox-item" + (item.error ? " failed" : "");
          li.dataset.key = item.key;
          var head = document.createElement("div");
          var kind = document.createElement("span");
          kind.className = "badge " + (item.error ? "bad" : "info");
          kind.textContent = T[item.kind] || item.kind;
          var label = document.createElement("b");
          label.textContent = " " + item.label;
          head.appendChild(kind); head.appendChild(label);
          var meta = document.createElement("div");
          meta.className = "help";
          meta.textContent = T.written + " " + when(item.written_at);
          li.appendChild(head); li.appendChild(meta);
          if (item.error) {
            var err = document.createElement("div");
            err.className = "field-error";
            err.textContent = T.failed + ": " + item.error;
            li.appendChild(err);
          }
          var del = document.createElement("button");
          del.type = "button"; del.className = "secondary small"; del.textContent = T.delete;
          del.addEventListener("click", function () {
            if (!window.confirm(T.confirm_delete)) return;
            deleteItem(item.key).then(render);
          });
          li.appendChild(del);
          list.appendChild(li);
        });
      });
      return items;
    });
  }

  /* --- sending ------------------------------------------------------------------------ */
  function refreshToken() {
    return fetch(root.dataset.session, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) return false;
        return r.json().then(function (data) {
          if (String(data.user) !== userId) return false;
          csrf = data.csrf_token; return true;
        });
      }).catch(function () { return false; });
  }

  function send(item, retried) {
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
          if (response.status === 403 && !data && !retried) {
            /* Django refused the CSRF token (a new login since the page was kept). */
            return refreshToken().then(function (ok) { return ok ? send(item, true) : "expired"; });
          }
          if (response.status >= 500 || response.status === 429 || !data) {
            return "later";
          }
          item.error = data.detail || String(response.status);
          return putItem(item).then(function () { return "failed"; });
        });
    }, function () { return "offline"; });
  }

  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    var sent = 0;
    var stop = null;
    return allItems().then(function (items) {
      var waiting = items.filter(function (item) { return !item.error; });
      if (waiting.length) notice(T.sending);
      return waiting.reduce(function (chain, item) {
        return chain.then(function () {
          if (stop) return;
          return send(item).then(function (outcome) {
            if (outcome === "sent") sent += 1;
            else if (outcome !== "failed") stop = outcome;
          });
        });
      }, Promise.resolve());
    }).then(function () {
      expired = stop === "expired";
      unreachable = stop === "offline";
      showNetwork();
      if (expired) notice(T.expired, "expired");
      else if (stop === "later") notice(T.retry_later, "warn");
      else if (stop === "offline") notice(T.saved);
      else if (sent) notice(T.sent, "ok");
      else notice("");
    }).catch(function () { /* IndexedDB unavailable: nothing to send */ })
      .then(function () { flushing = false; return render(); });
  }

  /* --- the forms ---------------------------------------------------------------------- */
  function label(form, payload) {
    if (form.dataset.kind === "care_visit") return form.dataset.label || "";
    return [payload.subject_name, payload.address].filter(Boolean).join(" · ");
  }

  document.querySelectorAll("form.offline-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      var payload = {};
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") payload[name] = value;
      });
      var item = {
        key: newKey(),
        kind: form.dataset.kind,
        url: form.action,
        payload: payload,
        label: label(form, payload),
        user: userId,
        written_at: new Date().toISOString(),
      };
      item.payload.written_at = item.written_at;
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      putItem(item).then(function () {
        form.reset();
        notice(T.saved);
        return render();
      }).then(flush).then(function () {
        if (button) button.disabled = false;
      });
    });
  });

  window.addEventListener("online", function () { unreachable = false; showNetwork(); flush(); });
  window.addEventListener("offline", showNetwork);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush();
  });
  /* A retry every 15 seconds while the app is open; it reads only the local outbox when
     nothing waits. */
  setInterval(function () { if (!expired) flush(); }, 15000);
  showNetwork();
  render().then(flush);
})();
