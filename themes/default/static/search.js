// Static search: loads the index shards listed in sok/manifest.json and matches
// substrings of text folded to lowercase without diacritics, so inflected forms,
// parts of compounds and queries typed without å/ä/ö are all found.
(function () {
  "use strict";
  var root = document.body.dataset.root || "";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = null;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function load() {
    if (index) return Promise.resolve(index);
    return fetch(root + "sok/manifest.json").then(function (r) { return r.json(); }).then(function (manifest) {
      return Promise.all(manifest.shards.map(function (name) {
        return fetch(root + name).then(function (r) { return r.json(); });
      })).then(function (shards) {
        var entries = [];
        shards.forEach(function (shard) {
          shard.entries.forEach(function (e) { entries.push({ page: e[0], label: e[1], id: e[2], text: e[3], folded: fold(e[3]) }); });
        });
        index = { pages: manifest.pages, entries: entries };
        return index;
      });
    });
  }

  // The sentence of `text` around position `at`, for the hit list.
  function sentence(text, at, length) {
    var start = Math.max(text.lastIndexOf(". ", at) + 2, text.lastIndexOf("\n", at) + 1, 0);
    if (start > at) start = 0;
    var end = text.length;
    var stop = text.slice(at + length).search(/[.!?](\s|$)|\n/);
    if (stop >= 0) end = at + length + stop + 1;
    var piece = text.slice(start, end);
    if (piece.length > 320) {
      var from = Math.max(0, at - start - 120);
      piece = (from > 0 ? "… " : "") + piece.slice(from, from + 300) + " …";
    }
    return piece;
  }

  // Appends `text` to `parent` with every folded occurrence of a term in <mark>.
  function highlight(parent, text, terms) {
    var folded = fold(text);
    var marks = [];
    terms.forEach(function (term) {
      for (var at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + term.length)) marks.push([at, at + term.length]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var last = 0;
    marks.forEach(function (m) {
      if (m[0] < last) return;
      parent.appendChild(document.createTextNode(text.slice(last, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      last = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function render(query, terms, results) {
    list.innerHTML = "";
    status.textContent = results.length === 0
      ? "Inga träffar för ”" + query + "”."
      : results.length + (results.length === 1 ? " träff" : " träffar") + " för ”" + query + "”."
        + (results.length > 100 ? " De 100 första visas." : "");
    results.slice(0, 100).forEach(function (hit) {
      var page = index.pages[hit.entry.page];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + page[1] + "#" + hit.entry.id;
      a.textContent = page[0] + " – " + hit.entry.label;
      var p = document.createElement("p");
      highlight(p, sentence(hit.entry.text, hit.at, hit.length), terms);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  // Whole words and word beginnings rank above matches inside a compound.
  function score(folded, term, at) {
    var start = at === 0 || /[^0-9a-z]/.test(folded.charAt(at - 1));
    var end = !/[0-9a-z]/.test(folded.charAt(at + term.length));
    return (start ? 2 : 0) + (start && end ? 1 : 0);
  }

  function search(query) {
    var terms = fold(query).split(/[^0-9a-z]+/).filter(function (t) { return t.length > 1; });
    if (terms.length === 0) { list.innerHTML = ""; status.textContent = "Skriv minst två bokstäver."; return; }
    status.textContent = "Söker …";
    load().then(function (idx) {
      var results = [];
      idx.entries.forEach(function (entry, order) {
        var first = -1;
        var points = 0;
        var ok = terms.every(function (term) {
          var at = entry.folded.indexOf(term);
          if (at < 0) return false;
          if (first < 0) first = at;
          points += score(entry.folded, term, at);
          return true;
        });
        if (ok) results.push({ entry: entry, at: first, length: terms[0].length, points: points, order: order });
      });
      results.sort(function (a, b) { return b.points - a.points || a.order - b.order; });
      render(query, terms, results);
    }).catch(function () {
      status.textContent = "Sökindexet kunde inte laddas. Öppna sidan via en webbserver (t.ex. avtal serve).";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
