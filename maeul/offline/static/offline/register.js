/* Registers the volunteer app's service worker (its URL and scope come from the page). */
(function () {
  "use strict";
  var root = document.getElementById("offline-app");
  if (!root || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (navigator.onLine && registration.active) {
      registration.active.postMessage({ type: "warm", user: root.dataset.user });
    }
  }).catch(function () { /* the app still works online without it */ });
})();
