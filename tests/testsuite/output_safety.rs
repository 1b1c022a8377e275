//! The output folder: replaced whole or not at all, and never a folder that is not ours.
//! Every case runs the real binary.

use crate::hostile::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use support::{Outcome, TestSite, run_command, snapshot};

fn build_into(site: &TestSite, output: &Path) -> Outcome {
    site.run(&["build", "--output", &output.to_string_lossy()])
}

#[track_caller]
fn assert_refused(outcome: &Outcome, output: &str, reason: &str) {
    assert_eq!(
        outcome.code,
        Some(2),
        "exit code, stderr:\n{}",
        outcome.stderr
    );
    let expected = format!("error: refusing to write to {output}: {reason}");
    assert!(
        outcome.stderr.contains(&expected),
        "expected {expected:?} in:\n{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("help: "), "{}", outcome.stderr);
}

#[test]
fn refuses_the_file_system_root() {
    let site = TestSite::new("refuse-root");
    let outcome = build_into(&site, Path::new("/"));
    assert_refused(&outcome, "/", "it is the file system root");
}

#[test]
fn refuses_the_home_folder_also_through_a_link() {
    let site = TestSite::new("refuse-home");
    let home = site.path("home");
    fs::create_dir_all(&home).expect("home");
    fs::write(home.join(".bashrc"), "# mine\n").expect("file in home");
    // Even carrying our marker (a user who copied a build there), home is refused.
    fs::write(home.join(".avtal-output"), "").expect("marker");
    let mut command = Command::new(support::BINARY);
    command
        .env("HOME", &home)
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&home);
    let outcome = run_command(command);
    assert_refused(&outcome, &home.to_string_lossy(), "it is your home folder");

    #[cfg(unix)]
    {
        let link = site.path("till-hemmet");
        std::os::unix::fs::symlink(&home, &link).expect("link");
        let mut command = Command::new(support::BINARY);
        command
            .env("HOME", &home)
            .args(["build", "--root"])
            .arg(&site.root)
            .arg("--output")
            .arg(&link);
        let outcome = run_command(command);
        assert_refused(&outcome, &link.to_string_lossy(), "it is your home folder");
    }
    assert_eq!(
        fs::read_to_string(home.join(".bashrc")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn refuses_the_content_folder_and_folders_inside_it() {
    let site = TestSite::new("refuse-content");
    let before = snapshot(&site.path("content"));
    let content = site.path("content");
    let outcome = build_into(&site, &content);
    assert_refused(
        &outcome,
        &content.to_string_lossy(),
        "it is the site's content/ folder",
    );
    let inside = site.path("content/public");
    let outcome = build_into(&site, &inside);
    assert_refused(
        &outcome,
        &inside.to_string_lossy(),
        "it is inside the site's content/ folder",
    );
    // A relative path that climbs back into content/ is seen through.
    let sneaky = site.root.join("themes/../content/./x/..");
    let outcome = build_into(&site, &sneaky);
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert_eq!(snapshot(&site.path("content")), before);
    assert!(!site.path("content/public").exists());
}

#[test]
fn refuses_the_site_folder_itself() {
    let site = TestSite::new("refuse-site");
    let outcome = build_into(&site, &site.root.clone());
    assert_refused(
        &outcome,
        &site.root.to_string_lossy(),
        "it contains the site's own files",
    );
}

#[test]
fn refuses_a_folder_with_foreign_files() {
    let site = TestSite::new("refuse-foreign");
    let output = site.path("mina-filer");
    fs::create_dir_all(&output).expect("folder");
    fs::write(output.join("anteckningar.txt"), "viktigt").expect("file");
    let outcome = build_into(&site, &output);
    assert_refused(
        &outcome,
        &output.to_string_lossy(),
        "the folder holds files that avtal did not write (e.g. anteckningar.txt)",
    );
    assert_eq!(
        fs::read_to_string(output.join("anteckningar.txt")).unwrap(),
        "viktigt"
    );
    assert_eq!(fs::read_dir(&output).unwrap().count(), 1);
}

#[test]
fn refuses_a_file() {
    let site = TestSite::new("refuse-file");
    let output = site.path("en-fil");
    fs::write(&output, "x").expect("file");
    let outcome = build_into(&site, &output);
    assert_refused(&outcome, &output.to_string_lossy(), "it is a file");
    assert_eq!(fs::read_to_string(&output).unwrap(), "x");
}

#[test]
fn empty_and_own_folders_are_used() {
    let site = TestSite::new("own-folder");
    let output = site.path("ut");
    fs::create_dir_all(&output).expect("empty folder");
    build_into(&site, &output).assert_clean();
    assert!(output.join(".avtal-output").is_file());
    assert!(output.join("avtal/2013/index.html").is_file());
    // Our own folder is replaced whole: a stray file left in it disappears.
    fs::write(output.join("kvar.txt"), "x").expect("stray file");
    build_into(&site, &output).assert_clean();
    assert!(!output.join("kvar.txt").exists());
    assert!(output.join("avtal/2013/index.html").is_file());
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

#[test]
fn failed_build_leaves_the_previous_output_as_it_was() {
    let site = TestSite::new("failed-build");
    site.build().assert_clean();
    let before = snapshot(&site.path("public"));
    site.write("content/trasig.md", "---\nkind: page\n");
    let outcome = site.build();
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("was left as it was"),
        "{}",
        outcome.stderr
    );
    assert_eq!(snapshot(&site.path("public")), before);
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

/// Staging folders (`.public.avtal-new-PID`) beside the output.
fn leftovers(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root)
        .expect("site folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".avtal-"))
        .collect();
    names.sort();
    names
}

/// A site with enough pages that writing them takes a while.
fn large_site(name: &str, pages: usize) -> TestSite {
    let site = TestSite::new(name);
    let text = "Kommunerna i länet samverkar kring mottagandet av nyanlända. ".repeat(40);
    for n in 0..pages {
        site.write(
            &format!("content/dokument/d{n}.md"),
            format!(
                "---\nkind: page\ntitle: \"Sida {n}\"\n---\n\n## § 1 Del {n}\n\n{text}\n\n## § 2 Mer\n\nMer.\n"
            ),
        );
    }
    site
}

fn staging_folder(root: &Path) -> Option<PathBuf> {
    fs::read_dir(root)
        .ok()?
        .filter_map(|e| e.ok())
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".public.avtal-new-")
        })
        .map(|e| e.path())
}

fn files_in(folder: &Path) -> usize {
    fs::read_dir(folder).map_or(0, |entries| entries.count())
}

#[test]
fn build_killed_halfway_leaves_the_previous_output_byte_identical() {
    let site = large_site("killed", 1200);
    site.build().assert_clean();
    let before = snapshot(&site.path("public"));
    // The next build would change every page.
    for n in 0..1200 {
        site.edit(&format!("content/dokument/d{n}.md"), "Mer.", "Ändrad text.");
    }
    let mut killed_while_writing = 0;
    for attempt in 0..3 {
        let mut child = Command::new(support::BINARY)
            .args(["build", "--root"])
            .arg(&site.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start build");
        // Wait until the new site is half written: pages are appearing in the staging
        // folder. Then SIGKILL, which the process cannot catch or clean up after.
        let started = Instant::now();
        let mut seen_writing = false;
        loop {
            if let Some(staging) = staging_folder(&site.root)
                && files_in(&staging.join("dokument")) > 100 + attempt * 300
            {
                seen_writing = true;
                break;
            }
            if child.try_wait().expect("wait").is_some()
                || started.elapsed() > Duration::from_secs(120)
            {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        child.kill().ok(); // SIGKILL on Unix
        let status = child.wait().expect("reap build");
        if seen_writing && !status.success() {
            killed_while_writing += 1;
            assert_eq!(
                snapshot(&site.path("public")),
                before,
                "attempt {attempt}: public/ changed after a kill"
            );
        }
    }
    assert!(
        killed_while_writing > 0,
        "no build could be killed while writing; make the site larger"
    );
    // The next build cleans up what the killed ones left and succeeds.
    site.build().assert_clean();
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
    let after = snapshot(&site.path("public"));
    assert_ne!(after, before);
    assert!(
        site.read("public/dokument/d7/index.html")
            .contains("Ändrad text.")
    );
}

#[test]
fn output_folder_never_disappears_during_a_build() {
    let site = large_site("no-gap", 200);
    site.build().assert_clean();
    let marker = site.path("public/.avtal-output");
    let stop = Arc::new(AtomicBool::new(false));
    let missing = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (stop, missing, marker) = (stop.clone(), missing.clone(), marker.clone());
        std::thread::spawn(move || {
            let mut looks = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if !marker.exists() {
                    missing.store(true, Ordering::Relaxed);
                }
                looks += 1;
            }
            looks
        })
    };
    for _ in 0..3 {
        site.build().assert_clean();
    }
    stop.store(true, Ordering::Relaxed);
    let looks = watcher.join().expect("watcher");
    assert!(looks > 1000, "the watcher looked only {looks} times");
    assert!(
        !missing.load(Ordering::Relaxed),
        "public/ was missing at some moment of a build"
    );
}
