//! Replays every input the fuzzer ever crashed on (fuzz/regressions/TARGET/) and the seed
//! corpus, then a short, reproducible run of random mutations of the seeds. The real,
//! coverage-guided fuzzing is `tests/fuzz-ci` (README, "Checking and safety").

use std::fs;
use std::path::Path;

fn inputs(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = fs::read(&p).expect("read input");
            (p.display().to_string(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn content_regressions_and_seeds_do_not_panic() {
    let mut count = 0;
    for folder in ["fuzz/regressions/content", "fuzz/seeds/content"] {
        for (name, bytes) in inputs(folder) {
            eprintln!("{name}");
            avtal::fuzz::content_file(&bytes);
            count += 1;
        }
    }
    assert!(count >= 10, "only {count} inputs");
}

#[test]
fn word_diff_regressions_do_not_panic() {
    for (name, bytes) in inputs("fuzz/regressions/word_diff") {
        eprintln!("{name}");
        avtal::fuzz::word_diff(&bytes);
    }
    avtal::fuzz::word_diff("Kommunerna ska samarbeta.|Kommunerna ska aktivt samarbeta!".as_bytes());
}

/// Pieces of the content format that random bytes rarely hit.
const TOKENS: &[&str] = &[
    "\n---\n",
    "\n## § ",
    "§",
    "\n## ",
    " {#",
    "}",
    "[x](@/avtal/2009.md#P1)",
    "](",
    "@/",
    "#P",
    "\n- ",
    "\n1. ",
    "\n> ",
    "\t",
    "\r\n",
    "\u{feff}",
    "*a",
    "&a ",
    ": ",
    "\"",
    "'",
    "<script>",
    "javascript:",
    "lineage:\n  from: \"2009\"\n  clauses:\n    - from: [P1]\n      to: [P",
    "note: \"[n](@/avtal/2009.md#P",
    "å",
    "a\u{30a}",
    "```\n",
    "|",
    "\\",
];

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at..at, token.iter().copied());
            }
            1 if !out.is_empty() => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at.min(end)..end);
            }
            2 if at < out.len() => out[at] = rng.next() as u8,
            _ => {
                let start = rng.below(out.len() + 1);
                let end = (start + rng.below(200)).min(out.len());
                let copy = out[start..end].to_vec();
                out.splice(at..at, copy);
            }
        }
    }
    out
}

#[test]
fn random_mutations_of_the_seeds_do_not_panic() {
    let seeds = inputs("fuzz/seeds/content");
    let mut rng = Rng(0x5eed_a17a_u64);
    for round in 0..300 {
        let (name, seed) = &seeds[round % seeds.len()];
        let input = mutate(&mut rng, seed);
        let outcome = std::panic::catch_unwind(|| avtal::fuzz::content_file(&input));
        if outcome.is_err() {
            let path = std::env::temp_dir().join(format!("avtal-fuzz-crash-{round}"));
            fs::write(&path, &input).expect("save crashing input");
            panic!(
                "mutation {round} of {name} panicked; input saved to {}",
                path.display()
            );
        }
    }
}
