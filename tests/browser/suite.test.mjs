// The built site in a real browser: every page type, search, permalinks, comparison
// views, keyboard use, small screens, print, axe-core (light and dark) and the Nu HTML
// Checker. Run with `node --test` (tests/browser/run installs what it needs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";
import { citizenQueries, hitIs } from "./search-queries.mjs";
import { LARGE_BASE_URL, buildLargeSite, buildSite, htmlPages, largeSiteDir, launch, serve, siteDir } from "./site.mjs";

const vnuJar = fileURLToPath(new URL("node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url));

let server;
let browser;
let pages;
/** The large generated site (`buildLargeSite`): its server and the pages only it has. */
let large;

before(async () => {
  buildSite();
  buildLargeSite();
  pages = htmlPages();
  server = await serve();
  // Its start page and timeline differ from the real site's (a start page of the newest
  // documents, a timeline split into year pages); every other page is of a kind the
  // real site has.
  large = {
    server: await serve(largeSiteDir),
    pages: htmlPages(largeSiteDir).filter((p) => p === "" || p.startsWith("tidslinje/")),
  };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  large?.server.close();
});

/** A fresh page in its own context (axe needs a context of its own); `on` is the site's
 *  server (the real site's unless told). */
async function open(path, options = {}, on = server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const response = await page.goto(on.url + path);
  return { context, page, response };
}

/** Every page the per-page checks look at: the real site's, then the large site's own
 *  kinds, each with its server and a name for messages (`stor:` before the large ones). */
function everyPage() {
  return [
    ...pages.map((path) => ({ path, on: server, name: path })),
    ...large.pages.map((path) => ({ path, on: large.server, name: `stor:${path}` })),
  ];
}

/** The ids of the rules the installed axe-core knows. */
async function ruleIds() {
  const { context, page } = await open("");
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core") });
  const ids = await page.evaluate(() => window.axe.getRules().map((r) => r.ruleId));
  await context.close();
  return new Set(ids);
}

function versionPaths() {
  return pages.filter((p) => /^[a-z-]+\/\d{4}\/$/.test(p));
}

describe("every page", () => {
  test("loads and has one h1, landmarks, a skip link, metadata and a date", async () => {
    assert.ok(pages.length >= 10, `only ${pages.length} pages built`);
    assert.ok(large.pages.length >= 10, `only ${large.pages.length} year pages in the large site`);
    for (const { path, on, name } of everyPage()) {
      const { context, page, response } = await open(path, {}, on);
      assert.equal(response.status(), 200, name);
      const facts = await page.evaluate(() => {
        const meta = (selector) => document.querySelector(selector)?.getAttribute("content") || "";
        const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
          .filter((h) => !h.closest("[hidden]"))
          .map((h) => Number(h.tagName[1]));
        return {
          h1: document.querySelectorAll("h1").length,
          levels,
          main: document.querySelectorAll("main").length,
          banner: document.querySelectorAll("body > header").length,
          contentinfo: document.querySelectorAll("body > footer").length,
          nav: document.querySelectorAll("nav").length,
          firstLink: document.querySelector("body a")?.getAttribute("href"),
          lang: document.documentElement.lang,
          title: document.title,
          description: meta('meta[name="description"]'),
          ogTitle: meta('meta[property="og:title"]'),
          ogUrl: meta('meta[property="og:url"]'),
          ogDescription: meta('meta[property="og:description"]'),
          canonical: document.querySelector('link[rel="canonical"]')?.href || "",
          dated: document.querySelectorAll("time[datetime]").length,
          inForce: document.querySelector(".in-force-banner a")?.textContent || "",
        };
      });
      assert.equal(facts.h1, 1, `${name}: one h1`);
      assert.equal(facts.levels[0], 1, `${name}: h1 comes first`);
      for (let i = 1; i < facts.levels.length; i++) {
        assert.ok(facts.levels[i] <= facts.levels[i - 1] + 1, `${name}: heading levels ${facts.levels.join(",")} skip a level`);
      }
      assert.equal(facts.main, 1, `${name}: main`);
      assert.equal(facts.banner, 1, `${name}: header`);
      assert.equal(facts.contentinfo, 1, `${name}: footer`);
      assert.ok(facts.nav >= 1, `${name}: nav`);
      assert.equal(facts.firstLink, "#innehall", `${name}: skip link first`);
      assert.equal(facts.lang, "sv");
      assert.ok(facts.title && facts.description && facts.ogTitle && facts.ogDescription, `${name}: title and description`);
      if (on === server) {
        // The real content has no base_url: no address is made up for it.
        assert.equal(facts.canonical, "", `${name}: no canonical address without base_url`);
        assert.equal(facts.ogUrl, "", `${name}: no og:url without base_url`);
      } else if (path !== "404.html") {
        assert.ok(facts.canonical.startsWith(LARGE_BASE_URL), `${name}: canonical ${facts.canonical}`);
        assert.equal(facts.ogUrl, facts.canonical, `${name}: og:url`);
        assert.ok(facts.canonical.endsWith("/" + path) || (path === "" && facts.canonical.endsWith("/")), `${name}: canonical ${facts.canonical}`);
      }
      assert.ok(facts.dated >= 1, `${name}: the page is dated`);
      if (on === large.server) {
        // The large site has several works: a page that is no work's own (its start
        // page, its timeline) names none in force.
        assert.equal(facts.inForce, "", `${name}: no work's version in force on a page of the whole site`);
      } else {
        assert.match(facts.inForce, /\d{4}/, `${name}: the version in force is marked`);
      }
      await context.close();
    }
  });

  test("axe-core finds no violations, in light and dark colours", async () => {
    const problems = [];
    const axeRules = await ruleIds();
    const runs = ["light", "dark"].flatMap((colorScheme) => everyPage().map((p) => ({ colorScheme, ...p })));
    // A few pages at a time: axe spends most of its time waiting on the page.
    const check = async ({ colorScheme, path, on, name }) => {
      const { context, page } = await open(path, { colorScheme }, on);
      // Every rule in light colours; in dark colours only the rules that depend on colour
      // (the rest see the same page, and axe is slow on two cores).
      const builder = new AxeBuilder({ page });
      const result = await (colorScheme === "light"
        ? builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
        : builder.withRules(["color-contrast", "link-in-text-block", "non-text-contrast"].filter((r) => axeRules.has(r)))
      ).analyze();
      for (const v of result.violations) {
        problems.push(`${colorScheme} /${name}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")}`);
      }
      await context.close();
    };
    for (let i = 0; i < runs.length; i += 4) await Promise.all(runs.slice(i, i + 4).map(check));
    console.log(`axe: ${runs.length / 2} pages × 2 colour schemes, ${problems.length} violations`);
    assert.ok(axeRules.has("color-contrast"));
    assert.deepEqual(problems, []);
  });

  test("the Nu HTML Checker reports no errors", () => {
    let output = "";
    // The real site whole, and the large site's own kinds of page.
    const largeFiles = large.pages.map((p) => join(largeSiteDir, p, "index.html"));
    try {
      output = execFileSync("java", ["-jar", vnuJar, "--errors-only", "--skip-non-html", siteDir, ...largeFiles], {
        encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      output = `${error.stdout || ""}${error.stderr || ""}` || String(error);
    }
    console.log(`vnu: ${pages.length + largeFiles.length} pages, ${output.trim() ? output.trim().split("\n").length : 0} errors`);
    assert.equal(output.trim(), "");
  });

  test("fits 320 px and 200 % zoom without sideways scrolling", async () => {
    // 200 % zoom of a 1280 px window lays out like a 640 px one.
    for (const width of [320, 640]) {
      for (const { path, on, name } of everyPage()) {
        const { context, page } = await open(path, { viewport: { width, height: 800 } }, on);
        const overflow = await page.evaluate(() => {
          const wide = [...document.querySelectorAll("body *")]
            .filter((e) => !e.closest(".table-scroll, pre") && e.getBoundingClientRect().right > window.innerWidth + 1)
            .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
          return { scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 5) };
        });
        assert.ok(overflow.scroll <= width, `/${name} at ${width}px is ${overflow.scroll}px wide: ${overflow.wide.join(", ")}`);
        await context.close();
      }
    }
  });
});

describe("reading a version", () => {
  test("every clause has a permalink, a copy-link and a citation button", async () => {
    for (const path of versionPaths()) {
      const { context, page } = await open(path);
      const clauses = await page.$$eval("section.clause", (sections) => sections.map((s) => ({
        id: s.id,
        permalink: s.querySelector("a.permalink")?.getAttribute("href"),
        copy: !!s.querySelector("button.copy-link:not([hidden])"),
        cite: s.querySelector("button.copy-cite:not([hidden])")?.dataset.cite || "",
      })));
      assert.ok(clauses.length > 0, path);
      for (const c of clauses) {
        assert.equal(c.permalink, `#${c.id}`, `${path} ${c.id}`);
        assert.ok(c.copy, `${path} ${c.id}: copy link`);
        assert.match(c.cite, /^Samverkansöverenskommelsen \(\d{4}\) /, `${path} ${c.id}: citation`);
      }
      await context.close();
    }
  });

  test("copying a link or a citation gives the page's own address, wherever it is published", async () => {
    // The large site names www.example.org as its address; copies must still lead here.
    for (const on of [server, large.server]) {
      const { context, page } = await open("overenskommelse/2013/", { permissions: ["clipboard-read", "clipboard-write"] }, on);
      const here = on.url + "overenskommelse/2013/";
      await page.click("#P5 button.copy-link");
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${here}#P5`);
      await page.click("#P5 button.copy-cite");
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `Samverkansöverenskommelsen (2013) § 5, ${here}#P5`);
      // Arrived at an item by its address: the citation names the item, in words.
      await page.goto(`${here}?utm=x#P5S2N7`);
      await page.click("#P5 button.copy-cite");
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
        `Samverkansöverenskommelsen (2013) § 5 andra stycket punkt 7, ${here}#P5S2N7`);
      await context.close();
    }
  });

  test("each stycke and item has a link to itself, shown on hover and focus", async () => {
    const { context, page } = await open("overenskommelse/2013/");
    const pin = page.locator("#P5S2N7 > a.pin");
    assert.equal(await pin.getAttribute("href"), "#P5S2N7");
    assert.equal(await pin.evaluate((a) => getComputedStyle(a).opacity), "0");
    await page.hover("#P5S2N7");
    assert.equal(await pin.evaluate((a) => getComputedStyle(a).opacity), "1");
    await page.mouse.move(0, 0);
    await pin.focus();
    assert.equal(await pin.evaluate((a) => getComputedStyle(a).opacity), "1");
    assert.equal(await page.getByRole("link", { name: "§ 5 andra stycket punkt 7", exact: true }).count(), 1);
    await pin.click();
    assert.ok(page.url().endsWith("#P5S2N7"));
    // There, the item says how it is cited.
    assert.ok(await page.locator("#P5S2N7 > a.pin").getByText("§ 5 andra stycket punkt 7").isVisible());
    await context.close();
  });

  test("following a clause permalink lands on that clause", async () => {
    const { context, page } = await open("overenskommelse/2013/");
    await page.click("#P5 a.permalink");
    assert.ok(page.url().endsWith("/overenskommelse/2013/#P5"));
    assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), "P5");
    const fresh = await context.newPage();
    await fresh.goto(server.url + "overenskommelse/2013/#P5S1");
    assert.equal(await fresh.evaluate(() => document.querySelector(":target")?.closest("section")?.id), "P5");
    const top = await fresh.evaluate(() => document.getElementById("P5S1").getBoundingClientRect().top);
    assert.ok(top >= -2 && top < 200, `the clause is scrolled into view (top ${top})`);
    await context.close();
  });

  test("each version says what the sources say of it and points to the others", async () => {
    const { context, page } = await open("overenskommelse/2009/");
    const notice = page.locator(".notice.standing");
    assert.match(await notice.textContent(), /Senast antagna version enligt källorna\..*Senare förslag: 2013 års förslag.*källorna visar inte att det antogs/s);
    const links = await notice.locator("a").evaluateAll((as) => as.map((a) => a.href));
    assert.ok(links.includes(server.url + "overenskommelse/2013/"), links.join(" "));
    assert.ok(links.includes(server.url + "overenskommelse/jamfor/2009-2013/"), links.join(" "));
    await page.click(".notice.standing a[href*='jamfor']");
    assert.match(await page.locator("h1").textContent(), /2009 jämförd med 2013/);
    const proposal = await open("overenskommelse/2013/");
    assert.match(await proposal.page.locator(".notice.standing").textContent(), /Källorna visar inte att det här förslaget antogs\. Senast antagna version enligt källorna är 2009 års version/);
    // Every step of the history leads to the place in its source.
    const steps = await proposal.page.$$eval(".status-history li", (items) => items.map((li) => ({
      text: li.textContent, source: li.querySelector(".step-source a")?.href || "",
    })));
    assert.equal(steps.length, 3);
    assert.ok(steps.every((s) => /\/dokument\/ekero-beslut-2013\/#/.test(s.source)), JSON.stringify(steps));
    assert.match(steps[2].text, /datum saknas i källan/);
    await proposal.context.close();
    const draft = await open("overenskommelse/2008/");
    const text = await draft.page.locator("main").textContent();
    assert.match(text, /Det här är 2008 års förslag\. Enligt källorna antogs senare 2009 års version/);
    assert.doesNotMatch(text, /gällande versionen/i, "a draft was never in force");
    await draft.context.close();
    await context.close();
  });

  test("a deep link to a clause of an earlier version shows what became of it", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const { context, page } = await open("overenskommelse/2009/#P5", { viewport: { width: 375, height: 700 }, javaScriptEnabled });
      const fate = await page.evaluate(() => {
        const note = document.querySelector(":target .clause-fate");
        const box = note?.getBoundingClientRect();
        return { text: note?.textContent || "", top: box?.top, bottom: box?.bottom, height: innerHeight,
          links: [...(note?.querySelectorAll("a") || [])].map((a) => a.getAttribute("href")) };
      });
      assert.match(fate.text, /^I 2013 års förslag: § 6 och § 8 \(delad\)\.$/, fate.text);
      assert.ok(fate.top >= 0 && fate.bottom <= fate.height, `the note is on screen on arrival (${fate.top}–${fate.bottom} of ${fate.height})`);
      assert.ok(fate.links.some((h) => h.endsWith("/2013/#P6")) && fate.links.some((h) => h.includes("jamfor/2009-2013/#")), fate.links.join(" "));
      // Read with the clause: in its region, right after its heading.
      const snapshot = await page.locator("#P5").ariaSnapshot();
      assert.match(snapshot, /heading "§ 5 Uppföljningsansvar"[\s\S]*I 2013 års förslag/, snapshot);
      await context.close();
    }
  });

  test("works without JavaScript", async () => {
    const { context, page } = await open("overenskommelse/2013/", { javaScriptEnabled: false });
    assert.ok(await page.locator("#P5 a.permalink").isVisible());
    assert.equal(await page.locator("#P5 button.copy-link").isVisible(), false);
    const search = await context.newPage();
    await search.goto(server.url + "sok/");
    assert.match(await search.locator("main").textContent(), /Sökningen behöver JavaScript/);
    await context.close();
  });

  test("prints the text with clause numbers and the permanent address", async () => {
    const { context, page } = await open("overenskommelse/2013/");
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => ({
      nav: getComputedStyle(document.querySelector(".site-header nav")).display,
      tools: getComputedStyle(document.querySelector(".clause-tools")).display,
      toc: getComputedStyle(document.querySelector(".toc")).display,
      number: document.querySelector("#P5 h2")?.innerText || "",
      address: document.querySelector(".print-address")?.innerText || "",
      addressShown: getComputedStyle(document.querySelector(".print-address")).display,
    }));
    assert.equal(printed.nav, "none");
    assert.equal(printed.tools, "none");
    assert.equal(printed.toc, "none");
    assert.match(printed.number, /^§ 5/);
    // Without base_url, the address the page was read at.
    assert.equal(printed.address, `Adress: ${server.url}overenskommelse/2013/`);
    assert.notEqual(printed.addressShown, "none");
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 10_000);
    await context.close();
  });
});

