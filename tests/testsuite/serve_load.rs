//! Load check on loopback: hundreds of concurrent connections while the site is
//! rebuilt again and again; not one request may fail or come back incomplete.

use crate::serve_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serve_support::{Server, get, site_copy};

const CLIENTS: usize = 300;
const RUN_FOR: Duration = Duration::from_secs(3);

#[test]
fn no_request_fails_under_concurrent_load_during_rebuilds() {
    let site = site_copy();
    let server = Server::start(site.path(), &[]);
    let address = server.address;
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let targets = [
        "",
        "overenskommelse/2013/",
        "overenskommelse/2009/",
        "static/style.css",
        "tidslinje/",
        "finns-inte/",
    ]
    .map(|page| server.target(page));

    let editor = {
        let stop = stop.clone();
        let file = site.path().join("content/overenskommelse/2009.md");
        std::thread::spawn(move || {
            let original = std::fs::read_to_string(&file).expect("read");
            let mut saves = 0;
            while !stop.load(Ordering::Relaxed) {
                saves += 1;
                std::fs::write(&file, format!("{original}\nSparning {saves}.\n")).expect("write");
                std::thread::sleep(Duration::from_millis(150));
            }
            saves
        })
    };
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (stop, ok, failures) = (stop.clone(), ok.clone(), failures.clone());
            let targets = targets.clone();
            std::thread::spawn(move || {
                let mut i = n;
                while !stop.load(Ordering::Relaxed) {
                    let target = &targets[i % targets.len()];
                    i += 1;
                    let expected = if target.ends_with("finns-inte/") {
                        404
                    } else {
                        200
                    };
                    match get(address, target) {
                        Ok(r) if r.status == expected && !r.body.is_empty() => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(r) => failures
                            .lock()
                            .unwrap()
                            .push(format!("{target}: {}", r.status)),
                        Err(e) => failures.lock().unwrap().push(format!("{target}: {e}")),
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(RUN_FOR);
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().expect("client");
    }
    let saves = editor.join().expect("editor");
    let failures = failures.lock().unwrap();
    let done = ok.load(Ordering::Relaxed);
    eprintln!(
        "{done} requests from {CLIENTS} concurrent clients in {} ms during {saves} saves; {} failed",
        started.elapsed().as_millis(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "failed requests: {:?}",
        &failures[..failures.len().min(10)]
    );
    assert!(done > CLIENTS, "every client got answers");
    // Each save is answered by a quick render of the saved page, then a full rebuild
    // that gives way to newer saves (for at most two seconds).
    let rebuilds = server.stderr().matches("rebuilt in").count()
        + server.stderr().matches("page(s) rendered in").count();
    assert!(
        rebuilds >= 2,
        "rebuilds happened during the load: {}",
        server.stderr()
    );
    // Once the saving stops, a full rebuild brings every page to the final state.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server.stderr().contains("rebuilt in") {
        assert!(
            Instant::now() < deadline,
            "no full rebuild after the saves: {}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
