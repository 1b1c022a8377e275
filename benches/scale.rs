//! How `avtal check` grows with clauses, problems and words, and what the largest
//! files cost in memory: `cargo bench --bench scale [-- RUNS]`.
//!
//! Writes sites from `tests/hostile/base` into a temporary folder: a version of
//! 10,000, 20,000 and 40,000 clauses after one of two (lineage proposed for all but two,
//! as the hostile test `a_version_of_20_000_clauses_is_checked_in_time`), 40,000 unused
//! word-list entries, 100,000 repeated headings and 10,000 broken links; then the inputs
//! that took gigabytes (1.9 million one-word list items, 2.5 million one-word
//! paragraphs, both refused now) and files just within the limits of a content file.
//! For each it runs the release binary's `check` and prints the median wall time, CPU
//! time (user + system, steadier on a shared machine) and peak memory (max RSS), and for
//! the clause sizes the CPU time per 1,000 clauses: linear growth shows as a constant.
//! Prints figures; asserts nothing.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_avtal");

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3);
    let dir = std::env::temp_dir().join(format!("avtal-bench-scale-{}", std::process::id()));
    println!(
        "avtal check at scale, {runs} run(s) each, median; sites in {}",
        dir.display()
    );
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>11}",
        "input", "wall s", "cpu s", "peak MB", "cpu ms/1k"
    );

    for clauses in [10_000, 20_000, 40_000] {
        let site = base_site(&dir, &format!("clauses-{clauses}"));
        let mut text = version_front_matter(&site);
        for n in 1..=clauses {
            let _ = write!(
                text,
                "\n## § {n} Rubrik {n}\n\nText nummer {n} om samverkan.\n"
            );
        }
        write(&site, "content/avtal/2013.md", &text);
        let figures = measure(&site, runs);
        report(
            &format!("version of {clauses} clauses"),
            &figures,
            Some(clauses),
        );
    }

    let site = base_site(&dir, "words");
    let mut list = fs::read_to_string(site.join("content/ordlista.txt")).unwrap_or_default();
    for n in 0..40_000 {
        let word: String = (0..4)
            .scan(n, |rest, _| {
                let letter = char::from(b'a' + (*rest % 26) as u8);
                *rest /= 26;
                Some(letter)
            })
            .collect();
        let _ = writeln!(list, "Oanvänt{word}");
    }
    write(&site, "content/ordlista.txt", &list);
    report(
        "40,000 unused word-list entries",
        &measure(&site, runs),
        None,
    );

    let site = base_site(&dir, "headings");
    write(
        &site,
        "content/sida.md",
        &page(&"\n## § 1 A\n".repeat(100_000)),
    );
    report(
        "100,000 repeated headings (refused)",
        &measure(&site, runs),
        None,
    );

    let site = base_site(&dir, "links");
    let long: String = (1..=10_000)
        .map(|n| format!("\n## § {n} R\n\nText {n}.\n"))
        .collect();
    write(&site, "content/lang.md", &page(&long));
    let links: String = (1..=10_000)
        .map(|n| format!("Se [{n}](@/lang.md#Q{n}).\n\n"))
        .collect();
    write(&site, "content/lankar.md", &page(&links));
    report(
        "10,000 broken links into 10,000 clauses",
        &measure(&site, runs),
        None,
    );

    println!("-- memory: the inputs of issue 15 item 9, and files just within the limits");
    let site = base_site(&dir, "items");
    let mut text = fs::read_to_string(site.join("content/avtal/2013.md")).unwrap_or_default();
    text.push_str("\n## § 3 Lista\n\n");
    text.push_str(&"- a\n".repeat(1_900_000));
    write(&site, "content/avtal/2013.md", &text);
    report(
        "1.9 million list items, 7.6 MB (refused)",
        &measure(&site, 1),
        None,
    );

    let site = base_site(&dir, "paragraphs");
    write(&site, "content/sida.md", &page(&"a\n\n".repeat(2_500_000)));
    report(
        "2.5 million paragraphs, 7.5 MB (refused)",
        &measure(&site, 1),
        None,
    );

    let site = base_site(&dir, "items-within");
    let mut text = fs::read_to_string(site.join("content/avtal/2013.md")).unwrap_or_default();
    text.push_str("\n## § 3 Lista\n\n");
    text.push_str(&"- a\n".repeat(199_000));
    write(&site, "content/avtal/2013.md", &text);
    report(
        "199,000 list items (within the limits)",
        &measure(&site, 1),
        None,
    );

    let site = base_site(&dir, "clauses-within");
    let mut text = version_front_matter(&site);
    for n in 1..=49_000 {
        let _ = write!(text, "\n## § {n} R\nText {n}.\n");
    }
    write(&site, "content/avtal/2013.md", &text);
    report(
        "version of 49,000 clauses (within)",
        &measure(&site, 1),
        None,
    );

    fs::remove_dir_all(&dir).ok();
}

