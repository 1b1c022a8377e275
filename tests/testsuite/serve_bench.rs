//! Benchmark, not a test (ignored by default): save-to-reload latency of `avtal serve`
//! on the real content and on a synthetic corpus of 10,000 documents.
//!
//!     cargo test --release --test serve_bench -- --ignored --nocapture
//!
//! Two numbers per change: the rebuild alone (in-process, `Session::rebuild`), and the
//! whole path a user waits for (file written → watcher → debounce → rebuild → the
//! `reload` event read from the server's event stream).

use crate::serve_support;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use avtal::cancel::Cancel;
use avtal::serve::incremental::Session;
use serve_support::{Events, Server, site_copy};

const DOCUMENTS: usize = 10_000;

fn synthetic_document(n: usize) -> String {
    let link = if n.is_multiple_of(10) {
        " Se [punkt 2](@/overenskommelse/2013.md#P2)."
    } else {
        ""
    };
    format!(
        "---\nkind: document\ntype: remissvar\ntitle: \"Remissvar nummer {n}\"\norganisation: \"Kommun {m}\"\ndate: 2013-{month:02}-{day:02}\nconcerns: [\"overenskommelse/2013\"]\nsummary: \"Syntetiskt remissvar {n} för mätning.\"\nsource:\n  file: syntetisk-{n}.txt\n  body: \"Kommun {m}\"\n  identifiers: []\n  editorial: \"Genererad text.\"\n---\n\n## Sammanfattning\n\nKommunen har tagit del av förslaget till överenskommelse och lämnar följande synpunkter.{link}\n\nSamverkan mellan kommunerna i länet bör stärkas när det gäller mottagande av nyanlända, och ansvaret för uppföljning bör tydliggöras.\n\n## Synpunkter\n\n1. Målgruppen bör omfatta alla nyanlända.\n2. Uppföljningen bör ske årligen.\n3. Kostnaderna bör fördelas efter befolkning.\n",
        m = n % 26,
        month = n % 12 + 1,
        day = n % 28 + 1,
    )
}

fn write_corpus(root: &Path) {
    let folder = root.join("content/dokument/syntetisk");
    std::fs::create_dir_all(&folder).expect("folder");
    for n in 0..DOCUMENTS {
        std::fs::write(folder.join(format!("d{n:05}.md")), synthetic_document(n)).expect("write");
    }
}

/// Saves a change that shows on the page: a sentence added to a content file, or an
/// attribute on `<main>` in a template (a template comment would change no output).
fn edit(path: &Path, n: usize) {
    let old = std::fs::read_to_string(path).expect("read");
    let new = if path.extension().is_some_and(|e| e == "html") {
        old.replacen("<main", &format!("<main data-bench=\"{n}\""), 1)
    } else {
        format!("{old}\nMätning nummer {n}.\n")
    };
    std::fs::write(path, new).expect("write");
}

/// The changes measured, each as (label, file under the site).
fn changes(synthetic: bool) -> Vec<(&'static str, String)> {
    let mut list = vec![
        (
            "one document",
            "content/dokument/ekero-beslut-2013.md".to_string(),
        ),
        (
            "the version in force",
            "content/overenskommelse/2013.md".to_string(),
        ),
        (
            "the base template",
            "themes/default/templates/base.html".to_string(),
        ),
    ];
    if synthetic {
        list.insert(
            1,
            (
                "one synthetic document",
                "content/dokument/syntetisk/d04711.md".to_string(),
            ),
        );
    }
    list
}

fn measure(label: &str, root: &Path, synthetic: bool) {
    eprintln!("\n== {label}");
    let mut session = Session::new(root, avtal::serve::render_options());
    let started = Instant::now();
    let first = session
        .rebuild(&HashSet::new(), &Cancel::never())
        .expect("the site builds");
    eprintln!(
        "first build: {} pages in {} ms",
        first.stats.pages_total,
        started.elapsed().as_millis()
    );
    for (what, relative) in changes(synthetic) {
        let path = root.join(&relative);
        edit(&path, 0);
        let touched: HashSet<_> = [path.clone()].into();
        let rebuilt = session
            .rebuild(&touched, &Cancel::never())
            .expect("rebuilds");
        eprintln!(
            "rebuild after a change to {what}: {} ms ({} file(s) read, {} of {} pages rendered)",
            rebuilt.stats.millis,
            rebuilt.stats.files_parsed,
            rebuilt.stats.pages_rendered,
            rebuilt.stats.pages_total
        );
        let steps: Vec<String> = rebuilt
            .steps
            .iter()
            .map(|(step, ms)| format!("{step} {ms}"))
            .collect();
        eprintln!("    ms per step: {}", steps.join(", "));
    }

    let server = Server::start(root, &[]);
    let mut events = Events::open(server.address, None);
    for (what, relative) in changes(synthetic) {
        let path = root.join(&relative);
        let mut samples = Vec::new();
        for n in 1..=5 {
            std::thread::sleep(Duration::from_millis(200));
            let _ = events.pending(Duration::from_millis(10));
            let saved = Instant::now();
            edit(&path, n);
            events
                .wait_for("reload", Duration::from_secs(60))
                .expect("reload event");
            samples.push(saved.elapsed().as_millis());
        }
        samples.sort_unstable();
        eprintln!(
            "save → reload event, change to {what}: median {} ms (min {}, max {}) over {} saves",
            samples[samples.len() / 2],
            samples[0],
            samples[samples.len() - 1],
            samples.len()
        );
    }
}

#[test]
#[ignore = "benchmark; run with --ignored --nocapture, preferably --release"]
fn save_to_reload_latency() {
    let real = site_copy();
    measure("real content", real.path(), false);
    let synthetic = site_copy();
    write_corpus(synthetic.path());
    measure(
        &format!("real content + {DOCUMENTS} synthetic documents"),
        synthetic.path(),
        true,
    );
}
