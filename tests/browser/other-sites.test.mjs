// The browser checks over two sites besides the real one (extra-sites.mjs): a site made
// by `avtal init`, and the real content with the invented guidelines of
// tests/fixtures/riktlinjer as a second work. For each, at 375 and 1280 px: axe and the
// Nu HTML Checker on its pages, the way from the start page to the work and its
// versions, clause deep links, the comparison, search, the open-data links, the 404 page,
// and no text of the real agreement where it does not belong. The real site's own pages
// are suite.test.mjs's. Run with `node --test` (tests/browser/run installs what it needs).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";
import {
  buildInitSite, buildSecondWorkSite, filesEnding, initRoot, initSiteDir, secondWorkRoot, secondWorkSiteDir,
} from "./extra-sites.mjs";
import { htmlPages, launch, repoRoot, serve } from "./site.mjs";

const vnuJar = fileURLToPath(new URL("node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url));
const widths = [375, 1280];

/** Words of the real agreement (content/): none belongs in the init site, nor in the
 *  second work's pages except where they link to the agreement. */
const REAL_AGREEMENT = /överenskommelse|overenskommelse|nyanlända|nyanlanda|stockholms län/i;

/** The two sites, what each holds, and what to look for in them. */
const sites = [
  {
    name: "init",
    build: buildInitSite,
    root: initRoot,
    dir: initSiteDir,
    work: "samarbetsavtal",
    workTitle: "Samarbetsavtal om gemensam e-arkivtjänst mellan Norrby kommun och Söderby kommun",
    versions: ["2024", "2025"],
    inForce: "2025",
    // Every page of the init site is its own.
    own: () => true,
    deepLink: { anchor: "P3", heading: "§ 3 Styrgrupp" },
    // 2024 → 2025: § 3 is new, 2024 § 3 to § 5 move one number on.
    rows: [
      { id: "till-P3", heading: /^2024 – → 2025 § 3/, status: /^ny\b/ },
      { id: "till-P4", heading: /^2024 § 3 → 2025 § 4/, status: /^omnumrerad\b/ },
      { id: "till-P6", heading: /^2024 § 5 → 2025 § 6/, status: /^omnumrerad och ändrad\b/ },
    ],
    fates: [{ anchor: "P3", fate: /^I 2025 års version: § 4 \(omnumrerad\)\.$/ }],
    words: { query: "styrgrupp", first: "samarbetsavtal/2025/#P3S1" },
    reference: { query: "3 §", lead: "samarbetsavtal/2025/#P3", title: /^§ 3 Styrgrupp/ },
  },
  {
    name: "riktlinjer",
    build: buildSecondWorkSite,
    root: secondWorkRoot,
    dir: secondWorkSiteDir,
    work: "riktlinjer",
    workTitle: "Riktlinjer för ekonomiskt bistånd i Västerby kommun",
    versions: ["2021", "2023"],
    inForce: "2023",
    // The guidelines' pages and the pages of the whole site; the agreement's own pages
    // and documents are the real site's, checked by suite.test.mjs.
    own: (path) => !/^(overenskommelse|dokument)\//.test(path),
    deepLink: { anchor: "P6", heading: "§ 6 Handläggning" },
    // tests/fixtures/riktlinjer/README.md: renumbered, split, new and removed clauses.
    rows: [
      { id: "till-P2", heading: /^2021 – → 2023 § 2/, status: /^ny\b/, note: "Ny paragraf om digital ansökan." },
      { id: "till-P3", heading: /^2021 § 2 → 2023 § 3/, status: /^omnumrerad\b/ },
      {
        id: "till-P4", heading: /^2021 § 3 → 2023 § 4 och § 5/, status: /^delad\b/, parts: 2, note: "Delad i två paragrafer.",
        // A point with a nested list keeps its number, its nested items on its line.
        item: { ref: "P4S1N2", text: "hälsa och hygien, till exempel receptfria läkemedel, tvål och tandkräm." },
      },
      { id: "fran-P4", heading: /^2021 § 4 → 2023 –/, status: /^utgår\b/ },
      { id: "till-P6", heading: /^2021 § 5 → 2023 § 6/, status: /^omnumrerad\b/ },
    ],
    fates: [
      { anchor: "P2", fate: /^I 2023 års version: § 3 \(omnumrerad\)\.$/ },
      { anchor: "P3", fate: /^I 2023 års version: § 4 och § 5 \(delad\)\.$/ },
      { anchor: "P4", fate: /^Finns inte i 2023 års version/ },
    ],
    words: { query: "digital ansökan", first: "riktlinjer/2023/#P2S1" },
    reference: { query: "§ 6", lead: "riktlinjer/2023/#P6", title: /^§ 6 Handläggning/ },
  },
];

let browser;

before(async () => {
  for (const site of sites) {
    site.build();
    site.pages = htmlPages(site.dir).filter(site.own);
    site.server = await serve(site.dir);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const site of sites) site.server?.close();
});

/** A fresh page of `site` in its own context (axe needs a context of its own). */
async function open(site, path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const response = await page.goto(site.server.url + path);
  return { context, page, response };
}

async function searchFor(page, query) {
  await page.fill("#q", query);
  await page.press("#q", "Enter");
  await page.waitForFunction((q) => {
    const status = document.getElementById("search-status").textContent;
    return /träff/.test(status) && status.includes(`”${q}”`);
  }, query);
  return page.$$eval("#search-results li", (items) => items.map((li) => ({
    href: li.querySelector("a").getAttribute("href"),
    title: li.querySelector("a").textContent,
    where: li.querySelector(".search-where").textContent,
  })));
}

/** The folder of a work in a search hit's address (`../riktlinjer/2023/#P6` → `riktlinjer`). */
const workOf = (href) => href.replace(/^(\.\.\/)+/, "").split("/")[0];

for (const site of sites) {
  describe(`the ${site.name} site`, () => {
    test("every page passes axe at 375 and 1280 px (and in dark colours) and fits the screen", async () => {
      assert.ok(site.pages.length >= 10, `${site.pages.length} pages`);
      const problems = [];
      const runs = widths.flatMap((width) => site.pages.map((path) => ({ width, path })));
      const check = async ({ width, path }) => {
        // Dark colours at the wide width only, as suite.test.mjs does (axe is slow).
        for (const colorScheme of width === 1280 ? ["light", "dark"] : ["light"]) {
          const { context, page, response } = await open(site, path, { viewport: { width, height: 900 }, colorScheme });
          if (colorScheme === "light") {
            assert.equal(response.status(), 200, path);
            const wide = await page.evaluate(() => document.documentElement.scrollWidth);
            if (wide > width) problems.push(`${width}px /${path}: ${wide} px wide`);
          }
          // Every rule in light colours; in dark colours those that depend on colour.
          const builder = new AxeBuilder({ page });
          const result = await (colorScheme === "light"
            ? builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
            : builder.withRules(["color-contrast", "link-in-text-block"])
          ).analyze();
          for (const v of result.violations) {
            problems.push(`${width}px ${colorScheme} /${path}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")}`);
          }
          await context.close();
        }
      };
      for (let i = 0; i < runs.length; i += 4) await Promise.all(runs.slice(i, i + 4).map(check));
      console.log(`${site.name}: axe on ${site.pages.length} pages × 2 widths, and dark at 1280 px, ${problems.length} problems`);
      assert.deepEqual(problems, []);
    });

    test("the Nu HTML Checker reports no errors", () => {
      const files = site.pages.map((p) => join(site.dir, p.endsWith(".html") ? p : join(p, "index.html")));
      let output = "";
      try {
        output = execFileSync("java", ["-jar", vnuJar, "--errors-only", ...files], {
          encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
        });
      } catch (error) {
        output = `${error.stdout || ""}${error.stderr || ""}` || String(error);
      }
      console.log(`${site.name}: vnu on ${files.length} pages, ${output.trim() ? output.trim().split("\n").length : 0} errors`);
      assert.equal(output.trim(), "");
    });

    test("the start page leads to the work and each of its versions", async () => {
      for (const width of widths) {
        const { context, page } = await open(site, "", { viewport: { width, height: 800 } });
        const section = page.locator(`section[aria-labelledby="verk-${site.work}"]`);
        assert.equal(await section.locator("h2").textContent(), site.workTitle);
        // The button for the version in force is on the first screen.
        const button = page.locator(`.start-links a.button.primary[href="${site.work}/${site.inForce}/"]`);
        const box = await button.boundingBox();
        assert.ok(box && box.height >= 44 && box.y + box.height <= 800, `${width}px: ${JSON.stringify(box)}`);
        assert.match(await button.textContent(), new RegExp(`^Läs ${site.inForce} års version`));
        for (const version of site.versions) {
          await page.goto(site.server.url);
          await section.locator(`.version-list a[href="${site.work}/${version}/"]`).click();
          assert.ok(page.url().endsWith(`/${site.work}/${version}/`), page.url());
          assert.match(await page.locator(".kicker").textContent(), new RegExp(`· version ${version}$`));
        }
        // The version's kicker leads to the work's page, which lists every version.
        await page.click(".kicker a");
        assert.ok(page.url().endsWith(`/${site.work}/`), page.url());
        const listed = await page.$$eval(".version-list li a", (as) => as.map((a) => a.getAttribute("href")));
        for (const version of site.versions) assert.ok(listed.some((href) => href.endsWith(`${site.work}/${version}/`)), listed.join(" "));
        await context.close();
      }
    });

    test("a clause's deep link lands on the clause; an earlier version's says what became of it", async () => {
      const { anchor, heading } = site.deepLink;
      const version = site.versions.at(-1);
      for (const width of widths) {
        const { context, page } = await open(site, `${site.work}/${version}/#${anchor}`, { viewport: { width, height: 700 } });
        const target = await page.evaluate(() => {
          const t = document.querySelector(":target");
          return { id: t?.id, heading: t?.querySelector("h2")?.textContent || "", top: t?.getBoundingClientRect().top };
        });
        assert.equal(target.id, anchor);
        assert.equal(target.heading, heading);
        assert.ok(target.top >= -2 && target.top < 200, `${width}px: the clause is scrolled into view (top ${target.top})`);
        // The contents list and the permalink lead to the same place.
        await page.goto(site.server.url + `${site.work}/${version}/`);
        await page.click(`.toc a[href="#${anchor}"]`);
        assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), anchor);
        await page.click(`#${anchor} a.permalink`);
        assert.ok(page.url().endsWith(`/${site.work}/${version}/#${anchor}`), page.url());
        for (const { anchor: old, fate } of site.fates) {
          await page.goto(site.server.url + `${site.work}/${site.versions[0]}/#${old}`);
          const note = await page.evaluate(() => {
            const n = document.querySelector(":target .clause-fate");
            const box = n?.getBoundingClientRect();
            return { text: n?.textContent || "", top: box?.top, bottom: box?.bottom, height: innerHeight };
          });
          assert.match(note.text, fate, `${site.versions[0]} #${old}`);
          assert.ok(note.top >= 0 && note.bottom <= note.height, `${width}px #${old}: the note is on screen (${note.top}–${note.bottom})`);
        }
        await context.close();
      }
    });

    test("the comparison names new, renumbered, split and removed clauses, and its views switch", async () => {
      const path = `${site.work}/jamfor/${site.versions[0]}-${site.versions[1]}/`;
      for (const width of widths) {
        const { context, page } = await open(site, path, { viewport: { width, height: 800 } });
        for (const row of site.rows) {
          const section = page.locator(`section.pair#${row.id}`);
          assert.equal(await section.count(), 1, `${width}px: row ${row.id}`);
          assert.match((await section.locator("> h3").textContent()).trim(), row.heading, row.id);
          assert.match((await section.locator("> h3 .status-label").textContent()).trim(), row.status, row.id);
          if (row.parts) assert.equal(await section.locator("section.part").count(), row.parts, row.id);
          if (row.note) assert.match(await section.locator(".editorial-note").textContent(), new RegExp(row.note), row.id);
          if (row.item) {
            const item = section.locator(`.columns .new ol.items > li[data-ref="${row.item.ref}"]`);
            assert.equal((await item.textContent()).trim(), row.item.text, row.id);
            assert.equal(await item.getAttribute("value"), row.item.ref.match(/N(\d+)$/)[1]);
          }
          // The items of a nested list and the cells of a table stay words apart.
          assert.doesNotMatch(await section.innerText(), /[a-zåäö][A-ZÅÄÖ]|,[A-Za-zÅÄÖåäö]/, row.id);
        }
        const view = page.locator("button.view-toggle");
        const filter = page.locator("button.filter-toggle");
        const columns = page.locator("section.pair .columns").first();
        const inline = page.locator("section.pair .inline").first();
        // Two columns on a wide screen, one on a phone; the button switches.
        const narrow = width <= 640; // site.js: (max-width: 40rem)
        assert.equal(await view.getAttribute("aria-pressed"), String(narrow));
        assert.equal(await columns.isVisible(), !narrow);
        await view.click();
        assert.equal(await view.getAttribute("aria-pressed"), String(!narrow));
        assert.equal(await inline.isVisible(), !narrow);
        assert.equal(await columns.isVisible(), narrow);
        // Only the changes.
        const unchanged = page.locator("section.pair.status-unchanged");
        assert.ok(await unchanged.count() > 0);
        await filter.click();
        assert.equal(await filter.getAttribute("aria-pressed"), "true");
        assert.equal(await unchanged.first().isVisible(), false);
        await filter.click();
        assert.ok(await unchanged.first().isVisible());
        // The stepper counts the changes and goes to each, staying in view.
        const total = Number(await page.locator(".pairs").getAttribute("data-change-count"));
        assert.ok(total >= site.rows.length, `${total} changes`);
        assert.equal(await page.locator(".change-counter").textContent(), `${total} ändringar`);
        await page.click("button.next-change");
        await page.click("button.next-change");
        assert.equal(await page.locator(".change-counter").textContent(), `ändring 2 av ${total}`);
        const layout = await page.evaluate(() => {
          const nav = document.querySelector(".change-nav").getBoundingClientRect();
          const row = document.getElementById(location.hash.slice(1));
          return { navBottom: nav.bottom, navTop: nav.top, row: row?.getBoundingClientRect().top, changed: !row?.classList.contains("status-unchanged") };
        });
        assert.ok(layout.changed, "the stepper stops at a change");
        assert.ok(layout.navTop >= -1 && layout.row >= layout.navBottom - 2, JSON.stringify(layout));
        await page.click("button.prev-change");
        assert.equal(await page.locator(".change-counter").textContent(), `ändring 1 av ${total}`);
        await context.close();
      }
    });

    test("search finds a clause by its words and by a § reference", async () => {
      for (const width of widths) {
        const { context, page } = await open(site, "sok/", { viewport: { width, height: 800 } });
        const words = await searchFor(page, site.words.query);
        assert.ok(words.length > 0 && words[0].href.endsWith(site.words.first), words.map((h) => h.href).join(" "));
        const refs = await searchFor(page, site.reference.query);
        assert.ok(refs[0].href.endsWith(site.reference.lead), refs.map((h) => h.href).join(" "));
        assert.match(refs[0].title, site.reference.title);
        assert.doesNotMatch(refs[0].where, /^Samma nummer/);
        // The same number elsewhere is marked: in another version of the same work, or
        // in another text.
        const others = refs.filter((h) => /^Samma nummer/.test(h.where));
        assert.ok(others.length > 0, refs.map((h) => h.where).join(" | "));
        for (const hit of others) {
          const same = workOf(hit.href) === workOf(refs[0].href);
          assert.match(hit.where, same ? /^Samma nummer i en annan version: / : /^Samma nummer i en annan text: /, `${hit.href}: ${hit.where}`);
        }
        await page.click(`#search-results li a[href="${refs[0].href}"]`);
        await page.waitForLoadState("domcontentloaded");
        assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), refs[0].href.split("#")[1]);
        await context.close();
      }
    });

    test("a version's JSON and Akoma Ntoso links resolve with their content types", async () => {
      for (const version of site.versions) {
        const { context, page } = await open(site, `${site.work}/${version}/`);
        const links = await page.$$eval('a[href$=".json"], a[href$=".akn.xml"]', (as) => as.map((a) => a.href));
        assert.equal(links.length, 2, links.join(" "));
        for (const href of links) {
          const response = await page.request.get(href);
          assert.equal(response.status(), 200, href);
          const body = await response.text();
          if (href.endsWith(".json")) {
            assert.match(response.headers()["content-type"], /^application\/json/);
            const data = JSON.parse(body);
            assert.equal(data.work, site.work);
            assert.equal(data.version, version);
          } else {
            assert.match(response.headers()["content-type"], /^application\/xml/);
            assert.match(body, /^<\?xml [^>]*\?>\s*<akomaNtoso /);
            assert.ok(body.includes(`/${site.work}/`), "the work's own identifiers");
          }
        }
        await context.close();
      }
    });

    test("an unknown address gets the 404 page, which leads back to the start page", async () => {
      for (const width of widths) {
        const { context, page, response } = await open(site, "finns-inte/alls/", { viewport: { width, height: 800 } });
        assert.equal(response.status(), 404);
        assert.equal(await page.locator("h1").textContent(), "Sidan finns inte");
        await page.click("main >> text=Till startsidan");
        assert.equal(page.url(), site.server.url);
        assert.equal(await page.locator(`section[aria-labelledby="verk-${site.work}"] h2`).textContent(), site.workTitle);
        await context.close();
      }
    });
  });
}

