//! The one pipeline `build`, `check` and `serve` share: load → [`prepare`] (theme,
//! alignment, stop on errors) → [`render`] through the render engine into a sink.

use std::path::Path;

use crate::compare::{self, Alignment};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{Collected, OutputError, OutputFile, Sink};
use crate::render::theme::{self, Theme};
use crate::render::{Engine, RenderCache, RenderError, RenderOptions, Rendered};
use crate::timings::Timings;

/// Everything a successful run into memory produced, warnings included.
pub struct Built {
    pub site: Site,
    pub alignment: Alignment,
    pub files: Vec<OutputFile>,
    pub diagnostics: Diagnostics,
}

/// What a successful run into a [`Sink`] produced, warnings included.
pub struct Written {
    pub site: Site,
    pub alignment: Alignment,
    /// How many files were put into the sink.
    pub files: usize,
    pub diagnostics: Diagnostics,
    pub timings: Timings,
}

/// Why a build stopped: problems in the content or templates, or the output could not
/// be written.
pub enum BuildError {
    Content(Diagnostics),
    Output(OutputError),
}

/// A loaded site, aligned, with its theme: everything rendering needs.
pub struct Prepared {
    pub site: Site,
    pub alignment: Alignment,
    pub theme: Theme,
    /// Warnings so far (there are no errors in a `Prepared`).
    pub diagnostics: Diagnostics,
}

/// Loads, aligns and renders the site under `root`, putting every file into `sink` as
/// it is rendered. On failure, returns every problem found (errors and warnings).
pub fn build_into(
    root: &Path,
    options: &RenderOptions,
    sink: &dyn Sink,
) -> Result<Written, BuildError> {
    let mut timings = Timings::default();
    let loaded = content::load_all(root);
    timings.end("load content");
    let prepared = prepare(root, loaded).map_err(BuildError::Content)?;
    timings.end("theme, align versions");
    let rendered = render(&prepared, options, sink, None);
    timings.end("render and write files");
    let Prepared {
        site,
        alignment,
        mut diagnostics,
        ..
    } = prepared;
    match rendered {
        Ok(rendered) => Ok(Written {
            site,
            alignment,
            files: rendered.files,
            diagnostics: diagnostics.sorted(),
            timings,
        }),
        Err(RenderError::Problems(problems)) => {
            diagnostics.extend(problems);
            Err(BuildError::Content(diagnostics.sorted()))
        }
        Err(RenderError::Output(err)) => Err(BuildError::Output(err)),
        // Nothing gives a build a reason to stop (only `serve`'s rebuilds give way);
        // should something ever, the build fails rather than publish part of a site.
        Err(RenderError::Cancelled) => {
            diagnostics.push(Diagnostic::error(
                "public",
                "the build was stopped before every file was written",
            ));
            Err(BuildError::Content(diagnostics.sorted()))
        }
    }
}

/// Renders a prepared site into `sink` through the render engine: every page and every
/// other file. With `cache` (`serve`), pages whose inputs did not change since the last
/// render are taken from it.
pub fn render(
    prepared: &Prepared,
    options: &RenderOptions,
    sink: &dyn Sink,
    cache: Option<&mut RenderCache>,
) -> Result<Rendered, RenderError> {
    Engine::new(
        &prepared.site,
        &prepared.alignment,
        &prepared.theme,
        options,
    )
    .render_site(sink, cache)
}

/// [`build_into`] memory: the site's files, for tests and tools.
pub fn build(root: &Path, options: &RenderOptions) -> Result<Built, Diagnostics> {
    let collected = Collected::default();
    match build_into(root, options, &collected) {
        Ok(written) => Ok(Built {
            site: written.site,
            alignment: written.alignment,
            files: collected.into_files(),
            diagnostics: written.diagnostics,
        }),
        Err(BuildError::Content(diagnostics)) => Err(diagnostics),
        // Memory takes every file; kept as a value should a sink ever refuse one.
        Err(BuildError::Output(err)) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(crate::diagnostics::Diagnostic::error(
                "public",
                err.to_string(),
            ));
            Err(diagnostics)
        }
    }
}

/// The steps between loading and rendering, shared by `build`, `check` and `serve`:
/// load the theme, align the versions, and stop on any error found so far.
pub fn prepare(root: &Path, loaded: content::Loaded) -> Result<Prepared, Diagnostics> {
    let (site, mut diagnostics) = (loaded.site, loaded.diagnostics);
    // Templates are checked even when content has errors, so `check` reports both.
    let theme_name = site
        .as_ref()
        .map_or(theme::DEFAULT_THEME.to_string(), |s| s.config.theme.clone());
    let theme = match theme::load(root, &theme_name) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let Some(site) = site else {
        return Err(diagnostics.sorted());
    };
    // Lineage is checked across versions: only when every file loaded, or a version
    // that failed to load would be reported missing a second time.
    if !loaded.every_file_loaded {
        return Err(diagnostics.sorted());
    }
    let (alignment, align_problems) = compare::align(&site);
    diagnostics.extend(align_problems.items);
    let Some(theme) = theme else {
        return Err(diagnostics.sorted());
    };
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    Ok(Prepared {
        site,
        alignment,
        theme,
        diagnostics,
    })
}

/// Today's date, ISO, in UTC; pages say when they were built.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (year, month, day) = crate::dates::civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}
