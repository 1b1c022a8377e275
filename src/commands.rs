//! Commands that read the site and print or write one thing: `diff` and `new-version`.
//! Each returns its output or an error with the exit code it deserves.

use std::io::IsTerminal;
use std::path::Path;

use crate::compare::{self, report};
use crate::content;
use crate::diagnostics::Diagnostics;
use crate::model::Site;
use crate::model::meta::IsoDate;

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
    let position = |page: usize| work.versions.iter().position(|&i| i == page);
    let name = |page: usize| {
        site.pages[page]
            .version()
            .map_or(String::new(), |v| v.version.clone())
    };
    if from == to {
        let other = position(from).and_then(|p| {
            let earlier = p.checked_sub(1).and_then(|e| work.versions.get(e));
            match earlier {
                Some(&e) => Some(format!("avtal diff {} {}", name(e), request.from)),
                None => work
                    .versions
                    .get(p + 1)
                    .map(|&l| format!("avtal diff {} {}", request.from, name(l))),
            }
        });
        return Err(Failure::Usage(format!(
            "{0} and {0} are the same version: there is nothing to compare{1}",
            request.from,
            other.map_or(String::new(), |o| format!(
                "\n  help: compare it with another version, e.g. `{o}`"
            ))
        )));
    }
    if position(from) > position(to) {
        return Err(Failure::Usage(format!(
            "version {} is newer than {}: give the older version first\n  help: `avtal diff {} {}`",
            request.from, request.to, request.to, request.from
        )));
    }
    let (alignment, problems) = compare::align(&site);
    if problems.has_errors() {
        return Err(Failure::Content(problems.sorted()));
    }
    let comparison = alignment
        .comparison(from, to)
        .ok_or_else(|| Failure::Usage(not_linked(&site, &alignment, work, from, to)))?;
    if let Some(clause) = request.clause {
        let exists = [from, to]
            .iter()
            .any(|&p| site.pages[p].body.clause(clause).is_some());
        if !exists {
            return Err(Failure::Usage(unknown_clause(
                &site,
                (from, to),
                (request.from, request.to),
                clause,
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

/// Why two versions, the older first, have no comparison: a lineage on the way from the
/// newer back to the older jumps over the older one, or a version on the way has no
/// lineage (its declaration has errors).
fn not_linked(
    site: &Site,
    alignment: &compare::Alignment,
    work: &crate::model::Work,
    from: usize,
    to: usize,
) -> String {
    let name = |page: usize| {
        site.pages[page]
            .version()
            .map_or(String::new(), |v| v.version.clone())
    };
    let position = |page: usize| work.versions.iter().position(|&i| i == page);
    let mut current = to;
    while current != from {
        let Some(step) = alignment.steps.iter().find(|s| s.to_page == current) else {
            return format!(
                "no comparison from {} to {}: version {} has no lineage from an earlier version\n  help: run `avtal check` and fix the lineage of version {}",
                name(from),
                name(to),
                name(current),
                name(current)
            );
        };
        if position(step.from_page) < position(from) {
            return format!(
                "no comparison from {} to {}: the lineage of version {} goes from {}, past {}, so no chain of lineage leads from {} to {}\n  help: compare `avtal diff {} {}`, or declare the lineage of {} from the version just before it",
                name(from),
                name(to),
                name(current),
                name(step.from_page),
                name(from),
                name(from),
                name(to),
                name(step.from_page),
                name(to),
                name(current)
            );
        }
        current = step.from_page;
    }
    format!("no comparison from {} to {}", name(from), name(to))
}

/// An unknown `--clause`: the clause ids of both versions, and the nearest one if an id
/// differs only a little (`p5`, `P51`).
fn unknown_clause(
    site: &Site,
    (from, to): (usize, usize),
    (from_name, to_name): (&str, &str),
    clause: &str,
) -> String {
    let ids = |page: usize| -> Vec<&str> {
        site.pages[page]
            .body
            .clauses
            .iter()
            .map(|c| c.id.as_str())
            .collect()
    };
    let (old_ids, new_ids) = (ids(from), ids(to));
    let wanted = clause.to_lowercase();
    let distances: Vec<(usize, &str)> = old_ids
        .iter()
        .chain(&new_ids)
        .map(|id| (edit_distance(&wanted, &id.to_lowercase()), *id))
        .filter(|&(d, _)| d <= 2)
        .collect();
    let best = distances.iter().map(|&(d, _)| d).min();
    let mut nearest: Vec<String> = Vec::new();
    for &(d, id) in &distances {
        let quoted = format!("`{id}`");
        if Some(d) == best && !nearest.contains(&quoted) {
            nearest.push(quoted);
        }
    }
    let mut message = format!("neither {from_name} nor {to_name} has a clause `{clause}`");
    if !nearest.is_empty() {
        message.push_str(&format!("\n  help: did you mean {}?", nearest.join(" or ")));
    }
    message.push_str(&format!(
        "\n  clauses of {from_name}: {}\n  clauses of {to_name}: {}",
        old_ids.join(", "),
        new_ids.join(", ")
    ));
    message
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

pub fn new_version(root: &Path, work: &str, id: &str, from: &str) -> Result<String, Failure> {
    let (site, _) = load(root)?;
    let today = IsoDate::parse(&crate::pipeline::today()).map_err(Failure::Usage)?;
    content::new_version::create(root, &site, work, id, from, today)
        .map(|path| format!("created {}: a copy of version {from} with one-to-one lineage; edit it and run avtal serve to see the comparison", path.display()))
        .map_err(|e| Failure::Usage(e.to_string()))
}