describe("no text of the real agreement where it does not belong", () => {
  test("the init site has none of its words, in any page, script or data file", () => {
    const site = sites[0];
    // The published JSON Schemas document the format with the real site's examples.
    const files = filesEnding(site.dir, [".html", ".js", ".css", ".json", ".xml", ".txt"])
      .filter((f) => !f.startsWith("schemas/"));
    assert.ok(files.length > 30, `${files.length} files`);
    const found = [];
    for (const file of files) {
      const text = readFileSync(join(site.dir, file), "utf8");
      const match = text.match(new RegExp(`.{0,60}(${REAL_AGREEMENT.source}).{0,40}`, "i"));
      if (match) found.push(`${file}: …${match[0]}…`);
    }
    assert.deepEqual(found, []);
  });

  test("the second work's pages and files have none, apart from the site's name and links to the agreement", async () => {
    const site = sites[1];
    const siteYaml = readFileSync(join(site.root, "content", "site.yaml"), "utf8");
    const setting = (key) => siteYaml.match(new RegExp(`^${key}: "(.*)"$`, "m"))[1];
    // The whole site's title and publisher belong on every page and in every file.
    const siteWide = [setting("title"), setting("publisher")];
    const slug = (s) => s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-");
    const withoutSiteWide = (text) => siteWide.reduce((t, s) => t.replaceAll(s, "").replaceAll(slug(s), ""), text);
    const found = [];
    for (const path of site.pages.filter((p) => p.startsWith(`${site.work}/`))) {
      const { context, page } = await open(site, path);
      const text = await page.evaluate(() => {
        // A link to the agreement names it, rightly (a lineage note refers to it).
        for (const a of document.querySelectorAll('main a[href*="/overenskommelse/"]')) a.remove();
        const meta = [...document.querySelectorAll('meta[name="description"], meta[property^="og:"]')].map((m) => m.content);
        return [document.title, ...meta, document.body.innerText].join("\n");
      });
      const match = withoutSiteWide(text).match(new RegExp(`.{0,60}(${REAL_AGREEMENT.source}).{0,40}`, "i"));
      if (match) found.push(`/${path}: …${match[0]}…`);
      await context.close();
    }
    for (const file of filesEnding(join(site.dir, site.work), [".json", ".akn.xml"])) {
      const text = withoutSiteWide(readFileSync(join(site.dir, site.work, file), "utf8"))
        .replace(/<ref href="[^"]*\/overenskommelse\/[^"]*">[^<]*<\/ref>/g, "")
        .replace(/\[[^\]]*\]\(overenskommelse\/[^)]*\)/g, "");
      const match = text.match(new RegExp(`.{0,60}(${REAL_AGREEMENT.source}).{0,40}`, "i"));
      if (match) found.push(`${site.work}/${file}: …${match[0]}…`);
    }
    assert.deepEqual(found, []);
  });
});

