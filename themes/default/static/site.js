// Progressive enhancements; every page works without this script.
(function () {
  "use strict";
  // The address the reader is at, without query or fragment: it works wherever the
  // site is published (a canonical address may name a host the copy is not on).
  var base = location.href.replace(/[?#].*$/, "");

  var printed = document.querySelector(".print-address[data-location]");
  if (printed) {
    printed.querySelector(".permanent-address").textContent = base;
    printed.hidden = false;
  }

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
  // The citation of the clause, or of the stycke or item of it the address points to
  // (its link to itself carries how it is cited).
  document.querySelectorAll(".copy-cite").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var cite = button.dataset.cite;
      var anchor = button.dataset.anchor;
      var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
      var pin = target && target !== button.closest(".clause") && button.closest(".clause").contains(target)
        ? target.querySelector(":scope > .pin") : null;
      if (pin) {
        cite = pin.dataset.cite;
        anchor = target.id;
      }
      copy(cite + ", " + base + "#" + anchor, button);
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
