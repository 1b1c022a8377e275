// Two sites besides the real one, built with the same avtal as the suite (`cargo run`,
// the debug build): a site made by `avtal init`, and the real content with the invented
// guidelines of tests/fixtures/riktlinjer as a second work. Neither has a themes folder:
// they use the theme built into the binary.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./site.mjs";

export const initRoot = join(repoRoot, "target", "browser-init");
export const initSiteDir = join(repoRoot, "target", "browser-init-site");
export const secondWorkRoot = join(repoRoot, "target", "browser-second-work");
export const secondWorkSiteDir = join(repoRoot, "target", "browser-second-work-site");

/** Runs avtal; its warnings are kept back, and a failure's message holds what it said. */
function avtal(args) {
  execFileSync("cargo", ["run", "--quiet", "--", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** `avtal init` into target/browser-init, built into target/browser-init-site. */
export function buildInitSite() {
  rmSync(initRoot, { recursive: true, force: true });
  avtal(["init", initRoot]);
  avtal(["build", "--root", initRoot, "--output", initSiteDir]);
}

/**
 * The real content with tests/fixtures/riktlinjer beside it (its work.yaml appended to
 * site.yaml, its versions in content/riktlinjer/), as tests/open_data.rs builds it.
 */
export function buildSecondWorkSite() {
  const fixture = join(repoRoot, "tests", "fixtures", "riktlinjer");
  rmSync(secondWorkRoot, { recursive: true, force: true });
  mkdirSync(secondWorkRoot, { recursive: true });
  const content = join(secondWorkRoot, "content");
  cpSync(join(repoRoot, "content"), content, { recursive: true });
  const siteYaml = join(content, "site.yaml");
  writeFileSync(siteYaml, readFileSync(siteYaml, "utf8") + readFileSync(join(fixture, "work.yaml"), "utf8"));
  cpSync(join(fixture, "riktlinjer"), join(content, "riktlinjer"), { recursive: true });
  avtal(["build", "--root", secondWorkRoot, "--output", secondWorkSiteDir]);
}

/** Every file under `dir` whose name ends in one of `endings`, relative to `dir`. */
export function filesEnding(dir, endings) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => endings.some((e) => f.endsWith(e)))
    .sort();
}
