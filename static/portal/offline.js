// Registers the public site's service worker (the pages work without it).
(function () {
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  var worker = script.getAttribute("data-worker");
  var scope = script.getAttribute("data-scope");
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker, { scope: scope }).catch(function () {});
  });
})();
