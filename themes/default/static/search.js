// Static search over the index that src/render/search/ writes (its module comment
// explains the layout). A query downloads only what it needs: for each term, the one
// word shard named by the term's first trigram and the lists of the keys that contain
// it; for a clause reference ("§ 9", "5 § 2 st."), the shard of its number; then, for
// the hits shown, the text chunks holding them (snippets come from there, never from
// the pages). Words are matched by key: stemmed (Snowball Swedish, ported below), then
// folded to lowercase without diacritics, exactly as the index was built; a term
// matches every key containing it, so inflected forms, parts of compounds and queries
// typed without å/ä/ö are all found.
//
// `avtalSearch` is the part without a page (stemmer, words, references, matching,
// ranking): node loads it to test the stemmer against the one the index was built with.
var avtalSearch = (function () {
  "use strict";
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIACRITICS = /[\u0300-\u036f]/g;

  function fold(text) {
    return text.normalize("NFD").replace(DIACRITICS, "").toLowerCase();
  }

  // --- The Snowball Swedish stemmer -------------------------------------------------
  // The classic algorithm (as the rust-stemmers crate implements it), written from its
  // description. R1 is the part of the word after the first consonant that follows a
  // vowel, but at least three letters in. Three steps each remove the longest listed
  // ending found entirely in R1.
  var VOWELS = "aeiouyäåö";
  var MAIN_ENDINGS = [
    "heterna", "hetens", "anden", "andes", "andet", "arens", "arnas", "ernas", "heten", "heter",
    "ornas", "ande", "ades", "aren", "arna", "arne", "aste", "erna", "erns", "orna",
    "ade", "are", "ast", "ens", "ern", "het",
    "ad", "ar", "as", "at", "en", "er", "es", "or",
    "a", "e", "s"
  ];
  // An -s is removed only after one of these letters.
  var S_ENDING = "bcdfghjklmnoprtvy";
  var DOUBLES = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];
  var OTHER_ENDINGS = [["fullt", "full"], ["löst", "lös"], ["lig", ""], ["els", ""], ["ig", ""]];

  function isVowel(c) { return VOWELS.indexOf(c) >= 0; }

  function regionOne(word) {
    if (word.length < 3) return word.length;
    var i = 0;
    while (i < word.length && !isVowel(word[i])) i++;
    while (i < word.length && isVowel(word[i])) i++;
    return i < word.length ? Math.max(i + 1, 3) : word.length;
  }

  // `word` in lowercase.
  function stem(word) {
    var r1 = regionOne(word);
    var inR1 = function (ending) {
      return word.length - ending.length >= r1 && word.slice(word.length - ending.length) === ending;
    };
    // Step 1: the longest ending of MAIN_ENDINGS (listed longest first).
    for (var i = 0; i < MAIN_ENDINGS.length; i++) {
      var ending = MAIN_ENDINGS[i];
      if (!inR1(ending)) continue;
      // The letter before an -s may lie before R1.
      if (ending !== "s" || (word.length >= 2 && S_ENDING.indexOf(word[word.length - 2]) >= 0)) {
        word = word.slice(0, word.length - ending.length);
      }
      break;
    }
    // Step 2: a double consonant in R1 loses its last letter.
    for (i = 0; i < DOUBLES.length; i++) {
      if (inR1(DOUBLES[i])) { word = word.slice(0, -1); break; }
    }
    // Step 3: -lig, -ig, -els go; -löst and -fullt lose their -t.
    for (i = 0; i < OTHER_ENDINGS.length; i++) {
      if (inR1(OTHER_ENDINGS[i][0])) {
        word = word.slice(0, word.length - OTHER_ENDINGS[i][0].length) + OTHER_ENDINGS[i][1];
        break;
      }
    }
    return word;
  }

  // --- Words and keys, as src/render/search/text.rs makes them ----------------------
  // A word is a maximal run of characters whose folded form is only 0-9a-z.
  function words(text) {
    var found = [];
    var lower = "", folded = "", start = 0, at = 0;
    Array.from(text).forEach(function (c) {
      var parts = fold(c);
      if (/^[0-9a-z]*$/.test(parts)) {
        if (lower === "") start = at;
        lower += c.toLowerCase();
        folded += parts;
      } else {
        if (folded) found.push({ lower: lower, folded: folded, start: start, end: at });
        lower = folded = "";
      }
      at += c.length;
    });
    if (folded) found.push({ lower: lower, folded: folded, start: start, end: at });
    return found;
  }

  var MAX_WORD = 48;
  function key(lower) {
    return fold(stem(lower)).slice(0, MAX_WORD);
  }

  // Words a query need not find when it has others: a question typed as a sentence
  // ("vad händer om en kommun säger upp avtalet") is searched by its content words. A
  // word typed without å, ä and ö is a stop word when its folded form is one ("nar"),
  // but "män" is not "man".
  var STOP = ("och att det som en ett i på av för med till om är den de har inte jag vi man vad hur " +
    "när var kan ska skall eller men så vid från mot sig sin sitt sina dess denna detta dessa " +
    "vilka vilken vilket där ni du han hon min mitt mina någon något några vara varit hade ha " +
    "finns blir bli får få mig oss er ert era").split(" ");
  var FOLDED_STOP = STOP.map(fold);

  function isStop(w) {
    return STOP.indexOf(w.lower) >= 0 || (w.lower === w.folded && FOLDED_STOP.indexOf(w.folded) >= 0);
  }

  // --- References -----------------------------------------------------------------------
  var NUMBER = "(\\d+(?:\\s?[a-z](?![a-zåäöé]))?)";
  var HEAD = new RegExp("(^|[^0-9a-zåäöé])(?:(?:§§?|paragraf(?:en)?|para\\.?|p\\.?)\\s*" + NUMBER +
    "|" + NUMBER + "\\s*§)", "g");
  var ORDINALS = { "första": 1, "forsta": 1, "andra": 2, "tredje": 3, "fjärde": 4, "fjarde": 4,
    "femte": 5, "sjätte": 6, "sjatte": 6, "sjunde": 7, "åttonde": 8, "attonde": 8, "nionde": 9, "tionde": 10 };
  var PART = new RegExp("^\\s*,?\\s*(?:" +
    "(?:punkt(?:en)?|pt\\.?|p\\.?)\\s*(\\d+)" +
    "|(?:stycke(?:t)?|st\\.?)\\s*(\\d+)" +
    "|(\\d+)\\s*(?:st\\.?|stycket|styck)(?![a-zåäö])" +
    "|(\\d+)\\s*(?:p\\.|punkt(?:en)?)(?![a-zåäö])" +
    "|(" + Object.keys(ORDINALS).join("|") + ")\\s+(stycket|punkten))");

  // The clause references of a query and the rest of it: "§ 5 punkt 7 ersättning" →
  // [{number: "5", item: 7, text: "§ 5 punkt 7"}] and "ersättning".
  function references(query) {
    var text = query.normalize("NFC").toLowerCase();
    var refs = [];
    var rest = "";
    var last = 0;
    HEAD.lastIndex = 0;
    for (var m = HEAD.exec(text); m; m = HEAD.exec(text)) {
      var start = m.index + m[1].length;
      var ref = { number: (m[2] || m[3]).replace(/\s/g, ""), stycke: 0, item: 0 };
      var end = HEAD.lastIndex;
      for (var part = PART.exec(text.slice(end)); part; part = PART.exec(text.slice(end))) {
        if (part[1] || part[4]) ref.item = Number(part[1] || part[4]);
        else if (part[2] || part[3]) ref.stycke = Number(part[2] || part[3]);
        else if (part[6] === "stycket") ref.stycke = ORDINALS[part[5]];
        else ref.item = ORDINALS[part[5]];
        end += part[0].length;
      }
      ref.text = query.normalize("NFC").slice(start, end).trim();
      refs.push(ref);
      rest += text.slice(last, start) + " ";
      last = end;
      HEAD.lastIndex = end;
    }
    rest += text.slice(last);
    // A number alone is a clause number: "9" asks for § 9.
    var alone = /^\s*(\d{1,3}[a-z]?)\s*$/.exec(text);
    if (alone && !refs.length) return { refs: [{ number: alone[1], stycke: 0, item: 0, text: alone[1] }], rest: "" };
    return { refs: refs, rest: rest };
  }

  // The terms of a query: its words with their keys, stop words left out while others
  // remain, a key only once. Single digits count ("punkt 7" names a heading).
  function terms(text) {
    var all = [];
    words(text).forEach(function (w) {
      if (w.folded.length < 2 && !/^\d$/.test(w.folded)) return;
      var k = key(w.lower);
      if (all.some(function (t) { return t.key === k; })) return;
      all.push({ text: w.lower, folded: w.folded, key: k, stop: isStop(w), alts: [] });
    });
    var content = all.filter(function (t) { return !t.stop; });
    return content.length ? content : all;
  }

  // --- Matching ---------------------------------------------------------------------
  // How well key `w` matches `q`: 3 the same key, 2 `q` begins or ends it (the head or
  // the last part of a compound), 1 inside it; 0 no match. Keys of one or two
  // characters match only as word beginnings, of three not inside a word ("upp" is
  // not in "målgruppen").
  function closeness(q, w) {
    if (w === q) return 3;
    var starts = w.slice(0, q.length) === q;
    if (q.length <= 2) return starts && /\D/.test(q) ? 2 : 0;
    if (starts || w.slice(w.length - q.length) === q) return 2;
    return q.length > 3 && w.indexOf(q) >= 0 ? 1 : 0;
  }

  // A term's level for key `w`: its own key 4–6, else through a nearer key in the
  // index that begins its key (`alts`: "skol" for "skolan", "sjalvforsorj" for
  // "sjalvforsorjning"), 1–3.
  function level(term, w) {
    var own = closeness(term.key, w);
    if (own) return own + 3;
    var best = 0;
    term.alts.forEach(function (a) { best = Math.max(best, closeness(a, w)); });
    return best;
  }

  // Keys of `candidates` that begin `k` and are nearly as long: Snowball leaves some
  // endings ("-an" in "skolan") and derivations ("-ning") that the index's shorter
  // key bridges.
  function alternatives(k, candidates) {
    var shortest = Math.max(4, k.length >= 10 ? k.length - 4 : k.length >= 5 ? k.length - 2 : k.length);
    return candidates.filter(function (w) {
      return w.length < k.length && w.length >= shortest && k.slice(0, w.length) === w;
    });
  }

  // Calls found(n) for each number of a gap-encoded list (postings.rs).
  function decodeList(encoded, found) {
    var i, value;
    if (encoded.charAt(0) === "~") {
      for (i = 1; i < encoded.length; i++) {
        value = ALPHABET.indexOf(encoded.charAt(i));
        for (var bit = 0; bit < 6; bit++) if (value & (1 << bit)) found((i - 1) * 6 + bit);
      }
      return;
    }
    var next = 0;
    numbers(encoded).forEach(function (gap) { next += gap; found(next); next += 1; });
  }

  // The numbers of a sequence written as gaps are (`postings::encode_numbers`).
  function numbers(encoded) {
    var out = [], n = 0;
    for (var i = 0; i < encoded.length; i++) {
      var value = ALPHABET.indexOf(encoded.charAt(i));
      n = n * 32 + (value % 32);
      if (value < 32) { out.push(n); n = 0; }
    }
    return out;
  }

  // Calls found(first, count) for each range of a range list (`encode_ranges`).
  function decodeRanges(encoded, found) {
    var list = numbers(encoded), end = 0;
    for (var i = 0; i + 1 < list.length; i += 2) {
      var first = end + list[i], count = list[i + 1] + 1;
      found(first, count);
      end = first + count;
    }
  }

  // Damerau–Levenshtein distance (adjacent swaps count one), for suggestions.
  function distance(a, b) {
    var d = [];
    for (var i = 0; i <= a.length; i++) { d.push([i]); }
    for (var j = 1; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  // Where the terms are in `text`: its words, the terms each matches, and the shortest
  // run of words holding the most terms ({terms, words, from, to} as word positions).
  function nearness(text, list) {
    var ws = words(text);
    ws.forEach(function (w) {
      var k = key(w.lower);
      w.terms = [];
      list.forEach(function (t, i) { if (level(t, k)) w.terms.push(i); });
    });
    var best = { terms: 0, span: Infinity, from: 0, to: -1, words: ws };
    var hits = [];
    ws.forEach(function (w, i) { if (w.terms.length) hits.push(i); });
    for (var a = 0; a < hits.length; a++) {
      var seen = {}, count = 0;
      for (var b = a; b < hits.length; b++) {
        ws[hits[b]].terms.forEach(function (t) { if (!seen[t]) { seen[t] = true; count++; } });
        var span = hits[b] - hits[a] + 1;
        if (count > best.terms || (count === best.terms && span < best.span)) {
          best.terms = count; best.span = span; best.from = hits[a]; best.to = hits[b];
        }
        if (count === list.length) break;
      }
    }
    return best;
  }

  return {
    fold: fold, stem: stem, words: words, key: key, references: references, terms: terms,
    level: level, alternatives: alternatives, decodeList: decodeList, decodeRanges: decodeRanges,
    numbers: numbers, distance: distance, nearness: nearness
  };
})();

if (typeof module === "object" && module.exports) {
  module.exports = avtalSearch;
} else if (typeof document !== "undefined" && document.querySelector(".search-form")) {
  (function (core) {
    "use strict";
    var FORMAT = 3;
    var SHOWN = 20;
    // Bytes of list files a query may fetch (`plan`): with a shard a term and the text
    // of 20 hits, a query on 10,000 documents stays within 300 KB.
    var LIST_BUDGET = 128 * 1024;
    var root = document.body.dataset.root || "";
    var form = document.querySelector(".search-form");
    var input = document.getElementById("q");
    var versionSelect = document.getElementById("sok-version");
    var kindSelect = document.getElementById("sok-typ");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var help = document.getElementById("search-help");
    var cache = {};
    var current = 0;

    // One request per file, however many terms or hits need it.
    function get(path) {
      if (!cache[path]) {
        cache[path] = fetch(root + path).then(function (r) {
          if (!r.ok) throw new Error(path + ": " + r.status);
          return r.json();
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

    // The shard entries listed under the gram that finds key `k`.
    function candidates(m, k) {
      var gram = k.length <= 2 ? "^" + k : k.slice(0, 3);
      return get("sok/ord/" + gramShard(gram, m.gramShards) + ".json").then(function (shard) {
        return (shard.grams[gram] || []).map(function (i) { return shard.words[i]; });
      });
    }

    // An entry's three lists (body, headings, titles), fetched if they are in a file.
    function lists(entry) {
      if (typeof entry[1] === "number") return get("sok/forekomster/" + entry[1] + ".json");
      return Promise.resolve(entry.slice(1));
    }

    // For one term: the keys it matches, best first ({entry, level}), and the nearer
    // keys it also tries (`alts`).
    function matchTerm(m, term) {
      return candidates(m, term.key).then(function (entries) {
        var keys = entries.map(function (e) { return e[0]; }).filter(function (w) { return w.charAt(0) !== "#"; });
        term.alts = core.alternatives(term.key, keys);
        var matched = [];
        entries.forEach(function (e) {
          var l = e[0].charAt(0) === "#" ? 0 : core.level(term, e[0]);
          if (l) matched.push({ entry: e, level: l });
        });
        matched.sort(function (a, b) { return b.level - a.level; });
        return { term: term, words: matched, found: matched.length > 0 };
      });
    }

    // Which keys' list files a query fetches: every term its best one, then the best
    // of all terms' others while all fit in LIST_BUDGET bytes (on a large site a short
    // term is inside hundreds of frequent keys). Marks the matches that left some out.
    function plan(matches) {
      var spent = 0;
      var take = function (match, w) { w.take = true; spent += w.entry[2] || 0; };
      matches.forEach(function (match) {
        var first = match.words.filter(function (w) { return typeof w.entry[1] === "number"; })[0];
        if (first) take(match, first);
      });
      var rest = [];
      matches.forEach(function (match) {
        match.words.forEach(function (w) {
          if (typeof w.entry[1] !== "number") w.take = true;
          else if (!w.take) rest.push({ match: match, w: w });
        });
      });
      rest.sort(function (a, b) { return b.w.level - a.w.level || (a.w.entry[2] || 0) - (b.w.entry[2] || 0); });
      rest.forEach(function (r) {
        if (spent + (r.w.entry[2] || 0) <= LIST_BUDGET) take(r.match, r.w);
        else r.match.limited = true;
      });
    }

    // A match's lists, loaded: per unit, the term's best level in the text, in its
    // clause's heading and in its page's title, and where that clause and page begin.
    function load(m, match) {
      var words = match.words.filter(function (w) { return w.take; });
      return Promise.all(words.map(function (w) { return lists(w.entry); })).then(function (loaded) {
        match.body = new Uint8Array(m.units);
        match.head = new Uint8Array(m.units);
        match.title = new Uint8Array(m.units);
        match.clause = new Int32Array(m.units);
        match.page = new Int32Array(m.units);
        loaded.forEach(function (l, i) {
          var points = words[i].level;
          if (l[0]) core.decodeList(l[0], function (n) { if (match.body[n] < points) match.body[n] = points; });
          if (l[1]) core.decodeRanges(l[1], function (first, count) {
            for (var n = first; n < first + count; n++) {
              if (match.head[n] < points) match.head[n] = points;
              match.clause[n] = first;
            }
          });
          if (l[2]) core.decodeRanges(l[2], function (first, count) {
            for (var n = first; n < first + count; n++) {
              if (match.title[n] < points) match.title[n] = points;
              match.page[n] = first;
            }
          });
        });
        return match;
      });
    }

    // The clauses numbered as a reference says, in the order equal hits are shown:
    // [{n: first unit, count, ref}].
    function matchReference(m, ref) {
      var k = "#" + ref.number;
      return candidates(m, k).then(function (entries) {
        var entry = entries.filter(function (e) { return e[0] === k; })[0];
        if (!entry) return [];
        return lists(entry).then(function (l) {
          var found = [];
          if (l[1]) core.decodeRanges(l[1], function (first, count) { found.push({ n: first, count: count, ref: ref }); });
          return found;
        });
      });
    }

    // Which units the filters keep: a function of the unit number, or null for all.
    function filterOf(m) {
      var version = versionSelect.value, kind = kindSelect.value;
      if (!version && !kind) return Promise.resolve(null);
      var versionIndex = m.versions.map(function (v) { return v[0]; }).indexOf(version);
      var kindIndex = m.kinds.map(function (k) { return k[0]; }).indexOf(kind);
      return get("sok/sidor.json").then(function (pages) {
        var table = core.numbers(pages.pages);
        var ends = [], keep = [], end = 0;
        for (var i = 0; i + 1 < table.length; i += 2) {
          var group = pages.groups[table[i + 1]];
          end += table[i];
          ends.push(end);
          keep.push((!kind || group[0] === kindIndex) && (!version || group[1].indexOf(versionIndex) >= 0));
        }
        return function (n) {
          var lo = 0, hi = ends.length - 1;
          while (lo < hi) { var mid = (lo + hi) >> 1; if (ends[mid] > n) hi = mid; else lo = mid + 1; }
          return keep[lo];
        };
      });
    }

    // Ranked hits of the terms: every term in the unit's text, its clause's heading or
    // its page's title (else, when no unit has all, the units with the most).
    // Clauses whose heading has every term first, then all terms in the text itself,
    // then (among the hits shown) how near they are, then headings with some terms and
    // how well the words match; equal hits in unit order (what applies, then newest).
    // A clause found only by its heading is one hit, as is a page found only by its
    // title.
    function rank(m, matches, keep) {
      var hits = [];
      var most = 0;
      for (var n = 0; n < m.units; n++) {
        if (keep && !keep(n)) continue;
        var covered = 0, head = 0, heads = 0, body = 0, quality = 0, title = 0;
        for (var t = 0; t < matches.length; t++) {
          var b = matches[t].body[n], h = matches[t].head[n], ti = matches[t].title[n];
          var best = Math.max(b, h, ti);
          if (!best) continue;
          covered++; head += h; quality += grade(best); title += ti;
          // A heading counts whole only through the term's own key, not a nearer one.
          if (h >= 4) heads++;
          if (b) body++;
        }
        if (!covered || covered < most) continue;
        if (covered > most) { most = covered; hits = hits.filter(function (x) { return x.covered >= most; }); }
        hits.push({
          n: n, covered: covered, heading: heads === matches.length ? head : 0, head: head, body: body,
          all: body === matches.length ? 1 : 0, quality: quality, title: title
        });
      }
      // Collapse: a unit whose text has none of the terms stands for its clause (or
      // page), once, and not at all when the clause (page) has hits in its text.
      var textInClause = {}, textInPage = {}, headInPage = {};
      hits.forEach(function (x) {
        var c = clauseOf(matches, x.n), p = pageOf(matches, x.n);
        if (x.body) { textInClause[c] = true; textInPage[p] = true; }
        if (x.head) headInPage[p] = true;
      });
      var shown = {};
      hits = hits.filter(function (x) {
        if (x.body) { x.kind = "unit"; return true; }
        var c = clauseOf(matches, x.n), p = pageOf(matches, x.n);
        if (x.head) {
          if (textInClause[c] || shown["c" + c]) return false;
          shown["c" + c] = true; x.kind = "clause"; x.n = c;
          return true;
        }
        if (textInPage[p] || headInPage[p] || shown["p" + p]) return false;
        shown["p" + p] = true; x.kind = "page"; x.n = p;
        return true;
      });
      hits.sort(order);
      return { hits: hits, most: most };
    }

    // How much a level counts among hits alike: the term's own key as a word or at an
    // edge of one, inside one, or a nearer key. Finer differences give way to the
    // order of what applies: for "skolan", the agreement's "grundskola" (through
    // "skol") comes before an older text's "skola" (also through "skol").
    function grade(level) {
      return level >= 5 ? 3 : level === 4 ? 2 : level >= 2 ? 1 : 0;
    }

    function clauseOf(matches, n) {
      for (var t = 0; t < matches.length; t++) if (matches[t].head[n]) return matches[t].clause[n];
      return n;
    }

    function pageOf(matches, n) {
      for (var t = 0; t < matches.length; t++) if (matches[t].title[n]) return matches[t].page[n];
      return n;
    }

    function order(a, b) {
      // Clauses found by their heading alike: what applies first, in the text's order.
      return b.covered - a.covered || b.heading - a.heading || (a.heading ? a.n - b.n : 0) || b.all - a.all ||
        (b.near || 0) - (a.near || 0) || b.head - a.head || b.quality - a.quality || b.title - a.title || a.n - b.n;
    }

    // Unit number → { title, where, url, kind, label, clause, heading, anchor, text, items }.
    function describe(m, n) {
      return get("sok/text/" + Math.floor(n / m.textChunk) + ".json").then(function (chunk) {
        var at = chunk.first, found = null;
        chunk.pages.forEach(function (page) {
          page[4].forEach(function (clause) {
            clause[3].forEach(function (unit) {
              if (at++ !== n) return;
              found = {
                title: page[0], where: page[1], url: page[2], kind: page[3],
                label: clause[0], clause: clause[1], heading: clause[2],
                anchor: typeof unit[0] === "number" ? clause[1] + "S" + unit[0] : unit[0],
                text: unit[1], items: unit[2] || 0
              };
            });
          });
        });
        return found;
      });
    }

    // The stycke or point a reference names, within its clause's units.
    function resolveReference(m, hit) {
      var numbers = [];
      for (var n = hit.n; n < hit.n + Math.min(hit.count, 4 * m.textChunk); n++) numbers.push(n);
      return Promise.all(numbers.map(function (n) { return describe(m, n); })).then(function (units) {
        var ref = hit.ref, clause = units[0], target = null;
        if (ref.stycke) target = units.filter(function (u) { return u.anchor === u.clause + "S" + ref.stycke; })[0];
        var candidatesWithItems = (target ? [target] : units).filter(function (u) { return u.items >= ref.item; });
        if (ref.item && candidatesWithItems.length) {
          var u = candidatesWithItems[0];
          var lines = u.text.split("\n");
          var item = lines[lines.length - u.items + ref.item - 1];
          return { d: u, anchor: u.anchor + "N" + ref.item, text: item, part: " punkt " + ref.item };
        }
        if (target) return { d: target, anchor: target.anchor, text: target.text, part: " stycke " + ref.stycke };
        return { d: clause, anchor: clause.clause, text: clause.text, part: "" };
      });
    }

    function linkText(d) {
      if (/^§/.test(d.label)) return d.heading ? d.label + " " + d.heading : d.label;
      return d.heading || d.label;
    }

    // Appends `text` to `parent`, words matching a term in <mark>.
    function marked(parent, text, terms) {
      var last = 0;
      core.words(text).forEach(function (w) {
        var k = core.key(w.lower);
        if (!terms.some(function (t) { return core.level(t, k); })) return;
        parent.appendChild(document.createTextNode(text.slice(last, w.start)));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(w.start, w.end);
        parent.appendChild(mark);
        last = w.end;
      });
      parent.appendChild(document.createTextNode(text.slice(last)));
    }

    // The sentences of `text` around words `from`…`to` (positions in `near.words`),
    // at most about 300 characters.
    function snippet(text, near) {
      if (!near || near.to < 0) return text.length > 300 ? text.slice(0, text.lastIndexOf(" ", 280)) + " …" : text;
      var from = near.words[near.from].start, to = near.words[near.to].end;
      var before = text.slice(0, from);
      var start = Math.max(before.search(/[^.!?\n]*$/), 0);
      var stop = text.slice(to).search(/[.!?](\s|$)|\n/);
      var end = stop < 0 ? text.length : to + stop + 1;
      var piece = text.slice(start, end).trim();
      if (piece.length > 320) {
        var at = Math.max(0, from - start - 120);
        piece = (at > 0 ? "… " : "") + text.slice(start + at, start + at + 300).trim() + " …";
      }
      return piece;
    }

    function item(d, href, title, where, text, terms, near) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + href;
      marked(a, title, terms);
      var from = document.createElement("p");
      from.className = "search-where";
      from.textContent = where;
      var p = document.createElement("p");
      p.className = "search-snippet";
      marked(p, snippet(text, near), terms);
      li.appendChild(a);
      li.appendChild(from);
      li.appendChild(p);
      return li;
    }

    // How a reference hit other than the lead is introduced: a version of the lead's
    // work is another version; a version of another work (its folder, the first part of
    // its address, differs) is another text.
    function sameNumber(d, lead) {
      if (d.kind !== "version") return "Samma nummer i ett annat dokument: ";
      var work = function (url) { return url.split("/")[0]; };
      return lead.kind === "version" && work(d.url) !== work(lead.url)
        ? "Samma nummer i en annan text: " : "Samma nummer i en annan version: ";
    }

    // Adds results `from` … `from + SHOWN` to the list. Hits of the text are ranked
    // again among themselves by how near their terms are, which needs their text.
    function show(m, run, results, from) {
      var slice = results.slice(from, from + SHOWN);
      return Promise.all(slice.map(function (r) {
        return r.ref ? resolveReference(m, r) : describe(m, r.n).then(function (d) { return { d: d }; });
      })).then(function (described) {
        if (run.id !== current) return;
        slice.forEach(function (r, i) {
          r.d = described[i];
          if (!r.ref) {
            r.nearInfo = core.nearness(r.d.d.text, run.terms);
            r.near = r.kind === "unit" && run.terms.length > 1 ? r.nearInfo.terms * 1000 - Math.min(r.nearInfo.span, 999) : 0;
          }
        });
        var refs = slice.filter(function (r) { return r.ref; });
        // A reference to a stycke or point leads with a version that has it: "§ 5 punkt 7"
        // is 2013 § 5 punkt 7 when § 5 of the version that applies has no point 7.
        var hasPart = function (r) { return r.d.part !== ""; };
        var lead = refs.indexOf(run.lead);
        if (lead >= 0 && (run.lead.ref.item || run.lead.ref.stycke) && !hasPart(run.lead)) {
          var better = refs.filter(hasPart)[0];
          if (better) {
            run.lead = better;
            refs = [better].concat(refs.filter(function (r) { return r !== better; }));
          }
        }
        var text = slice.filter(function (r) { return !r.ref; }).sort(order);
        var more = list.parentNode.querySelector(".search-more");
        if (more) more.remove();
        refs.concat(text).forEach(function (r) {
          var d = r.d.d, li;
          if (r.ref) {
            var lead = run.lead === r;
            var where = lead ? d.where : sameNumber(d, run.lead.d.d) + d.where;
            li = item(d, d.url + "#" + r.d.anchor, linkText(d) + r.d.part, where, r.d.text, run.terms, null);
            li.className = lead ? "search-ref" : "search-ref search-other";
          } else if (r.kind === "page") {
            li = item(d, d.url, d.title, d.where, d.text, run.terms, null);
          } else if (r.kind === "clause") {
            li = item(d, d.url + "#" + d.clause, linkText(d), d.where, d.text, run.terms, null);
          } else {
            li = item(d, d.url + "#" + d.anchor, linkText(d), d.where, d.text, run.terms, r.nearInfo);
          }
          list.appendChild(li);
        });
        if (from + SHOWN < results.length) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "search-more";
          button.textContent = "Visa fler träffar";
          button.addEventListener("click", function () {
            button.disabled = true;
            show(m, run, results, from + SHOWN).then(function () {
              var next = list.children[from + SHOWN];
              if (next) next.querySelector("a").focus();
            });
          });
          list.parentNode.insertBefore(button, list.nextSibling);
        }
      });
    }

    // The indexed words nearest to a term that found nothing, as written in the text:
    // [{word, query}] for a "Menade du" line.
    function suggest(m, term) {
      var k = term.key;
      var grams = [k.length <= 2 ? "^" + k : k.slice(0, 3)];
      if (k.length > 4) grams.push(k.slice(k.length - 3), k.slice(Math.floor(k.length / 2) - 1, Math.floor(k.length / 2) + 2));
      return Promise.all(grams.map(function (g) {
        return get("sok/ord/" + gramShard(g, m.gramShards) + ".json").then(function (shard) {
          return (shard.grams[g] || []).map(function (i) { return shard.words[i]; });
        });
      })).then(function (found) {
        var seen = {}, scored = [];
        var limit = k.length >= 8 ? 2 : 1;
        [].concat.apply([], found).forEach(function (e) {
          if (seen[e[0]] || e[0].charAt(0) === "#") return;
          seen[e[0]] = true;
          var d = core.distance(k, e[0]);
          if (d <= limit) scored.push({ entry: e, d: d, weight: typeof e[1] === "number" ? 1e6 : (e[1] || "").length });
        });
        scored.sort(function (a, b) { return a.d - b.d || b.weight - a.weight; });
        return Promise.all(scored.slice(0, 3).map(function (s) { return surface(m, s.entry); }));
      });
    }

    // A word of the text whose key is the entry's, found in the first unit listing it.
    function surface(m, entry) {
      return lists(entry).then(function (l) {
        var first = -1;
        if (l[0]) core.decodeList(l[0], function (n) { if (first < 0) first = n; });
        if (first < 0 && l[1]) core.decodeRanges(l[1], function (n) { if (first < 0) first = n; });
        if (first < 0) return entry[0];
        return describe(m, first).then(function (d) {
          var texts = [d.text, d.heading];
          for (var i = 0; i < texts.length; i++) {
            var w = core.words(texts[i] || "").filter(function (x) { return core.key(x.lower) === entry[0]; })[0];
            if (w) return w.lower;
          }
          return entry[0];
        });
      });
    }

    function say(parts) {
      status.textContent = parts.filter(Boolean).join(" ");
    }

    // A reader who found nothing: the nearest words, and the way to the clauses.
    function helpAfterNothing(m, query, missing) {
      help.innerHTML = "";
      return Promise.all(missing.map(function (t) { return suggest(m, t); })).then(function (suggestions) {
        var p = document.createElement("p");
        var offered = false;
        missing.forEach(function (t, i) {
          suggestions[i].forEach(function (word) {
            if (!offered) p.appendChild(document.createTextNode("Menade du "));
            else p.appendChild(document.createTextNode(" eller "));
            offered = true;
            var a = document.createElement("a");
            var instead = query.replace(new RegExp(t.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"), word);
            a.href = "?q=" + encodeURIComponent(instead);
            a.textContent = word;
            p.appendChild(a);
          });
        });
        if (offered) { p.appendChild(document.createTextNode("?")); help.appendChild(p); }
        if (m.contents.length) {
          var toc = document.createElement("p");
          toc.appendChild(document.createTextNode("Du kan också gå igenom paragraferna i "));
          m.contents.forEach(function (c, i) {
            if (i) toc.appendChild(document.createTextNode(", "));
            var a = document.createElement("a");
            a.href = root + c[1];
            a.textContent = c[0];
            toc.appendChild(a);
          });
          toc.appendChild(document.createTextNode("."));
          help.appendChild(toc);
        }
      });
    }

    function search(query) {
      var parsed = core.references(query);
      var run = { id: ++current, terms: core.terms(parsed.rest), refs: parsed.refs };
      var more = list.parentNode.querySelector(".search-more");
      if (more) more.remove();
      help.innerHTML = "";
      if (run.terms.length === 0 && run.refs.length === 0) {
        list.innerHTML = "";
        status.textContent = "Skriv minst två bokstäver, eller en paragraf som ”§ 9”.";
        return;
      }
      status.textContent = "Söker …";
      manifest().then(function (m) {
        var termMatches = Promise.all(run.terms.map(function (t) { return matchTerm(m, t); })).then(function (matches) {
          plan(matches);
          return Promise.all(matches.map(function (match) { return load(m, match); }));
        });
        return Promise.all([
          Promise.all(run.refs.map(function (r) { return matchReference(m, r); })),
          termMatches,
          filterOf(m)
        ]).then(function (all) {
          if (run.id !== current) return;
          var keep = all[2];
          var refHits = [].concat.apply([], all[0]).filter(function (r) { return !keep || keep(r.n); });
          refHits.sort(function (a, b) { return a.n - b.n; });
          run.lead = refHits[0];
          var missing = all[1].filter(function (x) { return !x.found; }).map(function (x) { return x.term; });
          var present = all[1].filter(function (x) { return x.found; });
          var ranked = present.length ? rank(m, present, keep) : { hits: [], most: 0 };
          var results = refHits.concat(ranked.hits);
          list.innerHTML = "";
          return show(m, run, results, 0).then(function () {
            if (run.id !== current) return;
            var count = results.length;
            var noRef = run.refs.filter(function (r) {
              return !refHits.some(function (h) { return h.ref === r; });
            }).map(function (r) { return "Ingen paragraf ”" + r.text + "” hittades."; });
            var partial = present.length > 1 && ranked.most < present.length && ranked.hits.length
              ? "Ingen träff har alla orden; de som har flest visas." : "";
            var absent = missing.length && count
              ? missing.map(function (t) { return "”" + t.text + "”"; }).join(", ") + " finns inte i texterna." : "";
            var limited = all[1].some(function (x) { return x.limited; }) ? "Bara de närmaste orden har sökts." : "";
            var filtered = keep ? "(Filtrerat.)" : "";
            say([
              count === 0 ? "Inga träffar för ”" + query + "”." :
                count + (count === 1 ? " träff" : " träffar") + " för ”" + query + "”.",
              noRef.join(" "), absent, partial, limited, filtered,
              count > SHOWN ? "De " + SHOWN + " bästa visas först." : ""
            ]);
            if (count === 0 || missing.length) return helpAfterNothing(m, query, count === 0 && !missing.length ? run.terms : missing);
          });
        });
      }).catch(function (error) {
        if (run.id !== current) return;
        if (window.console) console.error(error);
        status.textContent = "Sökindexet kunde inte laddas. Öppna sidan via en webbserver (t.ex. avtal serve).";
      });
    }

    function address() {
      var params = new URLSearchParams();
      params.set("q", input.value);
      if (versionSelect.value) params.set("version", versionSelect.value);
      if (kindSelect.value) params.set("typ", kindSelect.value);
      return "?" + params.toString();
    }

    function fillFilters(m, params) {
      m.versions.forEach(function (v) {
        versionSelect.appendChild(new Option(v[1] ? v[0] + " · " + v[1] : v[0], v[0]));
      });
      m.kinds.forEach(function (k) { kindSelect.appendChild(new Option(k[1], k[0])); });
      versionSelect.value = params.get("version") || "";
      kindSelect.value = params.get("typ") || "";
      document.querySelector(".search-filters").hidden = false;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      history.replaceState(null, "", address());
      search(input.value);
    });
    [versionSelect, kindSelect].forEach(function (select) {
      select.addEventListener("change", function () {
        history.replaceState(null, "", address());
        if (input.value.trim()) search(input.value);
      });
    });
    var params = new URLSearchParams(location.search);
    manifest().then(function (m) { fillFilters(m, params); }).catch(function () {}).then(function () {
      var initial = params.get("q");
      if (initial) { input.value = initial; search(initial); }
    });
  })(avtalSearch);
}