describe("the init site as `avtal serve` serves it", () => {
  test("serves at its address, with the open data's content types and the 404 page", async () => {
    const child = spawn(join(repoRoot, "target", "debug", "avtal"), ["serve", "--root", initRoot, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stderr.on("data", (chunk) => { log += chunk; });
    try {
      const url = await new Promise((resolveUrl, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const found = out.match(/http:\/\/\S+/);
          if (found) resolveUrl(found[0]);
        });
        child.on("exit", (code) => reject(new Error(`avtal serve exited (${code}):\n${log}`)));
      });
      assert.match(url, /\/samarbetsavtal\/$/, "the path of base_url");
      const expect = {
        "": /^text\/html/,
        "samarbetsavtal/2025/": /^text\/html/,
        "samarbetsavtal/jamfor/2024-2025/": /^text\/html/,
        "samarbetsavtal/2025.json": /^application\/json/,
        "samarbetsavtal/2025.akn.xml": /^application\/xml/,
      };
      for (const [path, type] of Object.entries(expect)) {
        const response = await fetch(url + path);
        assert.equal(response.status, 200, path);
        assert.match(response.headers.get("content-type"), type, path);
      }
      const missing = await fetch(url + "finns-inte/");
      assert.equal(missing.status, 404);
      assert.match(await missing.text(), /Sidan finns inte/);
    } finally {
      child.kill();
    }
  });
});