/// Median wall time, CPU time and peak memory of `avtal check` on `site`.
struct Figures {
    wall: Duration,
    cpu: Duration,
    peak_kb: Option<u64>,
}

fn measure(site: &Path, runs: usize) -> Figures {
    let mut all: Vec<Figures> = (0..runs.max(1)).map(|_| check(site)).collect();
    all.sort_by_key(|f| f.cpu);
    all.swap_remove(all.len() / 2)
}

fn report(name: &str, figures: &Figures, clauses: Option<usize>) {
    let peak = figures
        .peak_kb
        .map_or("?".to_string(), |kb| format!("{:.0}", kb as f64 / 1024.0));
    let per_thousand = clauses.map_or(String::new(), |n| {
        format!(
            "{:.0}",
            figures.cpu.as_secs_f64() * 1000.0 / (n as f64 / 1000.0)
        )
    });
    println!(
        "{name:<44} {:>9.2} {:>9.2} {peak:>9} {per_thousand:>11}",
        figures.wall.as_secs_f64(),
        figures.cpu.as_secs_f64(),
    );
}

/// One run of `avtal check`; CPU time and peak memory are the child's own (`wait4`).
fn check(site: &Path) -> Figures {
    let started = Instant::now();
    let child = Command::new(BINARY)
        .arg("check")
        .arg("--root")
        .arg(site)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start avtal");
    let (cpu, peak_kb) = wait_with_usage(child);
    Figures {
        wall: started.elapsed(),
        cpu: cpu.unwrap_or_default(),
        peak_kb,
    }
}

#[cfg(target_os = "linux")]
fn wait_with_usage(child: std::process::Child) -> (Option<Duration>, Option<u64>) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct that wait4 fills in; the pid is our child's,
    // which has not been waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return (None, None);
    }
    let seconds = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        Some(seconds(usage.ru_utime) + seconds(usage.ru_stime)),
        Some(usage.ru_maxrss as u64),
    )
}

#[cfg(not(target_os = "linux"))]
fn wait_with_usage(mut child: std::process::Child) -> (Option<Duration>, Option<u64>) {
    let _ = child.wait();
    (None, None)
}

/// A fresh copy of the hostile tests' base site and the themes, in `dir/name`.
fn base_site(dir: &Path, name: &str) -> PathBuf {
    let root = dir.join(name);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&manifest.join("tests/hostile/base"), &root);
    copy_dir(&manifest.join("themes"), &root.join("themes"));
    root
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

fn write(site: &Path, relative: &str, text: &str) {
    fs::write(site.join(relative), text).expect("write the generated file");
}

/// A plain page with this body.
fn page(body: &str) -> String {
    format!("---\nkind: page\ntitle: \"Sida\"\n---\n{body}")
}

/// The base site's 2013 front matter, its lineage declared for § 1 and § 2, which the
/// generated versions keep.
fn version_front_matter(site: &Path) -> String {
    let text = fs::read_to_string(site.join("content/avtal/2013.md")).unwrap_or_default();
    let end = text[3..].find("\n---\n").map_or(text.len(), |n| n + 3);
    format!("{}\n---\n", &text[..end])
}