describe("reading on a phone", () => {
  test("the first screen says what the site is and leads to the text that applies with a real button", async () => {
    const { context, page } = await open("", { viewport: { width: 375, height: 700 } });
    const button = page.locator(".start-links a.button.primary");
    const box = await button.boundingBox();
    assert.ok(box && box.height >= 44 && box.width >= 150 && box.y + box.height <= 700, JSON.stringify(box));
    assert.match(await button.textContent(), /^Läs 2009 års version/);
    await button.click();
    assert.ok(page.url().endsWith("/overenskommelse/2009/"), page.url());
    await context.close();
  });

  test("headings are larger than body text at 375 px, and the contents list has no numbers of its own", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/", { viewport: { width: 375, height: 800 } });
    const sizes = await page.evaluate(() => {
      const size = (selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
      return { body: size("body"), h1: size("h1"), h2: size("h2"), h3: size("h3") };
    });
    assert.ok(sizes.h3 >= sizes.body * 1.05 && sizes.h2 >= sizes.h3 * 1.1 && sizes.h1 >= sizes.h2 * 1.15, JSON.stringify(sizes));
    await page.goto(server.url + "overenskommelse/2009/");
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".toc li")).listStyleType), "none");
    assert.match(await page.title(), /\(2009\) – /);
    await context.close();
  });
});

