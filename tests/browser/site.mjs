// Shared helpers for the browser suite and the screenshot script: build the site,
// serve it on a loopback port, launch Debian's Chromium.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const siteDir = join(repoRoot, "target", "browser-site");
/** The address the large site says it is published at (a reserved domain, RFC 2606). */
export const LARGE_BASE_URL = "https://www.example.org/overenskommelse/";
/** The large site's sources and its build (see `buildLargeSite`). */
export const largeRoot = join(repoRoot, "target", "browser-large");
export const largeSiteDir = join(repoRoot, "target", "browser-large-site");
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps trying the (closed) network.
export const chromiumArgs = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
];

/** Builds the site from the repository's content into target/browser-site. */
export function buildSite() {
  execFileSync("cargo", ["run", "--quiet", "--", "build", "--output", siteDir], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/**
 * A copy of the real content with 300 generated documents, 2001–2012, every fifth
 * stating an event: more timeline entries than one page lists (SINGLE_PAGE_LIMIT in
 * src/render/pictures/timeline.rs) and more documents than the start page lists
 * (START_PAGE_ALL_UP_TO), and eleven generated works, more than the start page shows in
 * full, so that the timeline split into year pages and the start page of a large site
 * are checked as well. Built into target/browser-large-site.
 */
export function buildLargeSite() {
  rmSync(largeRoot, { recursive: true, force: true });
  mkdirSync(largeRoot, { recursive: true });
  cpSync(join(repoRoot, "content"), join(largeRoot, "content"), { recursive: true });
  // The generated pages name no published source text; without the real ones, none is
  // expected (content/kallor/), and the build says nothing of the 311 pages.
  rmSync(join(largeRoot, "content", "kallor"), { recursive: true, force: true });
  // A copy: avtal refuses a link out of the site folder.
  cpSync(join(repoRoot, "themes"), join(largeRoot, "themes"), { recursive: true });
  for (let n = 0; n < 300; n++) {
    const year = 2001 + (n % 12);
    const pad = (k) => String(k).padStart(2, "0");
    const date = `${year}-${pad(1 + ((n * 7) % 12))}-${pad(1 + (Math.floor(n / 12) % 28))}`;
    const event = n % 5 === 0 ? `events:\n  - date: ${year}-${pad(1 + (n % 12))}\n    text: "Kommun ${n} fattar beslut om överenskommelsen."\n` : "";
    writeFileSync(join(largeRoot, "content", "dokument", `beslut-${String(n).padStart(3, "0")}.md`),
      `---\nkind: document\ntype: beslut\ntitle: "Beslut i kommun ${n} om överenskommelsen"\norganisation: "Kommun ${n}, Kommunstyrelsen"\ndate: ${date}\n` +
      `summary: "Kommunstyrelsens beslut om överenskommelsen."\nsource:\n  file: beslut-${n}.txt\n  body: "Kommun ${n}"\n` +
      `  identifiers: []\n  editorial: "Genererat för webbläsartesterna."\n${event}---\n\nKommunstyrelsen beslutar att anta överenskommelsen.\n`);
  }
  // More works than the start page shows in full (START_PAGE_WORKS_IN_FULL in
  // src/render/pages.rs), one version each: the start page lists them one line a work.
  let works = "";
  for (let n = 1; n <= 11; n++) {
    works += `  - id: verk-${n}\n    title: "Genererad överenskommelse ${n}"\n    short_title: "Verk ${n}"\n`;
    mkdirSync(join(largeRoot, "content", `verk-${n}`), { recursive: true });
    writeFileSync(join(largeRoot, "content", `verk-${n}`, "2010.md"),
      `---\nkind: version\nwork: verk-${n}\nversion: "2010"\ndate: 2010-05-0${1 + (n % 9)}\nstatus_history:\n  - { status: antagen, date: 2010-05-0${1 + (n % 9)}, source: \"@/verk-${n}/2010.md#P1\" }\n` +
      `title: "Genererad överenskommelse ${n}"\nsource:\n  file: verk-${n}.txt\n  body: "Kommun ${n}"\n` +
      `  editorial: "Genererat för webbläsartesterna."\n---\n\n## § 1 Syfte\n\nKommunerna samverkar.\n`);
  }
  // The real content has no base_url (its address is not known yet); the large site gets
  // one, under a sub-path, so that canonical addresses, the sitemap, the feed and the 404
  // page's absolute links are checked too.
  const siteYaml = join(largeRoot, "content", "site.yaml");
  writeFileSync(siteYaml, `base_url: "${LARGE_BASE_URL}"\n` +
    readFileSync(siteYaml, "utf8").replace(/^works:\n/m, `works:\n${works}`));
  execFileSync("cargo", ["run", "--quiet", "--", "build", "--root", largeRoot, "--output", largeSiteDir], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Every built HTML page as a URL path (`overenskommelse/2013/`), 404.html included. */
export function htmlPages(dir = siteDir, prefix = "") {
  const pages = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) pages.push(...htmlPages(path, `${prefix}${name}/`));
    else if (name === "index.html") pages.push(prefix);
    else if (name.endsWith(".html")) pages.push(prefix + name);
  }
  return pages;
}

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json",
  ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
};

/**
 * The path the site is published under (`/overenskommelse/` for base_url
 * `https://www.example.org/overenskommelse/`): the 404 page links from there, so the test
 * server serves the site at the same path. Without base_url (no sitemap), the root.
 */
export function basePath(dir = siteDir) {
  if (!existsSync(join(dir, "sitemap.xml"))) return "/";
  const sitemap = readFileSync(join(dir, "sitemap.xml"), "utf8");
  const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  return locs.sort((a, b) => a.length - b.length)[0] || "/";
}

/** A static server for `dir` on 127.0.0.1 (a free port) at the site's base path;
 *  resolves to { url, close } with the URL of the start page. */
export function serve(dir = siteDir) {
  const base = basePath(dir);
  const server = createServer((request, response) => {
    const full = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (!full.startsWith(base)) {
      response.writeHead(404, { "content-type": types[".txt"] }).end("outside the site");
      return;
    }
    const path = full.slice(base.length);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) && file !== dir) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404, { "content-type": types[".html"] });
      response.end(readFileSync(join(dir, "404.html")));
      return;
    }
    response.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => {
      done({ url: `http://127.0.0.1:${server.address().port}${base}`, close: () => server.close() });
    });
  });
}

/** Launches Chromium; a missing browser is an error, never a skipped test. */
export function launch() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (tests/browser/run does this)`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
