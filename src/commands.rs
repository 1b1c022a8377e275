//! Commands that read the site and print or write one thing: `diff` and `new-version`.
//! Each returns its output or an error with the exit code it deserves.

use std::io::IsTerminal;
use std::path::Path;

use crate::compare::{self, report};
use crate::content;
use crate::content::meta::IsoDate;
use crate::diagnostics::Diagnostics;
use crate::model::Site;

pub enum Failure {
    /// Content errors (exit 1): print them all.
    Content(Diagnostics),
    /// Usage problems (exit 2): a message and what to do.
    Usage(String),
}

fn load(root: &Path) -> Result<(Site, Diagnostics), Failure> {
    match content::load(root) {
        (Some(site), diagnostics) => Ok((site, diagnostics)),
        (None, diagnostics) => Err(Failure::Content(diagnostics.sorted())),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

pub struct DiffRequest<'a> {
    pub root: &'a Path,
    pub from: &'a str,
    pub to: &'a str,
    pub work: Option<&'a str>,
    pub clause: Option<&'a str>,
    pub format: DiffFormat,
}

pub fn diff(request: &DiffRequest<'_>) -> Result<String, Failure> {
    let (site, _) = load(request.root)?;
    let work = match request.work {
        Some(id) => site.work(id).ok_or_else(|| {
            let known: Vec<&str> = site.works.iter().map(|w| w.id.as_str()).collect();
            Failure::Usage(format!(
                "there is no work `{id}`; works: {}",
                known.join(", ")
            ))
        })?,
        None if site.works.len() == 1 => &site.works[0],
        None => {
            let known: Vec<&str> = site.works.iter().map(|w| w.id.as_str()).collect();
            return Err(Failure::Usage(format!(
                "the site holds several works; choose one with --work ({})",
                known.join(", ")
            )));
        }
    };
    let index = |version: &str| {
        work.versions
            .iter()
            .copied()
            .find(|&i| {
                site.pages[i]
                    .version()
                    .is_some_and(|v| v.version == version)
            })
            .ok_or_else(|| {
                let known: Vec<&str> = work
                    .versions
                    .iter()
                    .filter_map(|&i| site.pages[i].version())
                    .map(|v| v.version.as_str())
                    .collect();
                Failure::Usage(format!(
                    "work `{}` has no version `{version}`; versions: {}",
                    work.id,
                    known.join(", ")
                ))
            })
    };
    let (from, to) = (index(request.from)?, index(request.to)?);
    let (alignment, problems) = compare::align(&site);
    if problems.has_errors() {
        return Err(Failure::Content(problems.sorted()));
    }
    let comparison = alignment.comparison(from, to).ok_or_else(|| {
        Failure::Usage(format!(
            "no comparison from {} to {}: give the older version first, and make sure lineage links them",
            request.from, request.to
        ))
    })?;
    if let Some(clause) = request.clause {
        let exists = [from, to]
            .iter()
            .any(|&p| site.pages[p].body.clause(clause).is_some());
        if !exists {
            return Err(Failure::Usage(format!(
                "neither {} nor {} has a clause `{clause}`",
                request.from, request.to
            )));
        }
    }
    let pairs = report::select(comparison, request.clause);
    Ok(match request.format {
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(
                &crate::render::open_data::comparison_json(&site, comparison, &pairs),
            )
            .unwrap_or_default();
            text.push('\n');
            text
        }
        DiffFormat::Text => {
            report::text(&site, comparison, &pairs, std::io::stdout().is_terminal())
        }
    })
}

pub fn new_version(root: &Path, work: &str, id: &str, from: &str) -> Result<String, Failure> {
    let (site, _) = load(root)?;
    let today = IsoDate::parse(&crate::pipeline::today()).map_err(Failure::Usage)?;
    content::new_version::create(root, &site, work, id, from, today)
        .map(|path| format!("created {}: a copy of version {from} with one-to-one lineage; edit it and run avtal serve to see the comparison", path.display()))
        .map_err(|e| Failure::Usage(e.to_string()))
}