describe("comparing versions", () => {
  test("switches between two columns, one column and only changes", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const view = page.locator("button.view-toggle");
    const filter = page.locator("button.filter-toggle");
    // The first row of 2009 → 2013 is split: each of its parts has both views.
    const firstPair = page.locator("section.pair").first();
    const columns = firstPair.locator(".columns");
    const inline = firstPair.locator(".inline");
    assert.ok((await columns.count()) >= 1 && (await columns.count()) === (await inline.count()));
    assert.ok(await columns.first().isVisible());
    assert.equal(await inline.first().isVisible(), false);
    await view.click();
    assert.equal(await view.getAttribute("aria-pressed"), "true");
    assert.equal(await columns.last().isVisible(), false);
    assert.ok(await inline.last().isVisible());
    await view.click();
    assert.ok(await columns.first().isVisible());
    const unchanged = page.locator("section.pair.status-unchanged");
    const hadUnchanged = (await unchanged.count()) > 0;
    await filter.click();
    assert.equal(await filter.getAttribute("aria-pressed"), "true");
    if (hadUnchanged) assert.equal(await unchanged.first().isVisible(), false);
    await page.click("button.next-change");
    assert.match(page.url(), /#till-|#fran-/);
    assert.match(await page.locator(".change-counter").textContent(), /ändring 1 av \d+/);
    await context.close();
  });

  test("the change stepper counts and stays in view; one column by default on a phone", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/", { viewport: { width: 375, height: 700 } });
    assert.equal(await page.getAttribute("button.view-toggle", "aria-pressed"), "true", "one column on a narrow screen");
    assert.ok(await page.locator("section.pair .inline").first().isVisible());
    const total = Number((await page.locator(".change-counter").textContent()).match(/^(\d+) ändringar$/)?.[1]);
    assert.ok(total > 3, `${total} changes`);
    for (let i = 0; i < 3; i++) await page.click("button.next-change");
    assert.equal(await page.locator(".change-counter").textContent(), `ändring 3 av ${total}`);
    await page.click("button.prev-change");
    assert.equal(await page.locator(".change-counter").textContent(), `ändring 2 av ${total}`);
    const layout = await page.evaluate(() => {
      const nav = document.querySelector(".change-nav").getBoundingClientRect();
      const heading = document.getElementById(location.hash.slice(1)).querySelector("h3").getBoundingClientRect();
      return { navTop: nav.top, navBottom: nav.bottom, heading: heading.top };
    });
    assert.ok(layout.navTop >= -1 && layout.navTop < 5, `the stepper stays at the top (${layout.navTop})`);
    assert.ok(layout.heading >= layout.navBottom - 2, `the change's heading is not under the stepper (${JSON.stringify(layout)})`);
    // Arriving by a change's address, the count starts there.
    await page.goto(server.url + "overenskommelse/jamfor/2009-2013/#till-P6");
    assert.match(await page.locator(".change-counter").textContent(), new RegExp(`^ändring \\d+ av ${total}$`));
    await context.close();
  });

  test("single-key shortcuts use Swedish letters and can be turned off; touch screens get no key hints", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const hint = page.locator(".shortcut-toggle");
    assert.ok(await hint.isVisible());
    assert.match(await hint.textContent(), /N nästa ändring, F föregående/);
    await page.locator("body").press("n");
    await page.locator("body").press("n");
    await page.locator("body").press("f");
    assert.match(await page.locator(".change-counter").textContent(), /^ändring 1 av/);
    await hint.locator("input").uncheck();
    await page.goto(server.url + "overenskommelse/jamfor/2009-2013/");
    assert.equal(await hint.locator("input").isChecked(), false, "the choice is kept");
    await page.locator("body").press("n");
    assert.match(await page.locator(".change-counter").textContent(), /^\d+ ändringar$/, "n does nothing when turned off");
    assert.ok(!page.url().includes("#"), page.url());
    await context.close();
    const touch = await open("overenskommelse/jamfor/2009-2013/", { viewport: { width: 375, height: 700 }, isMobile: true, hasTouch: true });
    assert.equal(await touch.page.locator(".shortcut-toggle").isVisible(), false);
    assert.doesNotMatch(await touch.page.locator("main").innerText(), /Kortkommandon|\(n\)|\(p\)/);
    await touch.context.close();
  });

  test("”Visa bara ändringar” says so when every row changed", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const unchanged = await page.locator("section.pair.status-unchanged").count();
    await page.click("button.filter-toggle");
    assert.equal(await page.locator(".filter-note").isVisible(), unchanged === 0);
    await page.click("button.filter-toggle");
    assert.equal(await page.locator(".filter-note").isVisible(), false);
    await context.close();
  });

  test("prints as a redline: one column, the link targets written out, what and where on every page", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const printed = await page.evaluate(() => ({
      columns: getComputedStyle(document.querySelector(".pair .columns")).display,
      inline: getComputedStyle(document.querySelector(".pair .inline")).display,
      stepper: getComputedStyle(document.querySelector(".change-nav")).display,
      map: getComputedStyle(document.querySelector(".lineage-map")).display,
      lead: [...document.querySelectorAll("main .lead a")].map((a) => a.dataset.printHref || ""),
      pageRules: [...document.styleSheets].flatMap((s) => { try { return [...s.cssRules]; } catch { return []; } })
        .map((r) => r.cssText).filter((t) => t.includes("@page")).join(" "),
    }));
    assert.equal(printed.columns, "none");
    assert.equal(printed.inline, "block");
    assert.equal(printed.stepper, "none");
    assert.equal(printed.map, "none");
    assert.ok(printed.lead.every((c) => c.includes(server.url + "overenskommelse/20")), printed.lead.join(" "));
    assert.match(printed.pageRules, /2009 \(26 mars 2009\) jämförd med 2013 \(6 maj 2013\)/);
    assert.match(printed.pageRules, /counter\(page\)/);
    assert.ok(printed.pageRules.includes(JSON.stringify(server.url + "overenskommelse/jamfor/2009-2013/")), printed.pageRules);
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 10_000);
    await context.close();
  });

  test("changes are marked by more than colour", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const marks = await page.evaluate(() => {
      const style = (sel) => {
        const e = document.querySelector(sel);
        if (!e) return null;
        const s = getComputedStyle(e);
        return { line: s.textDecorationLine, before: getComputedStyle(e, "::before").content };
      };
      return { ins: style(".columns ins"), del: style(".columns del") };
    });
    assert.ok(marks.ins && marks.del, "the comparison shows insertions and deletions");
    assert.match(marks.ins.line, /underline/);
    assert.match(marks.del.line, /line-through/);
    assert.match(marks.ins.before, /tillagt/);
    assert.match(marks.del.before, /borttaget/);
    await context.close();
  });
});

