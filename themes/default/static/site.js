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

  // Printed pages show their sources and long notes, folded away or not; a printed comparison writes
  // out where its links lead and, without a canonical address, where it was read.
  var canonicalLink = document.querySelector('link[rel="canonical"]');
  var printBase = canonicalLink ? canonicalLink.href : base;
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.provenance:not([open]), details.folded-note:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.dataset.printOpened = "true";
    });
    if (!document.querySelector(".pairs")) return;
    document.querySelectorAll("main .lead a[href], main .diff-text a[href], main .editorial-note a[href]").forEach(function (a) {
      try { a.dataset.printHref = new URL(a.getAttribute("href"), printBase).href; } catch (e) { /* not an address */ }
    });
    if (!canonicalLink && !document.getElementById("print-address-style")) {
      var style = document.createElement("style");
      style.id = "print-address-style";
      style.textContent = "@media print { @page { @bottom-left { content: " + JSON.stringify(base) + "; font-size: 8pt; } } }";
      document.head.appendChild(style);
    }
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
  var filterNote = document.querySelector(".filter-note");
  function setPressed(button, cls, on) {
    pairs.classList.toggle(cls, on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    // "Only changes" with nothing unchanged hides nothing: say so, not leave it unclear.
    if (cls === "only-changes" && filterNote) {
      filterNote.hidden = !(on && !pairs.querySelector(".status-unchanged"));
    }
  }
  function toggle(selector, cls, initially) {
    var button = document.querySelector(selector);
    if (!button) return;
    button.hidden = false;
    if (initially) setPressed(button, cls, true);
    button.addEventListener("click", function () {
      setPressed(button, cls, !pairs.classList.contains(cls));
    });
  }
  // On a narrow screen two columns leave a few words a line: one column by default.
  toggle(".view-toggle", "inline-view", window.matchMedia("(max-width: 40rem)").matches);
  toggle(".filter-toggle", "only-changes", false);

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
  // Arrived at a change by its address: the counter starts there.
  var arrived = changes.findIndex(function (c) { return "#" + c.id === location.hash; });
  nav.querySelector(".next-change").addEventListener("click", function () { go(current + 1); });
  nav.querySelector(".prev-change").addEventListener("click", function () { go(current - 1); });

  // Single-key shortcuts, N (nästa) and F (föregående), which the reader can turn off
  // (WCAG 2.1.4); the choice is kept. Touch screens get neither the keys nor the hint.
  var touch = window.matchMedia("(hover: none) and (pointer: coarse)").matches;
  var shortcuts = document.querySelector(".shortcut-toggle");
  var box = shortcuts && shortcuts.querySelector("input");
  var stored = null;
  try { stored = localStorage.getItem("avtal-kortkommandon"); } catch (e) { /* storage off */ }
  if (box && !touch) {
    shortcuts.hidden = false;
    box.checked = stored !== "av";
    box.addEventListener("change", function () {
      try { localStorage.setItem("avtal-kortkommandon", box.checked ? "på" : "av"); } catch (e) { /* storage off */ }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (touch || !box || !box.checked) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "input" || tag === "textarea" || tag === "select") return;
    var key = (event.key || "").toLowerCase();
    if (key === "n") go(current + 1);
    if (key === "f") go(current - 1);
  });
  if (arrived >= 0) {
    current = arrived;
    counter.textContent = "ändring " + (current + 1) + " av " + changes.length;
  } else {
    counter.textContent = changes.length + " ändringar";
  }
})();
