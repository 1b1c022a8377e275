// What a reader downloads to search: builds nothing, serves a built site, types each
// query into the search page in a fresh browser context (empty cache) and prints the
// hits and the bytes fetched, by kind of file. A measuring tool, not a test:
//   node tests/browser/search-bytes.mjs DIR [query …]
import { serve, launch } from "./site.mjs";

const [dir, ...given] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node search-bytes.mjs BUILT_SITE_DIR [query …]");
  process.exit(2);
}
const queries = given.length ? given : ["avtal", "självförsörjning", "sjalvforsorjning", "kommunen ansvar", "qxzqxz"];
const server = await serve(dir);
const browser = await launch();
try {
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + "sok/");
    const fetched = new Map();
    page.on("response", async (response) => {
      const path = new URL(response.url()).pathname;
      const body = await response.body().catch(() => Buffer.alloc(0));
      const kind = path.includes("/sok/") ? path.replace(/.*\/sok\/([^/]*\/)?.*/, "sok/$1") : "pages";
      const entry = fetched.get(kind) || { files: 0, bytes: 0 };
      entry.files += 1;
      entry.bytes += body.length;
      fetched.set(kind, entry);
    });
    const started = Date.now();
    await page.fill("#q", query);
    await page.press("#q", "Enter");
    await page.waitForFunction(() => /träff|kunde inte/.test(document.getElementById("search-status").textContent));
    const took = Date.now() - started;
    await page.waitForTimeout(200);
    const status = await page.textContent("#search-status");
    const first = await page.$$eval("#search-results li", (items) => items.slice(0, 2).map((li) => li.textContent.replace(/\s+/g, " ").slice(0, 160)));
    let total = 0;
    const parts = [...fetched].map(([kind, { files, bytes }]) => {
      total += bytes;
      return `${kind} ${files} file(s) ${(bytes / 1024).toFixed(1)} KB`;
    });
    console.log(`”${query}”: ${status} ${took} ms, ${(total / 1024).toFixed(1)} KB: ${parts.join(", ")}`);
    for (const line of first) console.log(`    ${line}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
