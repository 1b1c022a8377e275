//! Word-diff and lineage-proposal throughput: `cargo bench --bench word_diff`.
//!
//! Prints figures; asserts nothing about time. Texts are Swedish-like and deterministic:
//! clause-sized pairs (what comparison pages diff), whole-version pairs (the worst case a
//! comparison meets when every clause changed into one) and the automatic lineage
//! proposal between two versions of 25, 60 and 200 clauses (every open clause against every
//! old one).

use std::hint::black_box;
use std::time::{Duration, Instant};

use avtal::compare::{propose, words};

const WORDS: &[&str] = &[
    "kommunerna",
    "länet",
    "samverkan",
    "överenskommelsen",
    "ska",
    "parterna",
    "mottagandet",
    "av",
    "nyanlända",
    "och",
    "styrgruppen",
    "för",
    "gemensamma",
    "insatser",
    "inom",
    "uppföljningen",
    "årliga",
    "självförsörjning",
    "i",
    "regionala",
    "ansvaret",
    "säkerställer",
    "bör",
    "utbildningen",
    "med",
];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn text(rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push_str(if i % 13 == 0 { ". " } else { " " });
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out.push('.');
    out
}

/// The same text with about one word in `every` replaced.
fn amended(rng: &mut Rng, text: &str, every: usize) -> String {
    text.split(' ')
        .map(|w| {
            if rng.below(every) == 0 {
                WORDS[rng.below(WORDS.len())]
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `f` over `pairs` until at least `min` has passed; returns (rounds, elapsed).
fn run(min: Duration, mut f: impl FnMut()) -> (u32, Duration) {
    let started = Instant::now();
    let mut rounds = 0;
    while rounds == 0 || started.elapsed() < min {
        f();
        rounds += 1;
    }
    (rounds, started.elapsed())
}

fn diff_case(name: &str, pairs: &[(String, String)]) {
    let bytes: usize = pairs.iter().map(|(a, b)| a.len() + b.len()).sum();
    let (rounds, elapsed) = run(Duration::from_secs(2), || {
        for (a, b) in pairs {
            black_box(words::diff(black_box(a), black_box(b)));
        }
    });
    let seconds = elapsed.as_secs_f64();
    let diffs = f64::from(rounds) * pairs.len() as f64;
    println!(
        "word diff, {name}: {:.1} MB/s of old+new text, {:.0} diffs/s ({:.1} µs a diff)",
        f64::from(rounds) * bytes as f64 / seconds / 1e6,
        diffs / seconds,
        seconds / diffs * 1e6
    );
}

fn main() {
    let mut rng = Rng(0x5EED_CAFE);
    let clause_pairs: Vec<(String, String)> = (0..500)
        .map(|_| {
            let length = 40 + rng.below(80);
            let old = text(&mut rng, length);
            let new = amended(&mut rng, &old, 12);
            (old, new)
        })
        .collect();
    diff_case(
        "clause pairs of 40–120 words, 1 in 12 changed",
        &clause_pairs,
    );

    let version_pairs: Vec<(String, String)> = (0..5)
        .map(|_| {
            let old = text(&mut rng, 2_000);
            let new = amended(&mut rng, &old, 6);
            (old, new)
        })
        .collect();
    diff_case("2,000-word texts, 1 in 6 changed", &version_pairs);

    for clauses in [25, 60, 200] {
        let old: Vec<String> = (0..clauses)
            .map(|_| {
                let length = 40 + rng.below(80);
                text(&mut rng, length)
            })
            .collect();
        let new: Vec<String> = old.iter().map(|t| amended(&mut rng, t, 10)).collect();
        let open: Vec<usize> = (0..new.len()).collect();
        let (rounds, elapsed) = run(Duration::from_secs(2), || {
            black_box(propose::propose(black_box(&old), black_box(&new), &open));
        });
        println!(
            "lineage proposal, {clauses} × {clauses} clauses all undeclared: {:.2} ms a version pair",
            elapsed.as_secs_f64() / f64::from(rounds) * 1e3
        );
    }
}