describe("Vad ändrades?", () => {
  /** The facts of "Vad ändrades?" on the open page: each item's text and address. */
  const facts = (page) => page.$$eval(".what-changed li", (items) => items.map((li) => ({
    text: li.textContent.replace(/\s+/g, " ").trim(),
    links: [...li.querySelectorAll("a")].map((a) => ({ text: a.textContent, href: a.getAttribute("href") })),
  })));

  test("a comparison opens with facts that each lead to their row", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const order = await page.evaluate(() => {
      const what = document.querySelector(".what-changed");
      const first = document.querySelector("section.pair");
      return { before: !!(what && first && (what.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)) };
    });
    assert.ok(order.before, "the facts come before the rows");
    const list = await facts(page);
    assert.match(list[0].text, /^2013 års förslag har 12 avsnitt: alla med ändrad text; inget är oförändrat\./, list[0].text);
    assert.ok(list.some((f) => /^Nytt nummer: .*§ 2 blev § 10/.test(f.text)), JSON.stringify(list));
    assert.ok(list.some((f) => /^Delade: .*§ 5 delades i § 6 och § 8/.test(f.text)), JSON.stringify(list));
    // Every item leads to a row (or a part of one) of this page.
    const links = list.flatMap((f) => f.links);
    assert.ok(links.length >= 8, JSON.stringify(links));
    const targets = await page.evaluate((hrefs) => hrefs.map((h) => {
      const target = h.startsWith("#") ? document.getElementById(h.slice(1)) : null;
      return target?.matches("section.pair, section.part") ? target.querySelector("h3, h4").textContent : "";
    }), links.map((l) => l.href));
    targets.forEach((heading, i) => assert.ok(heading, `${links[i].text} (${links[i].href}) leads to no row`));
    await page.click(".what-changed a:text-is('§ 2 blev § 10')");
    assert.ok(page.url().endsWith("#till-P10"), page.url());
    const arrived = await page.evaluate(() => ({
      heading: document.querySelector(":target h3")?.textContent || "",
      top: document.querySelector(":target").getBoundingClientRect().top,
    }));
    assert.match(arrived.heading, /^2009 § 2 → 2013 § 10 omnumrerad/);
    assert.ok(arrived.top >= -2 && arrived.top < 300, `the row is in view (top ${arrived.top})`);
    await context.close();
  });

  test("a version after another opens with the facts, leading to the comparison's rows", async () => {
    const { context, page } = await open("overenskommelse/2013/");
    assert.match(await page.locator(".what-changed").textContent(), /Jämfört med 2009 års version \(hela jämförelsen\)/);
    const order = await page.evaluate(() => {
      const what = document.querySelector(".what-changed");
      return !!(what.compareDocumentPosition(document.querySelector(".toc")) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(order, "the facts come before the text");
    await page.click(".what-changed a:text-is('§ 5 delades i § 6 och § 8')");
    await page.waitForURL(/jamfor\/2009-2013\/#till-P6$/);
    assert.match(await page.locator(":target h3").textContent(), /^2009 § 5 → 2013 § 6 och § 8 delad/);
    await context.close();
    // The first version follows none.
    const first = await open("overenskommelse/2008/");
    assert.equal(await first.page.locator(".what-changed").count(), 0);
    await first.context.close();
  });

  test("long editorial notes fold away under their label and are printed open", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const folded = page.locator("details.folded-note");
    assert.ok((await folded.count()) >= 1);
    const note = folded.first();
    assert.equal(await note.getAttribute("open"), null);
    assert.equal(await note.locator("summary").textContent(), "Redaktionell anmärkning");
    assert.equal(await note.locator("p").first().isVisible(), false);
    await note.locator("summary").focus();
    await page.keyboard.press("Enter");
    assert.ok(await note.locator("p").first().isVisible(), "opened from the keyboard");
    await page.keyboard.press("Enter");
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    assert.ok(await folded.last().locator("p").first().isVisible(), "printed open");
    await context.close();
  });
});

describe("sources", () => {
  test("each page links its original text, published as plain UTF-8 text without personal contact details", async () => {
    const { context, page } = await open("dokument/ekero-beslut-2013/");
    await page.click(".provenance summary");
    const link = page.locator(".provenance a:text-is('Originaltexten (oredigerad textfil)')");
    assert.ok(await link.isVisible());
    assert.match(await link.locator("xpath=..").textContent(), /Ur den har tagits bort: personligt telefonnummer, personlig e-postadress/);
    const [response] = await Promise.all([page.waitForEvent("response"), link.click()]);
    assert.match(response.headers()["content-type"], /^text\/plain/);
    const text = await page.locator("body").innerText();
    assert.match(text, /Förslag till beslut\n/);
    assert.match(text, /Kommunstyrelsen föreslår Kommunfullmäktige besluta att anta överenskommelse/);
    assert.match(text, /\[borttaget: personligt telefonnummer\]\n\[borttaget: personlig e-postadress\]/);
    assert.match(text, /Kommunförbundet Stockholms län \(registrator@ksl\.se\)/, "an organisation's address stays");
    assert.doesNotMatch(text, /08-560|Halvarsson@/);
    // Read as UTF-8 even from a server that names no charset.
    await page.route("**/*.txt", async (route) => {
      const original = await route.fetch();
      await route.fulfill({ response: original, headers: { "content-type": "text/plain" } });
    });
    await page.reload();
    assert.match(await page.locator("body").innerText(), /Sammanfattning av ärendet/);
    await context.close();
    // Every version and document links a text that is there.
    for (const path of pages.filter((p) => /^(dokument\/[a-z0-9-]+|[a-z-]+\/\d{4})\/$/.test(p))) {
      const { context, page } = await open(path);
      const href = await page.locator(".provenance a[type='text/plain']").getAttribute("href");
      assert.ok(href, `${path}: no link to its original text`);
      const got = await page.request.get(new URL(href, server.url + path).href);
      assert.equal(got.status(), 200, `${path}: ${href}`);
      await context.close();
    }
  });

  test("a document's date is its own as the source gives it, or says where it comes from", async () => {
    const dates = {
      "dokument/ksl-2012-revidering/": /^5 juni 2012$/,
      "dokument/ekero-beslut-2013/": /^2013 \(handlingen anger inget eget datum; .*19 december 2013.*troligen ”Tjänsteutlåtande kommunkansliet, 2013-11-05”/,
      "dokument/rinkeby-kista-remissvar-2008/": /^2008 \(källan anger inget datum; remissen skulle besvaras senast den 8 september 2008\)$/,
    };
    for (const [path, expected] of Object.entries(dates)) {
      const { context, page } = await open(path);
      const date = await page.locator(".facts dt:text-is('Datum') + dd").textContent();
      assert.match(date, expected, `${path}: ${date}`);
      await context.close();
    }
  });

  test("no page speaks of scanning software, capitals, front matter or file numbers", async () => {
    for (const path of pages) {
      const { context, page } = await open(path);
      // Folded text too: everything a reader can open.
      const text = await page.locator("main").textContent();
      const jargon = text.match(/\bOCR\b|OCR-|\bversal|front matter|\bseed\b|Källfil|##|\b\d{3}_[0-9a-f]{16}\.txt/);
      assert.equal(jargon, null, `/${path}: ”${jargon?.[0]}” in ${text.slice(Math.max(0, (jargon?.index || 0) - 80), (jargon?.index || 0) + 40)}`);
      await context.close();
    }
  });
});

describe("status from the sources", () => {
  test("no page states a status that no source supports", async () => {
    const badges = { "overenskommelse/2008/": "förslag", "overenskommelse/2009/": "antagen", "overenskommelse/2013/": "förslag" };
    for (const path of pages) {
      const { context, page } = await open(path);
      const facts = await page.evaluate(() => ({
        text: document.body.textContent,
        banner: document.querySelector(".in-force-banner")?.textContent.replace(/\s+/g, " ").trim() || "",
        badge: document.querySelector(".doc-header .badge")?.textContent || "",
        meta: document.querySelector(".doc-header > .meta")?.textContent || "",
        steps: [...document.querySelectorAll(".status-history li")].map((li) => !!li.querySelector(".step-source a")),
      }));
      assert.equal(facts.banner, "Senast antagna version av Samverkansöverenskommelsen enligt källorna: 2009. Senare förslag: 2013 (rekommenderad 5 juni 2013); källorna visar inte att det antogs.", path);
      assert.doesNotMatch(facts.text, /GÄLLANDE/, `/${path}`);
      assert.doesNotMatch(facts.text, /gällande version|gällande överenskommelse|inte längre gäller|example\.se/i, `/${path}`);
      if (badges[path]) assert.equal(facts.badge, badges[path], `/${path}`);
      // No source gives a day the agreement applies from.
      assert.doesNotMatch(facts.meta, /gäller från/, `/${path}`);
      assert.ok(facts.steps.every(Boolean), `/${path}: a status step without its source`);
      await context.close();
    }
  });

  test("the lineage map's legend shows the lines as they are drawn, in light and dark", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const { context, page } = await open("overenskommelse/jamfor/2009-2013/", { colorScheme });
      const pairs = await page.evaluate(() => [0, 1, 2, 3, 4].map((n) => ({
        n,
        drawn: (() => { const e = document.querySelector(`.lineage-svg .line.change-${n} .stroke`); return e && getComputedStyle(e).stroke; })(),
        legend: getComputedStyle(document.querySelector(`.picture-legend .stroke.change-${n}`)).stroke,
      })));
      const drawn = pairs.filter((p) => p.drawn);
      assert.ok(drawn.length >= 3, JSON.stringify(pairs));
      for (const p of drawn) assert.equal(p.legend, p.drawn, `${colorScheme}: change-${p.n}`);
      await context.close();
    }
  });
});

describe("comparisons that keep the structure", () => {
  const comparisons = ["2009-2013", "2008-2009", "2008-2013"];
  const statusWords = /^(oförändrad|ändrad|omnumrerad|flyttad|delad|sammanslagen|ny|utgår)\b/;

  for (const width of [375, 1280]) {
    test(`the parts of a split stand apart at ${width} px`, async () => {
      const { context, page } = await open("overenskommelse/jamfor/2009-2013/", { viewport: { width, height: 900 } });
      const row = page.locator("#till-P2");
      const parts = row.locator("section.part");
      assert.equal(await parts.count(), 2, "2009 § 1 → 2013 § 2 and § 5: one part per target");
      const headings = await parts.locator("h4").allTextContents();
      assert.match(headings[0], /Del 1 av 2:\s+2009 § 1 .*→ 2013 § 2 /);
      assert.match(headings[1], /Del 2 av 2:\s+2009 § 1 .*→ 2013 § 5 /);
      // Each part says its own share.
      const shares = await parts.locator("h4 .status-label").allTextContents();
      assert.notEqual(shares[0], shares[1], shares.join(" | "));
      const [a, b] = [await parts.nth(0).boundingBox(), await parts.nth(1).boundingBox()];
      assert.ok(a.y + a.height <= b.y, "the second part starts below the first");
      // A part's two columns stand side by side on a wide screen; a phone opens the
      // comparison in one column, each part with its own.
      if (width >= 1000) {
        const old = await parts.nth(1).locator(".columns .old").boundingBox();
        const neu = await parts.nth(1).locator(".columns .new").boundingBox();
        assert.ok(Math.abs(old.y - neu.y) < 2 && old.x < neu.x, "side by side");
      } else {
        const [first, second] = [await parts.nth(0).locator(".inline").boundingBox(), await parts.nth(1).locator(".inline").boundingBox()];
        assert.ok(first && second && first.y + first.height <= second.y, "one column per part, one after the other");
      }
      for (const path of comparisons) {
        await page.goto(server.url + `overenskommelse/jamfor/${path}/`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${path}: ${overflow} px wider than the screen`);
      }
      await context.close();
    });
  }

  test("list items keep their numbers in both views", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const part = page.locator("#till-P5-fran-P1");
    const item = (view) => part.locator(`${view} ol.items > li[value="7"]`).filter({ hasText: "Ersättningsfrågor" });
    assert.equal(await item(".columns .new").count(), 1, "2013 § 5 punkt 7 in the two columns");
    assert.equal(await item(".columns .new").evaluate((li) => li.value), 7);
    // The old list keeps its numbers too: 2009 § 1 punkt 1 to 7.
    const oldNumbers = await part.locator(".columns .old ol.items > li").evaluateAll((lis) => lis.map((li) => li.value));
    assert.deepEqual(oldNumbers, [1, 2, 3, 4, 5, 6, 7]);
    await page.click("button.view-toggle");
    assert.ok(await item(".inline").isVisible(), "2013 § 5 punkt 7 in the single column");
    assert.equal(await item(".inline").getAttribute("data-ref"), "P5S2N7");
    await context.close();
  });

  test("a moved sentence is shown moved, with a link to where it went", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    const part = page.locator("#till-P5-fran-P1");
    const away = part.locator(".columns .old .moved-away").filter({ hasText: "ska samarbeta så att det leder" });
    assert.equal(await away.count(), 1);
    assert.equal(await away.locator("del, ins").count(), 0, "not shown as deleted");
    const link = away.locator("a.moved-link");
    assert.match(await link.textContent(), /flyttad till 2013 § 5 stycke 1/);
    assert.equal(await link.getAttribute("href"), "#till-P5-fran-P1");
    const here = part.locator(".columns .new .moved-here");
    assert.match(await here.locator("a.moved-link").textContent(), /flyttad hit från 2009 § 1 stycke 2/);
    await link.click();
    assert.match(page.url(), /#till-P5-fran-P1$/);
    // Within one clause: a sentence of 2009 Utgångspunkter's first stycke opens the second in 2013.
    const within = page.locator("#till-utgangspunkter-fran-utgangspunkter .columns .new .moved-here");
    assert.match(await within.first().textContent(), /flyttad hit från 2009 Utgångspunkter stycke 1/);
    await context.close();
  });

  test("every row says what happened, and no mark is only white space", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    for (const path of comparisons) {
      await page.goto(server.url + `overenskommelse/jamfor/${path}/`);
      const words = await page.locator("section.pair > h3 .status-label").allTextContents();
      assert.ok(words.length > 0);
      for (const w of words) assert.match(w.trim(), statusWords, `${path}: ${w}`);
      const blank = await page.evaluate(() => [...document.querySelectorAll("ins, del")].filter((e) => e.textContent.trim() === "").length);
      assert.equal(blank, 0, `${path}: marks with only white space`);
    }
    // The words name splits and merges.
    await page.goto(server.url + "overenskommelse/jamfor/2008-2009/");
    assert.match(await page.locator("section.pair.has-parts > h3 .status-label").first().textContent(), /sammanslagen/);
    await context.close();
  });

  test("a chain over a version in between reads as rows of its own", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2008-2013/");
    const headings = await page.locator("section.pair > h3").allTextContents();
    // Once one row of 8 → 5 clauses; now each 2008 clause has a row of its own.
    assert.ok(headings.length >= 15, headings.join("\n"));
    for (const h of headings) {
      const from = h.split("→")[0];
      assert.ok(!/ och /.test(from), `one 2008 clause a row: ${h}`);
    }
    assert.ok(headings.some((h) => /2008 Syfte → 2013 Utgångspunkter, § 2 och § 5/.test(h)), headings.join("\n"));
    assert.ok(headings.some((h) => /2008 Punkt 4 → 2013 – utgår/.test(h)), headings.join("\n"));
    await context.close();
  });
});

describe("search", () => {
  async function searchFor(page, query) {
    await page.fill("#q", query);
    await page.press("#q", "Enter");
    await page.waitForFunction((q) => {
      const status = document.getElementById("search-status").textContent;
      return /träff/.test(status) && status.includes(`”${q}”`);
    }, query);
    return hitsShown(page);
  }

  /** Every hit, after asking for more until all are shown. */
  async function allHits(page) {
    for (let shown = 0; await page.locator(".search-more").count(); ) {
      shown = await page.locator("#search-results li").count();
      await page.click(".search-more");
      await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length > n, shown);
    }
    return hitsShown(page);
  }

  function hitsShown(page) {
    return page.$$eval("#search-results li", (items) => items.map((li) => ({
      href: li.querySelector("a").getAttribute("href"),
      title: li.querySelector("a").textContent,
      where: li.querySelector(".search-where").textContent,
      text: li.querySelector(".search-snippet").textContent,
    })));
  }

  test("citizen queries find the expected clause among the first three hits", async () => {
    assert.ok(citizenQueries.length >= 25, `${citizenQueries.length} queries`);
    const kinds = new Set(citizenQueries.map((q) => q.kind));
    for (const kind of ["rubrik", "hänvisning", "böjning", "sammansättning", "utan å, ä, ö"]) assert.ok(kinds.has(kind), kind);
    const { context, page } = await open("sok/");
    const missed = [];
    for (const { kind, query, expect } of citizenQueries) {
      const hits = await searchFor(page, query);
      const top = hits.slice(0, 3).map((h) => h.href);
      if (!top.some((href) => hitIs(href, expect))) missed.push(`${kind} ”${query}”: expected ${expect}, top three ${top.join(", ") || "none"}`);
    }
    assert.deepEqual(missed, [], missed.join("\n"));
    await context.close();
  });

  test("finds inflections, parts of compounds and queries without å, ä, ö", async () => {
    const { context, page } = await open("sok/");
    const exact = await searchFor(page, "självförsörjning");
    assert.ok(exact.length > 0);
    assert.ok(exact.every((hit) => /självförsörj/i.test(hit.text)), "each hit shows its sentence");
    assert.ok(exact.some((hit) => /självförsörjande/i.test(hit.text)), "”självförsörjning” finds ”självförsörjande”");
    const folded = await searchFor(page, "sjalvforsorjning");
    assert.deepEqual(folded.map((h) => h.href), exact.map((h) => h.href));
    const skola = (await searchFor(page, "skola")).map((h) => h.href);
    const skolan = (await searchFor(page, "skolan")).map((h) => h.href);
    const skolor = (await searchFor(page, "skolor")).map((h) => h.href);
    assert.ok(skola.length >= 5, `”skola”: ${skola.length} hits`);
    for (const href of skola) {
      assert.ok(skolan.includes(href), `”skolan” finds what ”skola” finds: ${href}`);
      assert.ok(skolor.includes(href), `”skolor” finds what ”skola” finds: ${href}`);
    }
    const upp = await searchFor(page, "säga upp");
    assert.match(upp[0].text, /säger upp/, "”säga upp” leads with ”säger upp”");
    await searchFor(page, "avtal");
    const compound = await allHits(page);
    assert.ok(compound.some((hit) => /platsavtal/i.test(hit.text)), "a compound is found");
    assert.ok(compound.some((hit) => /avtalet/i.test(hit.text)), "a definite form is found");
    await context.close();
  });

  test("each hit says where it is from; the version that applies comes first", async () => {
    const { context, page } = await open("sok/");
    const hits = await searchFor(page, "ersättning");
    // The version that applies by the sources (Site::in_force) is 2009; 2013 is a proposal.
    assert.match(hits[0].where, /2009 · antagen/);
    assert.ok(hits[0].href.includes("overenskommelse/2009/"), hits[0].href);
    assert.ok(hits.some((h) => /2013 · förslag/.test(h.where) && h.href.includes("overenskommelse/2013/#P5")), hits.map((h) => h.where).join(" | "));
    const answers = await searchFor(page, "flyktingar");
    assert.ok(answers.some((h) => /^Remissvar 2008 · Rinkeby-Kista/.test(h.where)), answers.map((h) => h.where).join(" | "));
    assert.ok(answers.some((h) => /^Tjänsteutlåtande 2008 · .*Utbildningsförvaltningen/.test(h.where)));
    for (const hit of answers) assert.ok(hit.where.length > 0 && hit.title.length > 0);
    await context.close();
  });

  test("a reference leads with the clause of the version that applies, the others marked", async () => {
    const { context, page } = await open("sok/");
    const hits = await searchFor(page, "§ 5");
    assert.ok(hits[0].href.endsWith("overenskommelse/2009/#P5"), hits[0].href);
    assert.match(hits[0].title, /^§ 5 Uppföljningsansvar/);
    assert.doesNotMatch(hits[0].where, /Samma nummer/);
    const other = hits.find((h) => h.href.includes("overenskommelse/2013/"));
    assert.ok(other, "2013 § 5 is listed too");
    assert.match(other.where, /^Samma nummer i en annan version/);
    // 2009 § 5 (the version that applies) has no point 7: the point of 2013 leads, and
    // 2009 § 5 follows as the same number in another version.
    const point = await searchFor(page, "§ 5 punkt 7");
    assert.ok(/Ersättningsfrågor/.test(point[0].text) && point[0].href.endsWith("2013/#P5S2N7"), point.map((h) => h.href).join(" "));
    assert.doesNotMatch(point[0].where, /Samma nummer/);
    assert.ok(point.slice(1).some((h) => h.href.endsWith("2009/#P5") && /^Samma nummer/.test(h.where)), point.map((h) => h.href).join(" "));
    // Text hits follow the references.
    const mixed = await searchFor(page, "§ 9 uppsägning");
    assert.ok(mixed[0].href.endsWith("#P9"), mixed[0].href);
    assert.ok(mixed.slice(1).some((h) => /#P\d+S\d+$/.test(h.href)), "text hits after the reference");
    await context.close();
  });

  test("filters by version and by kind of document, also from the address", async () => {
    const { context, page } = await open("sok/");
    await page.waitForSelector(".search-filters:not([hidden])");
    await page.selectOption("#sok-version", "2009");
    const in2009 = await searchFor(page, "överenskommelse");
    assert.ok(in2009.length > 0);
    for (const hit of in2009) assert.ok(hit.href.includes("/2009/") || !hit.href.includes("overenskommelse/20"), hit.href);
    assert.ok(in2009.some((h) => h.href.includes("overenskommelse/2009/")));
    await page.selectOption("#sok-version", "");
    await page.evaluate(() => { document.getElementById("search-status").textContent = ""; });
    await page.selectOption("#sok-typ", "remissvar");
    await page.waitForFunction(() => /träff.*Filtrerat/.test(document.getElementById("search-status").textContent));
    const answers = await hitsShown(page);
    assert.ok(answers.length > 0);
    for (const hit of answers) assert.match(hit.where, /^Remissvar/);
    assert.match(page.url(), /typ=remissvar/);
    await page.goto(server.url + "sok/?q=avtal&typ=version&version=2013");
    await page.waitForFunction(() => /träff/.test(document.getElementById("search-status").textContent));
    assert.equal(await page.inputValue("#sok-typ"), "version");
    for (const hit of await hitsShown(page)) assert.match(hit.where, /2013 · förslag/);
    await context.close();
  });

  test("no hits: the nearest words and the way to the clauses", async () => {
    const { context, page } = await open("sok/?q=giltihetstid");
    await page.waitForFunction(() => /Inga träffar/.test(document.getElementById("search-status").textContent));
    await page.waitForSelector("#search-help a");
    const links = await page.$$eval("#search-help a", (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute("href") })));
    const suggestion = links.find((l) => l.text === "giltighetstid");
    assert.ok(suggestion, JSON.stringify(links));
    // The clauses of the version that applies by the sources: 2009.
    assert.ok(links.some((l) => l.href.endsWith("overenskommelse/2009/#toc-rubrik")), "a link to the clauses");
    await page.click(`#search-help a[href="${suggestion.href}"]`);
    await page.waitForFunction(() => /träff/.test(document.getElementById("search-status").textContent) && !/Inga/.test(document.getElementById("search-status").textContent));
    assert.ok((await hitsShown(page))[0].href.endsWith("overenskommelse/2009/#P6"));
    const none = await searchFor(page, "qxzqxz");
    assert.equal(none.length, 0);
    assert.match(await page.textContent("#search-status"), /Inga träffar/);
    await context.close();
  });

  test("a hit links to the stycke anchor", async () => {
    const { context, page } = await open("sok/?q=sj%C3%A4lvf%C3%B6rs%C3%B6rjning");
    await page.waitForSelector("#search-results li a");
    const href = await page.getAttribute("#search-results li a", "href");
    const anchor = href.split("#")[1];
    assert.ok(anchor, href);
    await page.click("#search-results li a");
    await page.waitForLoadState("domcontentloaded");
    assert.equal(await page.evaluate(() => location.hash.slice(1)), anchor);
    assert.match(await page.locator(`[id="${anchor}"]`).textContent(), /självförsörjning/i);
    await context.close();
  });

  test("more hits load on request", async () => {
    const { context, page } = await open("sok/");
    await searchFor(page, "avtal");
    const status = await page.textContent("#search-status");
    const total = Number(status.match(/^(\d+) träffar/)?.[1]);
    assert.ok(total > 20, `”avtal” has ${total} hits on the real site; the test needs more than one page`);
    assert.equal(await page.locator("#search-results li").count(), 20);
    await page.click(".search-more");
    await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length === n, Math.min(total, 40));
    const focused = await page.evaluate(() => document.activeElement.closest("li") === document.querySelectorAll("#search-results li")[20]);
    assert.ok(focused, "focus moves to the first added hit");
    const hits = await page.$$eval("#search-results li", (items) => items.map((li) => li.querySelector("a").getAttribute("href")));
    assert.equal(new Set(hits).size, hits.length, "no hit twice");
    await context.close();
  });

  test("a search downloads only index files its terms need, within 60 KB, and no page", async () => {
    const dir = join(siteDir, "sok");
    const written = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".json"));
    const largest = { bytes: 0, query: "" };
    for (const { query } of citizenQueries) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const fetched = [];
      page.on("response", (response) => {
        const path = new URL(response.url()).pathname;
        if (!path.endsWith("/sok/") && !path.includes("/static/")) fetched.push(response.body().then((b) => ({ path, bytes: b.length })));
      });
      await page.goto(server.url + "sok/?q=" + encodeURIComponent(query));
      await page.waitForFunction(() => /träff/.test(document.getElementById("search-status").textContent));
      await page.waitForLoadState("networkidle");
      const files = await Promise.all(fetched);
      const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
      if (bytes > largest.bytes) Object.assign(largest, { bytes, query });
      for (const f of files) assert.match(f.path, /\/sok\/(manifest|ord\/\d+|forekomster\/\d+|text\/\d+)\.json$/, `”${query}” fetched ${f.path}`);
      assert.ok(files.length < written.length / 2, `”${query}” fetched ${files.length} of ${written.length} files`);
      assert.ok(bytes <= 60 * 1024, `”${query}” fetched ${bytes} bytes`);
      await context.close();
    }
    console.log(`search index: ${written.length} files; the largest query, ”${largest.query}”, fetched ${largest.bytes} bytes`);
  });
});

describe("keyboard", () => {
  test("Tab starts at the skip link, focus is visible, and the skip link moves to main", async () => {
    const { context, page } = await open("overenskommelse/2013/");
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      return { href: e.getAttribute("href"), outline: s.outlineStyle, width: s.outlineWidth, left: box.left, top: box.top };
    });
    assert.equal(first.href, "#innehall");
    assert.notEqual(first.outline, "none");
    assert.ok(first.left >= 0 && first.top >= 0, "the focused skip link is on screen");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "innehall");
    // Onwards from main: the next stops are the page's own links and buttons, in order.
    const stops = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      stops.push(await page.evaluate(() => {
        const e = document.activeElement;
        const s = getComputedStyle(e);
        return { tag: e.tagName, cls: e.className, visible: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2, inMain: !!e.closest("main") };
      }));
    }
    assert.ok(stops.every((s) => s.inMain), "Tab after the skip link stays in the content");
    assert.ok(stops.every((s) => s.visible), `focus visible on ${stops.filter((s) => !s.visible).map((s) => s.tag + "." + s.cls).join(", ")}`);
    assert.ok(stops.some((s) => s.cls.includes("copy-link")), "copy buttons are reachable by keyboard");
    await context.close();
  });

  test("comparison controls work from the keyboard", async () => {
    const { context, page } = await open("overenskommelse/jamfor/2009-2013/");
    await page.focus("button.view-toggle");
    await page.keyboard.press("Enter");
    assert.equal(await page.getAttribute("button.view-toggle", "aria-pressed"), "true");
    await page.focus("button.filter-toggle");
    await page.keyboard.press("Space");
    assert.equal(await page.getAttribute("button.filter-toggle", "aria-pressed"), "true");
    await page.locator("body").press("n");
    assert.match(await page.locator(".change-counter").textContent(), /ändring 1 av/);
    await context.close();
  });
});

