// Screenshots for a person to look at (not part of the test run):
//   node screenshots.mjs [OUTDIR]   → OUTDIR/<name>-<width>-<scheme>.png
// Builds the site, serves it and captures each page type at 375 px and 1280 px, light
// and dark, plus the print rendering of a version page. The large generated site
// (site.mjs, buildLargeSite) adds the kinds of page only a large site has: the timeline
// split into year pages, a year page and the start page of the newest documents.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildLargeSite, buildSite, largeSiteDir, launch, repoRoot, serve } from "./site.mjs";

const out = resolve(process.argv[2] || join(repoRoot, "target", "screenshots"));
mkdirSync(out, { recursive: true });
const shots = {
  start: "",
  version: "overenskommelse/2013/",
  old: "overenskommelse/2009/#P3",
  document: "dokument/ekero-beslut-2013/",
  compare: "overenskommelse/jamfor/2009-2013/",
  diff: "overenskommelse/jamfor/2009-2013/#till-P4",
  "what-compare": "overenskommelse/jamfor/2009-2013/#vad-andrades",
  "what-version": "overenskommelse/2013/#vad-andrades",
  search: "sok/?q=sjalvforsorjning",
  work: "overenskommelse/",
  statement: "tillganglighet/",
  timeline: "tidslinje/",
};
const largeShots = {
  "large-start": "",
  "large-timeline": "tidslinje/",
  "large-year": "tidslinje/2009/",
};
buildSite();
buildLargeSite();
const server = await serve();
const largeServer = await serve(largeSiteDir);
const browser = await launch();
for (const colorScheme of ["light", "dark"]) {
  for (const width of [375, 1280]) {
    const all = [
      ...Object.entries(shots).map(([name, path]) => [name, server.url + path]),
      ...Object.entries(largeShots).map(([name, path]) => [name, largeServer.url + path]),
    ];
    for (const [name, address] of all) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
      const page = await context.newPage();
      await page.goto(address);
      if (name === "search") await page.waitForSelector("#search-results li").catch(() => {});
      await page.screenshot({ path: join(out, `${name}-${width}-${colorScheme}.png`), fullPage: false });
      await context.close();
    }
  }
}
// Keyboard: the skip link after one Tab, and a copy button after tabbing into a clause.
for (const colorScheme of ["light", "dark"]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  const page = await context.newPage();
  await page.goto(server.url + "overenskommelse/2013/");
  await page.keyboard.press("Tab");
  await page.screenshot({ path: join(out, `focus-skip-${colorScheme}.png`) });
  await page.keyboard.press("Enter");
  for (let i = 0; i < 16; i++) await page.keyboard.press("Tab");
  await page.screenshot({ path: join(out, `focus-clause-${colorScheme}.png`) });
  await context.close();
}
const context = await browser.newContext({ viewport: { width: 800, height: 1100 } });
const page = await context.newPage();
await page.goto(server.url + "overenskommelse/2013/");
await page.emulateMedia({ media: "print" });
await page.screenshot({ path: join(out, "print-version.png"), fullPage: true });
await page.pdf({ path: join(out, "print-version.pdf"), format: "A4" });
await browser.close();
server.close();
largeServer.close();
console.log(`screenshots in ${out}`);
