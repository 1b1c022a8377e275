// Injected by `avtal serve` into served pages only (never into `avtal build` output):
// reloads the page after a rebuild, swaps stylesheets when only CSS changed, and shows
// build errors over the page until they are fixed.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var source = new EventSource("/__avtal/events?since=" + encodeURIComponent(version));
  // Lets tests (and the curious) see that the page listens.
  source.addEventListener("open", function () {
    window.avtalLiveReload = "connected";
  });
  // A save first re-renders the saved pages, then everything that mentions them: the
  // event lists the pages that changed, and only those reload.
  source.addEventListener("reload", function (event) {
    var pages = null;
    try {
      pages = JSON.parse(event.data).pages;
    } catch (e) {
      pages = null;
    }
    if (!pages || pages.indexOf(location.pathname.replace(/index\.html$/, "")) !== -1) {
      location.reload();
    }
  });
  source.addEventListener("css", function (event) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("avtal-version", event.data);
      links[i].href = url.href;
    }
  });
  source.addEventListener("build-error", function (event) {
    showProblems(JSON.parse(event.data));
  });

  function showProblems(problems) {
    var old = document.getElementById("avtal-build-errors");
    if (old) old.remove();
    var box = document.createElement("div");
    box.id = "avtal-build-errors";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;left:0;right:0;top:0;max-height:80vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0b0b;color:#fff;font:15px/1.45 ui-monospace,monospace;padding:1em 1.25em;" +
      "border-bottom:4px solid #e33;box-shadow:0 4px 16px rgba(0,0,0,.5);white-space:pre-wrap";
    var title = document.createElement("strong");
    title.textContent = "avtal serve: the site could not be rebuilt. Showing the last good version.";
    box.appendChild(title);
    problems.forEach(function (problem) {
      var item = document.createElement("div");
      item.style.cssText = "margin-top:.8em";
      var where = document.createElement("div");
      where.style.cssText = "color:#ffb4b4;font-weight:bold";
      where.textContent =
        problem.file + (problem.line ? ":" + problem.line + (problem.column ? ":" + problem.column : "") : "");
      var message = document.createElement("div");
      message.className = "avtal-build-error-message";
      message.textContent = problem.severity + ": " + problem.message;
      item.appendChild(where);
      item.appendChild(message);
      if (problem.help) {
        var help = document.createElement("div");
        help.style.cssText = "color:#cfe3ff";
        help.textContent = "help: " + problem.help;
        item.appendChild(help);
      }
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }
})();