describe("a large site", () => {
  test("the timeline's year marks and list lead to the year pages; old links to a year still land", async () => {
    const { context, page } = await open("tidslinje/#ar-2005", {}, large.server);
    const target = await page.evaluate(() => {
      const t = document.querySelector(":target");
      const box = t?.getBoundingClientRect();
      return { id: t?.id, inList: !!t?.closest(".year-list"), top: box?.top, text: t?.textContent };
    });
    assert.equal(target.id, "ar-2005");
    assert.ok(target.inList, "the year's entry in the list of years");
    assert.ok(target.top >= -2 && target.top < 900, `the year is scrolled into view (top ${target.top})`);
    assert.match(target.text, /^2005: .*\d+ dokument/);
    await page.click("#ar-2005 a");
    assert.ok(page.url().endsWith("/tidslinje/2005/"), page.url());
    assert.equal(await page.locator("h1").textContent(), "Tidslinje 2005");
    await page.goto(large.server.url + "tidslinje/");
    const mark = page.locator('a.mark.summary[data-date="2005"]').first();
    assert.match(await mark.getAttribute("aria-label"), /^2005: \d+ dokument.*Öppnar årets sida\.$/);
    await mark.click();
    assert.ok(page.url().endsWith("/tidslinje/2005/"), page.url());
    await context.close();
  });

  test("a year page leads to the years before and after it and back to the figure", async () => {
    const years = large.pages.filter((p) => /^tidslinje\/\d{4}\/$/.test(p));
    const { context, page } = await open(years[1], {}, large.server);
    await page.click(".year-nav a[rel=next]");
    assert.ok(page.url().endsWith(years[2]), page.url());
    await page.click(".year-nav a[rel=prev]");
    assert.ok(page.url().endsWith(years[1]), page.url());
    await page.click(".year-nav-end a[rel=prev]");
    assert.ok(page.url().endsWith(years[0]), page.url());
    assert.equal(await page.locator("a[rel=prev]").count(), 0, "the first year has no previous");
    await page.goto(large.server.url + years[years.length - 1]);
    assert.equal(await page.locator("a[rel=next]").count(), 0, "the last year has no next");
    await page.click(".year-nav >> text=Hela tidslinjen");
    assert.ok(page.url().endsWith("/tidslinje/"), page.url());
    await context.close();
  });

  test("the start page lists the newest documents and leads to all of them", async () => {
    const { context, page } = await open("", {}, large.server);
    assert.equal(await page.locator("#dokument").textContent(), "Senaste dokumenten");
    const dates = await page.$$eval("section[aria-labelledby=dokument] li time", (ts) => ts.map((t) => t.getAttribute("datetime")));
    assert.equal(dates.length, 25);
    assert.deepEqual(dates, [...dates].sort().reverse(), "newest first");
    await page.click("text=Alla dokument år för år");
    assert.ok(page.url().endsWith("/tidslinje/#ar-for-ar"), page.url());
    // The address changes before the new page has loaded; its :target is there once it has.
    await page.waitForLoadState("load");
    await page.waitForFunction(() => document.querySelector(":target") !== null);
    assert.equal(await page.evaluate(() => document.querySelector(":target")?.textContent), "År för år");
    await context.close();
  });

  test("the start page lists many works one line each, leading to each work's page", async () => {
    const { context, page } = await open("", {}, large.server);
    const works = page.locator("section[aria-labelledby=overenskommelser] .work-list > li");
    assert.equal(await works.count(), 12, "the real work and eleven generated ones");
    assert.equal(await page.locator(".version-list").count(), 0, "no version lists on the start page");
    const generated = works.filter({ hasText: "Genererad överenskommelse 7" });
    assert.match(await generated.textContent(), /1 version, senast antagen enligt källorna: 2010/);
    await generated.getByRole("link", { name: "2010" }).click();
    assert.ok(page.url().endsWith("/verk-7/2010/"), page.url());
    await page.goBack();
    await generated.getByRole("link", { name: "Genererad överenskommelse 7" }).click();
    assert.ok(page.url().endsWith("/verk-7/"), page.url());
    assert.equal(await page.locator(".version-list li").count(), 1);
    await context.close();
  });
});

