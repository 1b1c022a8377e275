// Static search over the index that src/render/search/ writes (its module comment
// explains the layout). A query downloads only what it needs: for each term, the one
// word shard named by the term's first trigram and the postings of the words that
// contain the term; then, for the hits shown, the list of their anchors and their
// pages (for the text around the hit). Text and query are folded to lowercase
// without diacritics, and a term matches any word containing it, so inflected
// forms, parts of compounds and queries typed without å/ä/ö are all found.
(function () {
  "use strict";
  var FORMAT = 2;
  var SHOWN = 20;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var root = document.body.dataset.root || "";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var cache = {};
  var current = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // One request per file, however many terms or hits need it.
  function get(path, as) {
    if (!cache[path]) {
      cache[path] = fetch(root + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return as === "text" ? r.text() : r.json();
      });
    }
    return cache[path];
  }

  function manifest() {
    return get("sok/manifest.json").then(function (m) {
      if (m.format !== FORMAT) throw new Error("index format " + m.format);
      return m;
    });
  }

  // FNV-1a, 32 bits, as text::gram_hash in Rust.
  function gramShard(gram, shards) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < gram.length; i++) {
      hash ^= gram.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % shards;
  }

  // Calls found(n) for each stycke number in an encoded postings list (postings.rs).
  function decode(encoded, found) {
    var i, value;
    if (encoded.charAt(0) === "~") {
      for (i = 1; i < encoded.length; i++) {
        value = ALPHABET.indexOf(encoded.charAt(i));
        for (var bit = 0; bit < 6; bit++) if (value & (1 << bit)) found((i - 1) * 6 + bit);
      }
      return;
    }
    var next = 0, gap = 0;
    for (i = 0; i < encoded.length; i++) {
      value = ALPHABET.indexOf(encoded.charAt(i));
      gap = gap * 32 + (value % 32);
      if (value < 32) { next += gap; found(next); next += 1; gap = 0; }
    }
  }

  // Whole words and word beginnings rank above matches inside a compound.
  function score(word, term) {
    var start = word.slice(0, term.length) === term;
    return (start ? 2 : 0) + (start && word.length === term.length ? 1 : 0);
  }

  // For one term: a byte per stycke, 0 if no word of the stycke contains the term,
  // else 1 + the best score of those that do.
  function matchTerm(m, term) {
    var key = term.length < m.maxWord ? term : term.slice(0, m.maxWord);
    var gram = key.length === 2 ? "^" + key : key.slice(0, 3);
    return get("sok/ord/" + gramShard(gram, m.gramShards) + ".json").then(function (shard) {
      var words = (shard.grams[gram] || []).map(function (i) { return shard.words[i]; })
        .filter(function (w) { return key.length === 2 ? w[0].slice(0, 2) === key : w[0].indexOf(key) >= 0; });
      return Promise.all(words.map(function (w) {
        return typeof w[1] === "string" ? w[1] : get("sok/forekomster/" + w[1] + ".json");
      })).then(function (lists) {
        var best = new Uint8Array(m.stycken);
        lists.forEach(function (encoded, i) {
          var points = 1 + score(words[i][0], term);
          decode(encoded, function (n) { if (best[n] < points) best[n] = points; });
        });
        return best;
      });
    });
  }

  // Stycke number → { page label, page address, clause label, anchor }.
  function describe(m, numbers) {
    var chunks = {};
    numbers.forEach(function (n) { chunks[Math.floor(n / m.chunkSize)] = true; });
    return Promise.all(Object.keys(chunks).map(function (c) { return get("sok/stycken/" + c + ".json"); }))
      .then(function (loaded) {
        var found = {};
        loaded.forEach(function (chunk) {
          var n = chunk.first;
          chunk.pages.forEach(function (page) {
            page[2].forEach(function (clause) {
              clause[2].forEach(function (anchor) {
                var anchors = typeof anchor === "string" ? [anchor] : [];
                if (typeof anchor === "number") anchor = [anchor, anchor];
                if (typeof anchor === "object") {
                  for (var k = anchor[0]; k <= anchor[1]; k++) anchors.push(clause[1] + "S" + k);
                }
                anchors.forEach(function (id) {
                  found[n] = { page: page[0], url: page[1], clause: clause[0], id: id };
                  n += 1;
                });
              });
            });
          });
        });
        return numbers.map(function (n) { return found[n]; });
      });
  }

  // The text of stycke `id` in a page: its paragraph and its list, items on lines
  // of their own (as the index reads it). Empty when the page has no such stycke.
  function styckeText(html, id) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var lines = [];
    var clean = function (node) { return node.textContent.replace(/\s+/g, " ").trim(); };
    var own = doc.getElementById(id);
    if (own && !own.hasAttribute("data-stycke")) lines.push(clean(own));
    doc.querySelectorAll('[data-stycke="' + id + '"] li').forEach(function (li) { lines.push(clean(li)); });
    return lines.filter(Boolean).join("\n");
  }

  // The sentence of `text` around position `at`, for the hit list.
  function sentence(text, at, length) {
    var period = text.lastIndexOf(". ", at);
    var start = Math.max(period < 0 ? 0 : period + 2, text.lastIndexOf("\n", at) + 1);
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

  // Adds hits `from` … `from + SHOWN` of `numbers` to the list, with their text.
  function show(m, run, numbers, from) {
    var slice = numbers.slice(from, from + SHOWN);
    return describe(m, slice).then(function (hits) {
      return Promise.all(hits.map(function (hit) {
        return get(hit.url, "text").then(function (html) { return styckeText(html, hit.id); }, function () { return ""; });
      })).then(function (texts) {
        if (run.id !== current) return;
        var more = list.parentNode.querySelector(".search-more");
        if (more) more.remove();
        hits.forEach(function (hit, i) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = root + hit.url + "#" + hit.id;
          a.textContent = hit.page + " – " + hit.clause;
          var p = document.createElement("p");
          var folded = fold(texts[i]);
          var at = Math.max(0, folded.indexOf(run.terms[0]));
          highlight(p, sentence(texts[i], at, run.terms[0].length), run.terms);
          li.appendChild(a);
          li.appendChild(p);
          list.appendChild(li);
        });
        if (from + SHOWN < numbers.length) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "search-more";
          button.textContent = "Visa fler träffar";
          button.addEventListener("click", function () {
            button.disabled = true;
            show(m, run, numbers, from + SHOWN).then(function () {
              var next = list.children[from + SHOWN];
              if (next) next.querySelector("a").focus();
            });
          });
          list.parentNode.insertBefore(button, list.nextSibling);
        }
      });
    });
  }

  function search(query) {
    var terms = fold(query).split(/[^0-9a-z]+/).filter(function (t, i, all) { return t.length > 1 && all.indexOf(t) === i; });
    var run = { id: ++current, terms: terms };
    var more = list.parentNode.querySelector(".search-more");
    if (more) more.remove();
    if (terms.length === 0) { list.innerHTML = ""; status.textContent = "Skriv minst två bokstäver."; return; }
    status.textContent = "Söker …";
    manifest().then(function (m) {
      return Promise.all(terms.map(function (term) { return matchTerm(m, term); })).then(function (matches) {
        var hits = [];
        var first = matches[0];
        for (var n = 0; n < first.length; n++) {
          if (!first[n]) continue;
          var points = 0;
          for (var t = 0; t < matches.length && matches[t][n]; t++) points += matches[t][n] - 1;
          if (t === matches.length) hits.push({ n: n, points: points });
        }
        hits.sort(function (a, b) { return b.points - a.points || a.n - b.n; });
        var numbers = hits.map(function (h) { return h.n; });
        if (run.id !== current) return;
        list.innerHTML = "";
        return show(m, run, numbers, 0).then(function () {
          if (run.id !== current) return;
          status.textContent = numbers.length === 0
            ? "Inga träffar för ”" + query + "”."
            : numbers.length + (numbers.length === 1 ? " träff" : " träffar") + " för ”" + query + "”."
              + (numbers.length > SHOWN ? " De " + SHOWN + " bästa visas först." : "");
        });
      });
    }).catch(function (error) {
      if (run.id !== current) return;
      if (window.console) console.error(error);
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
