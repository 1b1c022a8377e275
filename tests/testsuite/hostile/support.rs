//! Shared helpers for the tests that run the `avtal` binary on a throw-away site.
//!
//! A site is a copy of `tests/hostile/base` (one work with two versions and a document,
//! all valid) plus the repository's themes, in the test's own temporary folder.

#![allow(dead_code)] // each test binary uses part of this module

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BINARY: &str = env!("CARGO_BIN_EXE_avtal");

/// Longest a single run may take: a hang (YAML alias bomb, deep nesting) fails the test.
const TIME_LIMIT: Duration = Duration::from_secs(120);

pub struct TestSite {
    pub root: PathBuf,
}

impl TestSite {
    /// A fresh copy of the base site under a folder named after the test.
    pub fn new(name: &str) -> TestSite {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("sites")
            .join(name);
        if root.exists() {
            fs::remove_dir_all(&root).expect("remove old test site");
        }
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&manifest.join("tests/hostile/base"), &root);
        copy_dir(&manifest.join("themes"), &root.join("themes"));
        TestSite { root }
    }

    /// Like `new`, but in the system's temporary folder with every file readable and
    /// writable by all, so that the binary can also be run as an unprivileged user.
    pub fn new_open_to_all(name: &str) -> TestSite {
        let root = std::env::temp_dir().join(format!("avtal-test-{name}-{}", std::process::id()));
        if root.exists() {
            fs::remove_dir_all(&root).expect("remove old test site");
        }
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&manifest.join("tests/hostile/base"), &root);
        copy_dir(&manifest.join("themes"), &root.join("themes"));
        let status = Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(&root)
            .status()
            .expect("run chmod");
        assert!(status.success());
        TestSite { root }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::write(path, bytes).expect("write test file");
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read test file")
    }

    /// Replaces `from` with `to` in a file of the site, failing if `from` is not there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, text.replacen(from, to, 1));
    }

    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).expect("remove test file");
    }

    pub fn check(&self) -> Outcome {
        self.run(&["check"])
    }

    pub fn build(&self) -> Outcome {
        self.run(&["build"])
    }

    /// Runs `avtal ARGS --root ROOT` and collects what it reported.
    pub fn run(&self, args: &[&str]) -> Outcome {
        let mut command = Command::new(BINARY);
        command.args(args).arg("--root").arg(&self.root);
        run_command(command)
    }
}

pub fn run_command(mut command: Command) -> Outcome {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start avtal");
    // Read output on threads so a chatty child cannot block on a full pipe.
    let mut stderr = child.stderr.take().expect("stderr");
    let mut stdout = child.stdout.take().expect("stdout");
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for avtal") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("avtal ran longer than {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = err_reader.join().expect("stderr reader");
    let stdout = out_reader.join().expect("stdout reader");
    let outcome = Outcome {
        code: status.code(),
        problems: parse_report(&stderr),
        stderr,
        stdout,
        elapsed: started.elapsed(),
    };
    assert!(
        !outcome.stderr.contains("panicked") && outcome.code != Some(101),
        "avtal panicked:\n{}",
        outcome.stderr
    );
    assert!(outcome.code.is_some(), "avtal was killed by a signal");
    outcome
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// One problem as printed: severity, message, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: String,
    pub message: String,
    pub file: String,
    /// `None` when the problem concerns the whole file.
    pub line: Option<usize>,
    /// The rest of the block: the quoted line and the help.
    pub detail: String,
}

#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stderr: String,
    pub stdout: String,
    pub problems: Vec<Problem>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn errors(&self) -> Vec<&Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == "error")
            .collect()
    }

    pub fn warnings(&self) -> Vec<&Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == "warning")
            .collect()
    }

    /// The run failed with content errors (exit 1), exactly these: (file, line, part of
    /// the message). Each must appear once, and no other error.
    #[track_caller]
    pub fn assert_errors(&self, expected: &[(&str, Option<usize>, &str)]) {
        assert_eq!(self.code, Some(1), "exit code, stderr:\n{}", self.stderr);
        let errors = self.errors();
        assert_eq!(
            errors.len(),
            expected.len(),
            "number of errors, stderr:\n{}",
            self.stderr
        );
        for (file, line, message) in expected {
            assert!(
                errors
                    .iter()
                    .any(|p| p.file == *file && p.line == *line && p.message.contains(message)),
                "no error {file}:{line:?} containing {message:?}; stderr:\n{}",
                self.stderr
            );
        }
    }

    /// The one error of the run (exit 1).
    #[track_caller]
    pub fn assert_error(&self, file: &str, line: Option<usize>, message: &str) -> &Problem {
        self.assert_errors(&[(file, line, message)]);
        self.errors()[0]
    }

    #[track_caller]
    pub fn assert_clean(&self) {
        assert_eq!(self.code, Some(0), "exit code, stderr:\n{}", self.stderr);
        assert!(self.errors().is_empty(), "{}", self.stderr);
    }
}

/// Reads codespan-reporting's output back into problems:
/// `error: MESSAGE` then `┌─ FILE:LINE:COL` (or `= in FILE` for a whole file).
pub fn parse_report(stderr: &str) -> Vec<Problem> {
    let mut problems: Vec<Problem> = Vec::new();
    for line in stderr.lines() {
        let header = ["error", "warning"].iter().find_map(|severity| {
            line.strip_prefix(severity)
                .and_then(|rest| rest.strip_prefix(": "))
                .map(|message| (severity.to_string(), message.to_string()))
        });
        if let Some((severity, message)) = header {
            problems.push(Problem {
                severity,
                message,
                file: String::new(),
                line: None,
                detail: String::new(),
            });
            continue;
        }
        let Some(current) = problems.last_mut() else {
            continue;
        };
        let trimmed = line.trim_start();
        if let Some(location) = trimmed.strip_prefix("┌─ ")
            && current.file.is_empty()
        {
            let mut parts = location.rsplitn(3, ':');
            let _column = parts.next();
            current.line = parts.next().and_then(|l| l.parse().ok());
            current.file = parts.next().unwrap_or_default().to_string();
        } else if let Some(location) = trimmed.strip_prefix("= in ")
            && current.file.is_empty()
        {
            // `FILE`, `FILE:LINE` or `FILE:LINE:COLUMN`
            let parts: Vec<&str> = location.split(':').collect();
            let numbers = parts
                .iter()
                .rev()
                .take_while(|p| p.parse::<usize>().is_ok())
                .count();
            current.file = parts[..parts.len() - numbers].join(":");
            current.line = (numbers > 0)
                .then(|| parts[parts.len() - numbers].parse().ok())
                .flatten();
        } else {
            current.detail.push_str(line);
            current.detail.push('\n');
        }
    }
    problems
}

/// Every file under `dir`, relative, with its bytes, for comparing whole output folders.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).expect("read output folder") {
        let entry = entry.expect("entry");
        let path = entry.path();
        if entry.file_type().expect("type").is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            files.push((relative, fs::read(&path).expect("read output file")));
        }
    }
}