describe("feeds and crawlers", () => {
  test("with base_url: sitemap lists every page and Akoma Ntoso file, robots.txt points to it, the Atom feed lists versions", async () => {
    const fetchText = async (path) => {
      const response = await fetch(large.server.url + path);
      assert.equal(response.status, 200, path);
      return response.text();
    };
    const sitemap = await fetchText("sitemap.xml");
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    assert.ok(locs.every((l) => l.startsWith(LARGE_BASE_URL)), locs.slice(0, 3).join(" "));
    const paths = locs.map((l) => l.slice(LARGE_BASE_URL.length));
    const all = htmlPages(largeSiteDir).filter((p) => p !== "404.html");
    assert.deepEqual(paths.filter((p) => !p.endsWith(".akn.xml")).sort(), all.sort());
    // And the Akoma Ntoso exports, each a file the site has.
    const exports = paths.filter((p) => p.endsWith(".akn.xml"));
    assert.ok(exports.includes("overenskommelse/2013.akn.xml"), exports.slice(0, 3).join(" "));
    for (const path of exports) assert.ok(existsSync(join(largeSiteDir, path)), path);
    assert.match(await fetchText("robots.txt"), new RegExp(`Sitemap: ${LARGE_BASE_URL}sitemap.xml`));
    const atom = await fetchText("atom.xml");
    const ids = [...atom.matchAll(/<id>([^<]+)<\/id>/g)].map((m) => m[1]);
    assert.ok(ids.length > 10 && ids.every((id) => id.startsWith(LARGE_BASE_URL)), ids.slice(0, 3).join(" "));
    // The feed keeps the newest entries; the newest version is among them.
    assert.ok(ids.includes(`${LARGE_BASE_URL}overenskommelse/2013/`), "the 2013 version");
    assert.ok(!atom.includes("tillganglighet"), "plain pages are not news");
  });

  test("without base_url: no sitemap, no feed, and no page links to them", async () => {
    for (const path of ["sitemap.xml", "atom.xml"]) assert.equal((await fetch(server.url + path)).status, 404, path);
    assert.doesNotMatch(await (await fetch(server.url + "robots.txt")).text(), /Sitemap/);
    const { context, page } = await open("");
    assert.equal(await page.locator('a[href$="atom.xml"], a[href$="sitemap.xml"], link[href$="atom.xml"]').count(), 0);
    await context.close();
  });
});
