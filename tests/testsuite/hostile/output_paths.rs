//! Hostile input: see the module list in tests/testsuite/hostile/mod.rs.
//!
//! Where the build writes: the output path may be anything a careless or hostile user
//! can put there (a device node, a FIFO, a socket, a link, a mount point, a folder named
//! like our staging folder). Nothing that is not provably ours is ever moved or removed.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::hostile::support::{BINARY, Outcome, TestSite, run_command, snapshot};

fn build_into(site: &TestSite, output: &Path) -> Outcome {
    site.run(&["build", "--output", &output.to_string_lossy()])
}

/// Exit 2 with `refusing to write to OUTPUT: REASON…` and a help line.
#[track_caller]
fn assert_refused(outcome: &Outcome, output: &Path, reason: &str) {
    assert_eq!(
        outcome.code,
        Some(2),
        "exit code, stderr:\n{}",
        outcome.stderr
    );
    let expected = format!("error: refusing to write to {}: {reason}", output.display());
    assert!(
        outcome.stderr.contains(&expected),
        "expected {expected:?} in:\n{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("  help: "), "{}", outcome.stderr);
}

/// Entries of `folder` named like avtal's staging, old-site or temporary files.
fn leftovers(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .expect("folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".avtal-"))
        .collect();
    names.sort();
    names
}

fn file_type(path: &Path) -> fs::FileType {
    fs::symlink_metadata(path).expect("still there").file_type()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("make link");
}

/// Issue 15, item 1: as root, `--output /dev/null` turned the device into a folder of
/// HTML. Anything at the output path that is neither absent nor a folder is refused
/// (exit 2) before anything is written, and stays what it was.
#[cfg(unix)]
#[test]
fn output_that_is_a_fifo_socket_or_device_is_refused_and_left_alone() {
    use std::os::unix::fs::FileTypeExt;
    let site = TestSite::new("output-special-files");
    let fifo = site.path("ut-fifo");
    mkfifo(&fifo);
    let socket = site.path("ut-socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("socket");
    // A node like /dev/null (character device 1:3), made in the test's own folder: the
    // real /dev/null is never the test's target. Skipped where mknod is not allowed.
    let device = site.path("ut-null");
    let device_made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !device_made {
        eprintln!("note: mknod is not allowed here; the character-device case is skipped");
    }
    /// Whether the thing at the path is still of its kind.
    type StillThere = fn(&fs::FileType) -> bool;
    let mut cases: Vec<(&Path, &str, StillThere)> = vec![
        (&fifo, "it is a named pipe (FIFO), not a folder", |t| {
            t.is_fifo()
        }),
        (&socket, "it is a socket, not a folder", |t| t.is_socket()),
    ];
    if device_made {
        cases.push((&device, "it is a character device, not a folder", |t| {
            t.is_char_device()
        }));
    }
    for (output, reason, still_there) in cases {
        let outcome = build_into(&site, output);
        assert_refused(&outcome, output, reason);
        assert!(
            still_there(&file_type(output)),
            "{} was replaced",
            output.display()
        );
    }
    // A chain of links to a FIFO is refused the same way, naming where it leads.
    let first = site.path("ut-lank");
    symlink("ut-lank-2", &first);
    symlink(&fifo, &site.path("ut-lank-2"));
    let outcome = build_into(&site, &first);
    assert_refused(
        &outcome,
        &first,
        &format!(
            "it leads to {}, which is a named pipe (FIFO), not a folder",
            fifo.display()
        ),
    );
    assert!(file_type(&first).is_symlink());
    assert!(file_type(&fifo).is_fifo());
    // Nor can the output be made inside one.
    let inside = fifo.join("public");
    let outcome = build_into(&site, &inside);
    assert_refused(
        &outcome,
        &inside,
        &format!(
            "{} is a named pipe (FIFO), not a folder, so the output cannot be made inside it",
            fifo.display()
        ),
    );
    assert!(file_type(&fifo).is_fifo());
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
    assert!(!site.path("public").exists());
}

/// Issue 15, item 2: a symbolic link as the output is followed deliberately. The
/// folder it leads to is replaced by the new site (staged beside it, on its own file
/// system), and the link stays a link, pointing where it pointed.
#[cfg(unix)]
#[test]
fn symlinked_output_replaces_the_folder_it_leads_to_and_stays_a_link() {
    let site = TestSite::new("output-link-own-build");
    let web_root = tempfile::tempdir().expect("web root");
    let target = web_root.path().join("site");
    fs::write(web_root.path().join("annat.txt"), "rör ej").expect("neighbour");
    build_into(&site, &target).assert_clean();
    let public = site.path("public");
    symlink(&target, &public);
    site.edit(
        "content/avtal/2013.md",
        "samarbeta mer",
        "samarbeta ännu mer",
    );
    // The default output, public/, is the link.
    let outcome = site.build();
    outcome.assert_clean();
    assert!(
        file_type(&public).is_symlink(),
        "public/ is no longer a link"
    );
    assert_eq!(fs::read_link(&public).expect("link"), target);
    let page = fs::read_to_string(target.join("avtal/2013/index.html")).expect("page");
    assert!(
        page.contains("samarbeta ännu mer"),
        "the old site is still there"
    );
    assert!(target.join(".avtal-output").is_file());
    assert_eq!(
        fs::read_to_string(web_root.path().join("annat.txt")).expect("neighbour"),
        "rör ej"
    );
    assert_eq!(leftovers(web_root.path()), Vec::<String>::new());
    assert_eq!(leftovers(&site.root), Vec::<String>::new());

    // The same through a relative link given as --output.
    let current = web_root.path().join("aktuell");
    symlink("site", &current);
    site.edit(
        "content/avtal/2013.md",
        "samarbeta ännu mer",
        "samarbeta allra mest",
    );
    build_into(&site, &current).assert_clean();
    assert_eq!(fs::read_link(&current).expect("link"), Path::new("site"));
    let page = fs::read_to_string(target.join("avtal/2013/index.html")).expect("page");
    assert!(page.contains("samarbeta allra mest"));
    assert_eq!(leftovers(web_root.path()), Vec::<String>::new());
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

/// Issue 15, item 2: a link to a folder of someone else's files is refused like that
/// folder itself; the link and every file it leads to stay as they were.
#[cfg(unix)]
#[test]
fn symlinked_output_to_foreign_files_is_refused_and_untouched() {
    let site = TestSite::new("output-link-foreign");
    let web_root = tempfile::tempdir().expect("web root");
    let target = web_root.path().join("www");
    fs::create_dir_all(target.join("bilder")).expect("folder");
    fs::write(target.join("index.html"), "<p>någon annans webbplats</p>").expect("file");
    fs::write(target.join("bilder/logga.svg"), "<svg/>").expect("file");
    let before = snapshot(web_root.path());
    let public = site.path("public");
    symlink(&target, &public);
    let outcome = site.build();
    assert_refused(
        &outcome,
        &public,
        &format!(
            "it leads to {}, which holds files that avtal did not write",
            target.display()
        ),
    );
    assert_eq!(snapshot(web_root.path()), before);
    assert_eq!(fs::read_link(&public).expect("still a link"), target);
    assert_eq!(leftovers(web_root.path()), Vec::<String>::new());
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

/// Issue 15, item 2: a link that leads nowhere (its target is missing, or links go
/// round in a circle) is refused with what to do; it is neither replaced by a folder
/// nor is its target made.
#[cfg(unix)]
#[test]
fn dangling_or_circular_link_as_output_is_refused() {
    let site = TestSite::new("output-link-dangling");
    let web_root = tempfile::tempdir().expect("web root");
    let missing = web_root.path().join("finns-inte");
    let public = site.path("public");
    symlink(&missing, &public);
    let outcome = site.build();
    assert_refused(
        &outcome,
        &public,
        &format!(
            "it is a symbolic link to {}, which does not exist",
            missing.display()
        ),
    );
    assert!(
        outcome
            .stderr
            .contains("make the folder the link points to")
    );
    assert_eq!(fs::read_link(&public).expect("still a link"), missing);
    assert!(!missing.exists());

    let round = site.path("runt");
    symlink("runt-2", &round);
    symlink("runt", &site.path("runt-2"));
    let outcome = build_into(&site, &round);
    assert_refused(
        &outcome,
        &round,
        "it is a symbolic link to runt-2, which does not exist (or the links go round in a circle)",
    );
    assert!(file_type(&round).is_symlink());
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
    assert_eq!(leftovers(web_root.path()), Vec::<String>::new());
}

/// A process id that no running process has.
fn dead_pid(from: u32) -> u32 {
    (from..)
        .find(|pid| !Path::new(&format!("/proc/{pid}")).exists())
        .expect("a free process id")
}

/// Issue 15, item 13: a folder named like a dead build's staging folder is removed only
/// when it is provably ours (it carries the marker every staging folder gets when it is
/// made, or it is empty); a folder of someone's files under that name stays.
#[test]
fn folder_named_like_a_dead_builds_staging_folder_is_removed_only_if_ours() {
    let site = TestSite::new("output-staging-names");
    let pid = dead_pid(88888);
    let foreign_new = format!(".public.avtal-new-{pid}");
    let foreign_old = format!(".public.avtal-old-{pid}-2");
    site.write(&format!("{foreign_new}/mitt-arbete.txt"), "viktigt");
    site.write(&format!("{foreign_old}/index.html"), "<p>min sida</p>");
    // Left by a killed build of ours: marked, half written.
    let ours = format!(".public.avtal-new-{}", dead_pid(pid + 1));
    site.write(&format!("{ours}/.avtal-output"), "Built by avtal.\n");
    site.write(&format!("{ours}/avtal/2013/index.html"), "<p>halv</p>");
    let ours_empty = format!(".public.avtal-old-{}", dead_pid(pid + 2));
    fs::create_dir_all(site.path(&ours_empty)).expect("empty folder");

    site.build().assert_clean();
    assert_eq!(
        site.read(&format!("{foreign_new}/mitt-arbete.txt")),
        "viktigt"
    );
    assert_eq!(
        site.read(&format!("{foreign_old}/index.html")),
        "<p>min sida</p>"
    );
    assert_eq!(leftovers(&site.root), vec![foreign_new, foreign_old]);
    assert!(site.path("public/avtal/2013/index.html").is_file());
}

/// Runs `script` (sh) in a private mount namespace, so that what it mounts is gone when
/// it ends and is never seen outside. `None` where mount namespaces are not allowed.
fn in_mount_namespace(script: &str, args: &[&Path]) -> Option<Outcome> {
    let probe = tempfile::tempdir().expect("probe folder");
    let allowed = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg(r#"mount -t tmpfs avtal-probe "$0""#)
        .arg(probe.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !allowed {
        return None;
    }
    let mut command = Command::new("unshare");
    command
        .args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg(script)
        .arg(BINARY)
        .args(args);
    Some(run_command(command))
}

/// Issue 15, item 15: an output folder that is a mount point (a file system of its own,
/// or a bind mount) cannot be swapped; the build said only "Device or resource busy".
/// It is refused before building, saying what it is and what to do.
#[test]
fn output_that_is_a_mount_point_is_refused_with_what_to_do() {
    let site = TestSite::new("output-mount-point");
    let output = site.path("ut");
    fs::create_dir_all(&output).expect("mount point");
    let mounts = [
        ("a tmpfs", r#"mount -t tmpfs avtal-test "$2""#),
        ("a bind mount", r#"mount --bind "$2" "$2""#),
    ];
    for (what, mount) in mounts {
        let script = format!(r#"{mount} || exit 99; exec "$0" build --root "$1" --output "$2""#);
        let Some(outcome) = in_mount_namespace(&script, &[&site.root, &output]) else {
            eprintln!(
                "note: mount namespaces are not allowed here; the mount-point case is skipped"
            );
            return;
        };
        assert_ne!(outcome.code, Some(99), "could not mount {what}");
        assert_refused(
            &outcome,
            &output,
            "it is a mount point (another file system is mounted there)",
        );
        assert!(
            outcome.stderr.contains(&format!(
                "choose a folder inside it, e.g. --output {}",
                output.join("site").display()
            )),
            "{what}: {}",
            outcome.stderr
        );
        assert!(!outcome.stderr.contains("busy"), "{}", outcome.stderr);
        assert_eq!(leftovers(&site.root), Vec::<String>::new(), "{what}");
    }
    // Outside the namespace nothing was mounted or written.
    assert_eq!(fs::read_dir(&output).expect("folder").count(), 0);
}

/// Issue 15, item 11: `new-version` on a full disk left a truncated file in content/
/// (then `check` failed and a retry said "already exists"). A file-size limit makes
/// the write fail like a full disk does, without root or a small file system.
#[test]
fn new_version_on_a_full_disk_leaves_no_file_and_can_be_run_again() {
    let site = TestSite::new("new-version-full-disk");
    // A version far larger than the limit below (2 KB or 4 KB, by the shell's unit).
    let paragraph = "Kommunerna i länet samverkar kring mottagandet av nyanlända. ".repeat(20);
    site.edit(
        "content/avtal/2013.md",
        "Kommunerna ska samarbeta mer, sa KSL.",
        &format!(
            "Kommunerna ska samarbeta mer, sa KSL.\n\n{}",
            paragraph.repeat(20)
        ),
    );
    let mut command = Command::new("sh");
    // SIGXFSZ ignored (inherited through exec), so the write fails with EFBIG instead
    // of killing the process: what ENOSPC does on a full disk.
    command
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 4 || exit 99; exec "$0" new-version avtal 2014 --from 2013 --root "$1""#)
        .arg(BINARY)
        .arg(&site.root);
    let outcome = run_command(command);
    assert_ne!(outcome.code, Some(99), "could not set a file-size limit");
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("cannot write") && outcome.stderr.contains("no file was made"),
        "{}",
        outcome.stderr
    );
    let folder = site.path("content/avtal");
    assert!(
        !folder.join("2014.md").exists(),
        "a truncated file was left"
    );
    assert_eq!(leftovers(&folder), Vec::<String>::new());
    site.check().assert_clean();
    // Run again with room to write: it succeeds, the file is whole.
    let outcome = site.run(&["new-version", "avtal", "2014", "--from", "2013"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(site.read("content/avtal/2014.md").contains(&paragraph));
    site.check().assert_clean();
}
