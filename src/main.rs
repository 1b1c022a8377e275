//! The `avtal` command line: parses arguments and hands over to the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use avtal::commands::{self, DiffFormat, DiffRequest, Failure};
use avtal::diagnostics::Diagnostics;
use avtal::pipeline;
use avtal::render::RenderOptions;

/// Building allocates many small strings from two threads at once; mimalloc is much
/// cheaper there than the system allocator (README, "Performance").
#[global_allocator]
static ALLOCATOR: avtal::timings::CountingAllocator<mimalloc::MiMalloc> =
    avtal::timings::CountingAllocator(mimalloc::MiMalloc);

/// Exit codes, documented in README.
const CONTENT_ERRORS: u8 = 1;
const USAGE_OR_IO: u8 = 2;

#[derive(Parser)]
#[command(name = "avtal", version, about = "Publishes versioned agreements and their documents as a static website.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from ROOT/content into the output folder.
    Build {
        /// The site's folder: it holds content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public]. Replaced whole on success;
        /// avtal refuses folders it did not create.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Print how long each stage took and the peak memory after it.
        #[arg(long)]
        timings: bool,
    },
    /// Build the site into memory, serve it on http://127.0.0.1:8000/ and rebuild on
    /// every save; open pages reload by themselves and show errors over the page.
    Serve {
        /// The site's folder: it holds content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on [default: 8000, or the next free one]. 0 lets the system choose.
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on. Only loopback by default; give 0.0.0.0 to let other
        /// machines (a phone on the same network) see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Check everything `build` would, write nothing, and list every problem.
    Check {
        /// The site's folder: it holds content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Compare two versions of a work clause by clause (older version first).
    Diff {
        /// The older version's id, e.g. 2009.
        from: String,
        /// The newer version's id, e.g. 2013.
        to: String,
        /// The work, needed only when the site holds more than one.
        #[arg(long)]
        work: Option<String>,
        /// Show only the pairs that involve this clause id (exact match, e.g. P2).
        #[arg(long)]
        clause: Option<String>,
        /// `text` (coloured on a terminal) or `json` (documented in README).
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// The site's folder: it holds content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a small working site into DIR (a new or empty folder): one work in two
    /// versions, a document and a guide for the editor (README.md). Then: avtal serve --root DIR.
    Init {
        /// The folder to create; refused if it holds anything.
        dir: PathBuf,
    },
    /// Start a new version of a work as a copy of an existing one, lineage filled in.
    NewVersion {
        /// The work's id, e.g. overenskommelse.
        work: String,
        /// The new version's id, e.g. 2026.
        id: String,
        /// The version to copy.
        #[arg(long)]
        from: String,
        /// The site's folder: it holds content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            timings,
        } => {
            if timings {
                avtal::timings::start_counting_heap();
            }
            build(root, output, timings)
        }
        Command::Check { root } => check(root),
        Command::Serve { root, port, bind } => serve(root, port, bind),
        Command::Diff {
            from,
            to,
            work,
            clause,
            format,
            root,
        } => {
            if let Err(code) = check_root(&root) {
                return code;
            }
            finish(commands::diff(&DiffRequest {
                root: &root,
                from: &from,
                to: &to,
                work: work.as_deref(),
                clause: clause.as_deref(),
                format,
            }))
        }
        Command::Init { dir } => init(&dir),
        Command::NewVersion {
            work,
            id,
            from,
            root,
        } => {
            if let Err(code) = check_root(&root) {
                return code;
            }
            finish(commands::new_version(&root, &work, &id, &from))
        }
    }
}

fn finish(result: Result<String, Failure>) -> ExitCode {
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(Failure::Content(diagnostics)) => {
            report(&diagnostics);
            failure_code(&diagnostics)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {}", plain(&message));
            ExitCode::from(USAGE_OR_IO)
        }
    }
}

fn options() -> RenderOptions {
    RenderOptions {
        live_reload: None,
        build_date: pipeline::today(),
    }
}

/// Prints errors first, then warnings, each group sorted by file and line, so the
/// things that block the build are never lost among advice.
/// Exit 1 for mistakes in the content; 2 when a file could not be read at all
/// (permissions, disk errors), like every other I/O problem.
fn failure_code(diagnostics: &Diagnostics) -> ExitCode {
    if diagnostics.has_io_errors() {
        ExitCode::from(USAGE_OR_IO)
    } else {
        ExitCode::from(CONTENT_ERRORS)
    }
}

fn report(diagnostics: &Diagnostics) {
    for d in diagnostics.errors().chain(diagnostics.warnings()) {
        eprintln!("{}", d.render());
    }
}

