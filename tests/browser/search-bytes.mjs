// What a reader downloads to search: builds nothing, serves a built site, opens the
// search page with each query (`sok/?q=…`) in a fresh browser context (empty cache)
// and prints the hits and the bytes fetched from the moment the page opens, by kind of
// file. The search page itself (HTML, CSS, search.js) is counted apart: it is the page,
// the same for every query. A measuring tool, not a test:
//   node tests/browser/search-bytes.mjs DIR [query …]
//   node tests/browser/search-bytes.mjs DIR --table     (the citizen queries of the suite)
import { serve, launch } from "./site.mjs";
import { citizenQueries } from "./search-queries.mjs";

const [dir, ...given] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node search-bytes.mjs BUILT_SITE_DIR [query … | --table]");
  process.exit(2);
}
const queries = given[0] === "--table"
  ? citizenQueries.map((q) => q.query)
  : given.length ? given : ["avtal", "självförsörjning", "sjalvforsorjning", "kommunen ansvar", "§ 5 punkt 7", "qxzqxz"];
const server = await serve(dir);
const browser = await launch();
const totals = [];
try {
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched = new Map();
    const pending = [];
    page.on("response", (response) => {
      pending.push((async () => {
        const path = new URL(response.url()).pathname;
        const body = await response.body().catch(() => Buffer.alloc(0));
        const kind = path.includes("/sok/") && path.endsWith(".json")
          ? path.replace(/.*\/sok\/([^/]*\/)?.*/, "sok/$1")
          : path.endsWith("/sok/") || path.includes("/static/") ? "search page" : "other pages";
        const entry = fetched.get(kind) || { files: 0, bytes: 0 };
        entry.files += 1;
        entry.bytes += body.length;
        fetched.set(kind, entry);
      })());
    });
    const started = Date.now();
    await page.goto(server.url + "sok/?q=" + encodeURIComponent(query));
    await page.waitForFunction(() => /träff|kunde inte|Skriv/.test(document.getElementById("search-status").textContent));
    const took = Date.now() - started;
    await page.waitForLoadState("networkidle");
    await Promise.all(pending);
    const status = await page.textContent("#search-status");
    const first = await page.$$eval("#search-results li", (items) => items.slice(0, 2).map((li) => li.textContent.replace(/\s+/g, " ").slice(0, 160)));
    let index = 0;
    const parts = [...fetched].map(([kind, { files, bytes }]) => {
      if (kind.startsWith("sok/")) index += bytes;
      return `${kind} ${files} file(s) ${(bytes / 1024).toFixed(1)} KB`;
    });
    totals.push({ query, index });
    console.log(`”${query}”: ${status} ${took} ms; index ${(index / 1024).toFixed(1)} KB: ${parts.join(", ")}`);
    for (const line of first) console.log(`    ${line}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const sorted = totals.map((t) => t.index).sort((a, b) => a - b);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const largest = totals.reduce((a, b) => (b.index > a.index ? b : a));
console.log(`index bytes per query over ${totals.length} queries: median ${kb(sorted[Math.floor(sorted.length / 2)])}, ` +
  `largest ${kb(largest.index)} (”${largest.query}”)`);
