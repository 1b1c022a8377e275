//! Load-stage cost: `cargo bench --bench load [-- SITE_DIR]`.
//!
//! Times `content::load_all` (walk, read, decode, front matter, clause split, link and
//! word-list checks) over a site, then rendering every clause's HTML once (what a build
//! does with the parsed clauses), and prints wall time, CPU time of the process and the
//! memory the loaded model holds. Prints figures; asserts nothing about time.
//!
//! The default site is the 10,000-document corpus that `benches/bench.sh` writes
//! (`cargo run --release --example gen-corpus -- 10000 /tmp/avtal-bench/10000/site`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use avtal::content;
use avtal::render::markdown;

const RUNS: usize = 5;

fn main() {
    let site_dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(
            || PathBuf::from("/tmp/avtal-bench/10000/site"),
            PathBuf::from,
        );
    if !site_dir.join("content").is_dir() {
        println!(
            "no site at {} (write one with `cargo run --release --example gen-corpus -- 10000 {}`)",
            site_dir.display(),
            site_dir.display()
        );
        return;
    }
    println!("load stage over {}", site_dir.display());

    let mut loads = Vec::new();
    let mut held = 0;
    for run in 0..RUNS {
        let before = resident_bytes();
        let cpu = cpu_time();
        let start = Instant::now();
        let loaded = content::load_all(&site_dir);
        let wall = start.elapsed();
        let cpu = cpu_time().saturating_sub(cpu);
        if run == 0 {
            held = resident_bytes().saturating_sub(before);
            let pages = loaded.site.as_ref().map_or(0, |s| s.pages.len());
            println!(
                "  {pages} pages, {} diagnostic(s)",
                loaded.diagnostics.items.len()
            );
        }
        loads.push((wall, cpu));
        drop(loaded);
    }
    report("load_all", &mut loads);
    println!(
        "  the loaded model holds about {} MB (resident memory grown by the first load)",
        held / (1024 * 1024)
    );

    let loaded = content::load_all(&site_dir);
    let Some(site) = loaded.site else {
        println!("the site did not load; no render figures");
        return;
    };
    let mut renders = Vec::new();
    for _ in 0..RUNS {
        let cpu = cpu_time();
        let start = Instant::now();
        let mut bytes = 0;
        for page in &site.pages {
            // As a page renders: its file read again, then each clause.
            let Ok(text) = page.source.text() else {
                println!(
                    "{} cannot be read again; no render figures",
                    page.source.name
                );
                return;
            };
            for clause in &page.body.clauses {
                bytes += markdown::clause_html(&site, &page.url, clause, &text).len();
            }
        }
        std::hint::black_box(bytes);
        renders.push((start.elapsed(), cpu_time().saturating_sub(cpu)));
    }
    report(
        "each file read again and clause_html of every clause (one thread)",
        &mut renders,
    );
}

fn report(what: &str, runs: &mut [(Duration, Duration)]) {
    runs.sort();
    let (wall, cpu) = runs[runs.len() / 2];
    let best = runs[0].0;
    println!(
        "  {what}: median {:.0} ms wall, {:.0} ms CPU (best {:.0} ms wall, {} runs)",
        wall.as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        runs.len()
    );
}

/// User plus system time of this process, all threads.
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name (which may hold spaces) start after the last `)`.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the name and state.
    let total = ticks(11) + ticks(12);
    // /proc counts in USER_HZ, which Linux fixes at 100 for user space.
    Duration::from_millis(total * 10)
}

/// Resident set size of this process, from /proc (0 where it is not available).
fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}