/// A site folder without `content/` is a usage problem (wrong `--root`), not a content error.
fn check_root(root: &Path) -> Result<(), ExitCode> {
    if root.join("content").is_dir() {
        return Ok(());
    }
    eprintln!(
        "error: {} has no content/ folder\n  help: run avtal in the site's folder, or pass --root DIR",
        plain(&root.display())
    );
    Err(ExitCode::from(USAGE_OR_IO))
}

/// A message, path or name for the terminal, its control characters escaped: a path or
/// an id from the content can hold escape sequences.
fn plain(text: &impl std::fmt::Display) -> String {
    avtal::diagnostics::escape_controls(&text.to_string()).into_owned()
}

fn summary(diagnostics: &Diagnostics) -> String {
    let errors = diagnostics.errors().count();
    let warnings = diagnostics.warnings().count();
    format!("{errors} error(s), {warnings} warning(s)")
}

fn build(root: PathBuf, output: Option<PathBuf>, show_timings: bool) -> ExitCode {
    if let Err(code) = check_root(&root) {
        return code;
    }
    let output = output.unwrap_or_else(|| root.join("public"));
    if let Err(err) = avtal::output::check_target(&output, &root) {
        eprintln!("error: {}", plain(&err));
        if let Some(help) = err.help() {
            eprintln!("  help: {}", plain(&help));
        }
        return ExitCode::from(USAGE_OR_IO);
    }
    let started = std::time::Instant::now();
    let fail_output = |err: avtal::output::OutputError| {
        eprintln!("error: {}", plain(&err));
        if let Some(help) = err.help() {
            eprintln!("  help: {}", plain(&help));
        }
        ExitCode::from(USAGE_OR_IO)
    };
    let staging = match avtal::output::Staging::begin(&output, &root) {
        Ok(staging) => staging,
        Err(err) => return fail_output(err),
    };
    match pipeline::build_into(&root, &options(), &staging) {
        Ok(mut built) => {
            report(&built.diagnostics);
            if let Err(err) = staging.commit() {
                return fail_output(err);
            }
            built.timings.end("swap in the new site");
            if show_timings {
                eprint!("{}", built.timings.report());
            }
            eprintln!(
                "built {} pages and {} files into {} in {} ms ({})",
                built.site.pages.len(),
                built.files,
                plain(&output.display()),
                started.elapsed().as_millis(),
                summary(&built.diagnostics)
            );
            ExitCode::SUCCESS
        }
        Err(pipeline::BuildError::Output(err)) => fail_output(err),
        Err(pipeline::BuildError::Content(diagnostics)) => {
            report(&diagnostics);
            eprintln!(
                "build failed: {}; {} was left as it was",
                summary(&diagnostics),
                plain(&output.display())
            );
            failure_code(&diagnostics)
        }
    }
}

fn check(root: PathBuf) -> ExitCode {
    if let Err(code) = check_root(&root) {
        return code;
    }
    match pipeline::build_into(&root, &options(), &avtal::output::Discard) {
        Ok(built) => {
            report(&built.diagnostics);
            eprintln!(
                "checked {} pages: {}",
                built.site.pages.len(),
                summary(&built.diagnostics)
            );
            ExitCode::SUCCESS
        }
        Err(pipeline::BuildError::Output(err)) => {
            eprintln!("error: {}", plain(&err));
            ExitCode::from(USAGE_OR_IO)
        }
        Err(pipeline::BuildError::Content(diagnostics)) => {
            report(&diagnostics);
            eprintln!("check failed: {}", summary(&diagnostics));
            failure_code(&diagnostics)
        }
    }
}

fn init(dir: &Path) -> ExitCode {
    match avtal::init::create(dir) {
        Ok(files) => {
            println!(
                "created {} with {} files: the work `samarbetsavtal` in versions 2024 and 2025, a document and a guide (README.md)",
                dir.display(),
                files.len()
            );
            println!("next: avtal serve --root {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            if let Some(help) = err.help() {
                eprintln!("  help: {help}");
            }
            ExitCode::from(USAGE_OR_IO)
        }
    }
}

fn serve(root: PathBuf, port: Option<u16>, bind: std::net::IpAddr) -> ExitCode {
    match avtal::serve::run(avtal::serve::ServeOptions { root, port, bind }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", plain(&err));
            if let Some(help) = err.help() {
                eprintln!("  help: {}", plain(&help));
            }
            ExitCode::from(USAGE_OR_IO)
        }
    }
}
