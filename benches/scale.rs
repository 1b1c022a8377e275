//! How `avtal check` grows with clauses, problems and words, and what the largest
//! files cost in memory: `cargo bench --bench scale [-- RUNS]`.
//!
//! Writes sites from `tests/hostile/base` into a temporary folder: a version of
//! 10,000, 20,000 and 40,000 clauses after one of two (lineage proposed for all but two,
//! as the hostile test `a_version_of_20_000_clauses_is_checked_in_time`); two versions
//! of 5,000 and 10,000 clauses of varied text, a twentieth edited, removed or new, with
//! no lineage declared (every clause proposed for and compared); 10,000 declared lineage
//! entries, each with a note (10,000 clause histories); a clause of 20,000 sentences, a
//! tenth of them moved; 40,000 unused word-list entries, 100,000 repeated headings and
//! 10,000 broken links; then the inputs that took gigabytes (1.9 million one-word list
//! items, 2.5 million one-word paragraphs, both refused now) and files just within the
//! limits of a content file.
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

    for clauses in [5_000, 10_000] {
        let site = base_site(&dir, &format!("varied-{clauses}"));
        let (older, newer) = varied_versions(clauses);
        write(&site, "content/avtal/2009.md", &older);
        write(&site, "content/avtal/2013.md", &newer);
        let figures = measure(&site, runs);
        report(
            &format!("2 versions of {clauses} varied clauses"),
            &figures,
            Some(clauses),
        );
    }

    let site = base_site(&dir, "declared");
    let (older, newer) = declared_versions(10_000);
    write(&site, "content/avtal/2009.md", &older);
    write(&site, "content/avtal/2013.md", &newer);
    report(
        "10,000 declared lineage entries with notes",
        &measure(&site, runs),
        None,
    );

    let site = base_site(&dir, "sentences");
    let (older, newer) = moved_sentences(20_000);
    write(&site, "content/avtal/2009.md", &older);
    write(&site, "content/avtal/2013.md", &newer);
    report(
        "a clause of 20,000 sentences, 2,000 moved",
        &measure(&site, runs),
        None,
    );

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

/// Numbers below `below`, the same on every run.
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % below.max(1)
    }
}

/// A made-up word: letters for the digits of `n`.
fn made_up_word(mut n: usize) -> String {
    let mut word = String::new();
    loop {
        word.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break word;
        }
    }
}

/// The front matter of version `year` of the base site's work, with `lineage`.
fn front_matter(year: u32, in_force: bool, lineage: &str) -> String {
    let replaced = if in_force {
        String::new()
    } else {
        format!(
            ", {{ status: ersatt, date: {}-06-01, source: \"@/dokument/beslut.md\" }}",
            year + 4
        )
    };
    format!(
        "---\nkind: version\nwork: avtal\nversion: \"{year}\"\ndate: {year}-03-26\n\
         status_history: [{{ status: antagen, date: {year}-06-01, source: \"@/dokument/beslut.md\" }}{replaced}]\n\
         title: \"Avtalet {year}\"\nsource:\n  file: a{year}.txt\n  body: \"KSL\"\n  editorial: \"Inget.\"\n\
         {lineage}---\n"
    )
}

/// Two versions of `clauses` clauses of sentences of common and made-up words, the
/// later with a twentieth of the clauses edited, removed or new; no lineage declared.
fn varied_versions(clauses: usize) -> (String, String) {
    const COMMON: [&str; 10] = [
        "och",
        "ska",
        "kommunerna",
        "att",
        "i",
        "för",
        "av",
        "med",
        "som",
        "den",
    ];
    let mut numbers = Numbers(7);
    let sentence = |numbers: &mut Numbers| {
        let words: Vec<String> = (0..6 + numbers.below(9))
            .map(|_| match numbers.below(3) {
                0 => COMMON[numbers.below(COMMON.len())].to_string(),
                _ => made_up_word(numbers.below(20_000)),
            })
            .collect();
        format!("{}.", words.join(" "))
    };
    let clause = |numbers: &mut Numbers| {
        let title = made_up_word(numbers.below(20_000));
        let text: Vec<String> = (0..1 + numbers.below(3))
            .map(|_| sentence(numbers))
            .collect();
        (title, text.join(" "))
    };
    let older: Vec<(String, String)> = (0..clauses).map(|_| clause(&mut numbers)).collect();
    let mut newer = Vec::new();
    for (title, text) in &older {
        match numbers.below(60) {
            0 => {}
            1 => newer.push(clause(&mut numbers)),
            2 => {
                newer.push((title.clone(), text.clone()));
                newer.push(clause(&mut numbers));
            }
            3 => newer.push((title.clone(), format!("{text} {}", sentence(&mut numbers)))),
            _ => newer.push((title.clone(), text.clone())),
        }
    }
    let body = |list: &[(String, String)]| -> String {
        list.iter()
            .enumerate()
            .map(|(i, (title, text))| format!("\n## § {} {title}\n\n{text}\n", i + 1))
            .collect()
    };
    (
        front_matter(2009, false, "") + &body(&older),
        front_matter(2013, true, "") + &body(&newer),
    )
}

/// Two versions of `clauses` clauses, the later declaring the lineage of each with a
/// note: a clause history each.
fn declared_versions(clauses: usize) -> (String, String) {
    let body: String = (1..=clauses)
        .map(|n| format!("\n## § {n} Rubrik {n}\n\nText nummer {n} om samverkan.\n"))
        .collect();
    let mut lineage = String::from("lineage:\n  from: \"2009\"\n  clauses:\n");
    for n in 1..=clauses {
        let _ = write!(
            lineage,
            "    - from: [P{n}]\n      to: [P{n}]\n      note: \"Oförändrad {n}.\"\n"
        );
    }
    (
        front_matter(2009, false, "") + &body,
        front_matter(2013, true, &lineage) + &body,
    )
}

/// One clause of `sentences` sentences, and the same with a tenth of them swapped
/// about: moved sentences, each shown where it left and where it arrived.
fn moved_sentences(sentences: usize) -> (String, String) {
    let older: Vec<String> = (0..sentences)
        .map(|n| {
            format!(
                "Mening {}x om {}y gäller.",
                made_up_word(n),
                made_up_word(n * 7 + 3)
            )
        })
        .collect();
    let mut newer = older.clone();
    let mut numbers = Numbers(3);
    for _ in 0..sentences / 20 {
        let (a, b) = (numbers.below(sentences), numbers.below(sentences));
        newer.swap(a, b);
    }
    let clause = |list: &[String]| format!("\n## § 1 Syfte\n\n{}\n", list.join(" "));
    (
        front_matter(2009, false, "") + &clause(&older),
        front_matter(2013, true, "") + &clause(&newer),
    )
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
