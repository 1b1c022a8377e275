// Progressive enhancements; every page works without this script.
(function () {
  "use strict";
  var canonical = document.querySelector('link[rel="canonical"]');
  var base = canonical ? canonical.href.split("#")[0] : location.href.split("#")[0];

  // One live region tells screen reader users that the copy worked.
  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  (document.querySelector("main") || document.body).appendChild(announcer);

  function copy(text, button) {
    var done = function () {
      var label = button.querySelector(".label") || button;
      var old = label.textContent;
      label.textContent = "Kopierat!";
      announcer.textContent = "Kopierat: " + text;
      setTimeout(function () { label.textContent = old; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("Kopiera:", text); });
    } else {
      window.prompt("Kopiera:", text);
    }
  }

  // Printed pages show their sources, folded away or not.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.provenance:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.dataset.printOpened = "true";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      delete d.dataset.printOpened;
    });
  });

  document.querySelectorAll(".copy-link").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(base + "#" + button.dataset.anchor, button); });
  });
  document.querySelectorAll(".copy-cite").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button.dataset.cite + ", " + base + "#" + button.dataset.anchor, button);
    });
  });

  // Comparison pages: one or two columns, only changes, next/previous change.
  var pairs = document.querySelector(".pairs");
  if (!pairs) return;
  function toggle(selector, cls) {
    var button = document.querySelector(selector);
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = pairs.classList.toggle(cls);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  toggle(".view-toggle", "inline-view");
  toggle(".filter-toggle", "only-changes");

  var changes = Array.prototype.slice.call(pairs.querySelectorAll("[data-change]"));
  var nav = document.querySelector(".change-nav");
  var counter = document.querySelector(".change-counter");
  if (!nav || changes.length === 0) return;
  nav.hidden = false;
  var current = -1;
  function go(index) {
    current = Math.max(0, Math.min(changes.length - 1, index));
    var target = changes[current];
    history.replaceState(null, "", "#" + target.id);
    target.scrollIntoView({ block: "start" });
    var heading = target.querySelector("h3");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    counter.textContent = "ändring " + (current + 1) + " av " + changes.length;
  }
  nav.querySelector(".next-change").addEventListener("click", function () { go(current + 1); });
  nav.querySelector(".prev-change").addEventListener("click", function () { go(current - 1); });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "input" || tag === "textarea") return;
    if (event.key === "n") go(current + 1);
    if (event.key === "p") go(current - 1);
  });
  counter.textContent = changes.length + " ändringar";
})();
