/* maeul volunteer app: the phone's outbox, as the pages see it.
   A report or care visit is written to IndexedDB first (with a UUID made here, its
   idempotency key, her account and when it expires), then sent; it is deleted from the phone
   as soon as the server has it. Without signal it waits and a Background Sync is registered:
   the service worker sends it when the network returns, even with the app closed. While the
   app is open it is also sent on the "online" event, when the app is opened again and every
   15 seconds (the only way where Background Sync is missing). No personal data but what she
   typed. The store and the sending are in outbox.js, shared with the worker. */
(function () {
  "use strict";
  var root = document.getElementById("offline-app");
  if (!root) return;
  var T = JSON.parse(document.getElementById("offline-strings").textContent);
  var userId = root.dataset.user;
  var csrf = root.dataset.csrf;
  var flushing = false;
  var expired = false;

  var O = self.MaeulOutbox; /* outbox.js: the store and the sending, shared with the worker */
  var ttl = Number(root.dataset.ttl);

  function allItems() { return O.itemsOf(userId, ttl); }
  var putItem = O.putItem;
  var deleteItem = O.deleteItem;

  /* Background Sync: the worker sends the outbox when the network returns, even if the app
     has been closed by then. Where the browser has no Background Sync, the page's own tries
     below (online event, opening the app, every 15 s) are all there is. */
  function registerSync() {
    if (!("serviceWorker" in navigator)) return Promise.resolve(false);
    return navigator.serviceWorker.ready.then(function (registration) {
      if (!registration.sync) return false;
      return registration.sync.register(O.SYNC_TAG).then(function () { return true; });
    }).catch(function () { return false; });
  }

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
          if (item.expires_at) meta.textContent += " · " + T.expires + " " + when(item.expires_at);
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
        if (!r.ok) return null;
        return r.json().then(function (data) {
          if (String(data.user) !== userId) return null; /* another account signed in */
          csrf = data.csrf_token; return csrf;
        });
      }).catch(function () { return null; });
  }

  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return O.flush({
      user: userId,
      ttl: ttl,
      csrf: function () { return csrf; },
      refresh: refreshToken,
      onStart: function () { notice(T.sending); },
    }).then(function (done) {
      var stop = done.stop;
      expired = stop === "expired";
      unreachable = stop === "offline";
      showNetwork();
      if (expired) notice(T.expired, "expired");
      else if (stop === "later") notice(T.retry_later, "warn");
      else if (stop === "offline") notice(T.saved);
      else if (done.sent) notice(T.sent, "ok");
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
      var now = new Date();
      var item = {
        key: newKey(),
        kind: form.dataset.kind,
        url: form.action,
        payload: payload,
        label: label(form, payload),
        user: userId,
        written_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ttl * 1000).toISOString(),
      };
      item.payload.written_at = item.written_at;
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      putItem(item).then(function () {
        form.reset();
        notice(T.saved);
        return Promise.all([render(), registerSync()]);
      }).then(flush).then(function () {
        if (button) button.disabled = false;
      });
    });
  });

  /* The worker sent something (a Background Sync): show the outbox as it is now. */
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-changed") {
        if (event.data.sent) notice(T.sent, "ok");
        render();
      }
    });
  }
  window.addEventListener("online", function () { unreachable = false; showNetwork(); flush(); });
  window.addEventListener("offline", showNetwork);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush();
  });
  /* A retry every 15 seconds while the app is open; it reads only the local outbox when
     nothing waits. */
  setInterval(function () { if (!expired) flush(); }, 15000);
  showNetwork();
  /* Items left from before (the app was closed while they waited): the worker takes them
     too, should the network come back after the app is closed again. */
  render().then(function (items) {
    if (items && items.length) registerSync();
  }).then(flush);
})();
