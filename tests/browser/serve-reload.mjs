// `avtal serve` in a real browser: an open page reloads by itself after a save, a
// stylesheet change is swapped in without a reload, and a broken file shows the error
// overlay over the last good page until it is fixed.
//
//   node tests/browser/serve-reload.mjs        (needs playwright-core in tests/browser)
//
// Uses target/debug/avtal (built with `cargo build` if missing), or AVTAL_BIN.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const chromiumArgs = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
];
/** The issue asks for "well under a second" on this path; CI machines are slower. */
const RELOAD_LIMIT_MS = 2000;

function avtalBinary() {
  if (process.env.AVTAL_BIN) return process.env.AVTAL_BIN;
  const binary = join(repoRoot, "target", "debug", "avtal");
  if (!existsSync(binary)) execFileSync("cargo", ["build", "--quiet"], { cwd: repoRoot, stdio: "inherit" });
  return binary;
}

function startServer(root) {
  const child = spawn(avtalBinary(), ["serve", "--root", root, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (chunk) => { log += chunk; });
  const url = new Promise((resolveUrl, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const found = out.match(/http:\/\/\S+/);
      if (found) resolveUrl(found[0]);
    });
    child.on("exit", (code) => reject(new Error(`avtal serve exited (${code}):\n${log}`)));
  });
  return { child, url, log: () => log };
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const root = mkdtempSync(join(tmpdir(), "avtal-serve-browser-"));
cpSync(join(repoRoot, "content"), join(root, "content"), { recursive: true });
cpSync(join(repoRoot, "themes"), join(root, "themes"), { recursive: true });
const server = startServer(root);
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
let failed = false;
try {
  const base = await server.url;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}overenskommelse/2013/`);
  // Wait until the page listens for rebuilds (EventSource open) before saving.
  await page.waitForFunction(() => window.avtalLiveReload === "connected");

  // 1. A save: the page reloads by itself and shows the new sentence.
  const file = join(root, "content", "overenskommelse", "2013.md");
  const original = readFileSync(file, "utf8");
  const marker = "Denna mening skrevs av webbläsartestet.";
  let loads = 0;
  page.on("load", () => { loads += 1; });
  const saved = Date.now();
  writeFileSync(file, `${original}\n${marker}\n`);
  await page.waitForFunction((text) => document.body.innerText.includes(text), marker, { timeout: 10_000 });
  const latency = Date.now() - saved;
  check(loads >= 1, "the page reloaded by itself");
  console.log(`save → browser shows the change: ${latency} ms`);
  check(latency < RELOAD_LIMIT_MS, `reload took ${latency} ms`);

  // 2. A stylesheet change is swapped in without a reload.
  await page.evaluate(() => { window.avtalStillHere = true; });
  await page.waitForTimeout(300);
  appendFileSync(join(root, "themes", "default", "static", "style.css"), "\nbody { outline: 3px solid rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)", null, { timeout: 10_000 });
  check(await page.evaluate(() => window.avtalStillHere === true), "CSS was swapped without a reload");

  // 3. A mistake: the overlay names file and line; the last good page stays.
  writeFileSync(file, `${original}\n${marker}\n`.replace("kind: version", "kind: [version"));
  const overlay = page.locator("#avtal-build-errors");
  await overlay.waitFor({ state: "visible", timeout: 10_000 });
  const overlayText = await overlay.innerText();
  check(/content\/overenskommelse\/2013\.md:\d+/.test(overlayText), `overlay names file and line: ${overlayText}`);
  check((await page.locator("main").innerText()).includes(marker), "the last good page is still shown");
  check(server.log().includes("content/overenskommelse/2013.md"), "the terminal shows the error too");
  // A page opened during the error shows the overlay too.
  const second = await context.newPage();
  await second.goto(`${base}`);
  await second.locator("#avtal-build-errors").waitFor({ state: "visible", timeout: 10_000 });

  // 4. Fixing the file clears the overlay in every open page.
  writeFileSync(file, original);
  await page.waitForFunction((text) => !document.body.innerText.includes(text)
    && !document.getElementById("avtal-build-errors"), marker, { timeout: 10_000 });
  await second.waitForFunction(() => !document.getElementById("avtal-build-errors"), null, { timeout: 10_000 });
  console.log("serve-reload: reload, CSS swap, error overlay and recovery all work");
} catch (error) {
  failed = true;
  console.error(`serve-reload FAILED: ${error.message}\n--- avtal serve said:\n${server.log()}`);
} finally {
  await browser.close();
  server.child.kill("SIGINT");
  rmSync(root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
