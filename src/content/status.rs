//! Checks of what the sources say happened to each version (`status_history`; what it
//! means is read in `model::status`): `check` refuses a step without a source and two
//! versions of a work that would both apply on one day.

use std::collections::HashSet;

use crate::content::front_matter;
use crate::content::links;
use crate::diagnostics::Diagnostic;
use crate::model::meta::{IsoDate, StatusStep, VersionMeta};
use crate::model::status::{InForce, in_force};
use crate::model::{Page, Site, Work};

/// Every problem with the status histories of the site's versions.
pub fn check(site: &Site, unloaded: &HashSet<String>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in &site.pages {
        if let Some(meta) = page.version() {
            check_version(site, unloaded, page, meta, &mut problems);
        }
    }
    for work in &site.works {
        overlaps(site, work, &mut problems);
    }
    problems
}

fn check_version(
    site: &Site,
    unloaded: &HashSet<String>,
    page: &Page,
    meta: &VersionMeta,
    problems: &mut Vec<Diagnostic>,
) {
    if let Some(status) = meta.status {
        let problem = Diagnostic::warning(
            &page.source.name,
            format!(
                "`status: {}` is one word with no source, and the site does not show it",
                status.swedish()
            ),
        )
        .with_help(
            "write `status_history:`, a step for each thing a source says happened to the version \
             (förslag, remiss, rekommenderad, föreslagen, antagen, gäller, ersatt, upphävd), each with \
             `source: \"@/path.md#anchor\"` to where it is said, and remove `status:` (see README, \
             \"Status from the sources\")",
        );
        problems.push(super::at_field(page, problem, "status"));
    }
    let mut last_dated: Option<(usize, IsoDate)> = None;
    for (index, step) in meta.status_history.iter().enumerate() {
        if let Some(problem) = source_problem(site, unloaded, page, step) {
            problems.push(at_step(page, index, "source", problem));
        }
        if let Some(date) = step.date {
            if let Some((earlier, earlier_date)) = last_dated
                && date < earlier_date
            {
                let problem = Diagnostic::warning(
                    &page.source.name,
                    format!(
                        "status step {} (`{}`, {date}) is dated before step {} (`{}`, {earlier_date})",
                        index + 1,
                        step.status.keyword(),
                        earlier + 1,
                        meta.status_history[earlier].status.keyword(),
                    ),
                )
                .with_help("list the steps oldest first: the page shows them in the order written");
                problems.push(at_step(page, index, "date", problem));
            }
            last_dated = Some((index, date));
        }
    }
}

/// What is wrong with a step's `source`, if anything: missing, not an `@/` link, or a
/// link to nothing.
fn source_problem(
    site: &Site,
    unloaded: &HashSet<String>,
    page: &Page,
    step: &StatusStep,
) -> Option<Diagnostic> {
    let Some(source) = step.source.as_deref() else {
        return Some(
            Diagnostic::error(
                &page.source.name,
                format!(
                    "status step `{}` has no source: the site states no status a reader cannot follow to a source",
                    step.status.keyword()
                ),
            )
            .with_help(
                "add `source: \"@/dokument/….md#anchor\"`, the document (and where in it) that says so; \
                 if no source says it, leave the step out: the page then says the sources are silent",
            ),
        );
    };
    let Some(target) = source.strip_prefix("@/") else {
        return Some(
            Diagnostic::error(
                &page.source.name,
                format!("`source: {source}` is not a link to a content file"),
            )
            .with_help("write `@/` and the path under content/ of the document that states the step, e.g. `@/dokument/beslut.md#P1`"),
        );
    };
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    links::check_target(site, unloaded, &page.source.name, path, anchor)
}

/// `problem` placed at `field` of step `index` of the page's `status_history` (at the
/// step's first line when the field is not written on a line of its own).
fn at_step(page: &Page, index: usize, field: &str, problem: Diagnostic) -> Diagnostic {
    page.source.place(problem, |problem, source| {
        let Ok(split) = front_matter::split(source) else {
            return problem;
        };
        let line = front_matter::list_lines(split.yaml, &["status_history"])
            .and_then(|lines| front_matter::item_field_line(split.yaml, &lines, index, field))
            .map(|line| split.yaml_line + line)
            .unwrap_or_else(|| front_matter::field_line(source, &split, "status_history"));
        problem.at_line(source, line, 1)
    })
}

/// Two versions of one work that both apply on some day: the site would have to pick
/// one without saying so. Reported at the later one's starting step.
fn overlaps(site: &Site, work: &Work, problems: &mut Vec<Diagnostic>) {
    let spans: Vec<(&Page, &VersionMeta, InForce)> = work
        .versions
        .iter()
        .map(|&i| &site.pages[i])
        .filter_map(|page| {
            let meta = page.version()?;
            Some((page, meta, in_force(meta)?))
        })
        .collect();
    for (n, (page, meta, force)) in spans.iter().enumerate() {
        // A start the source does not date is no earlier than the text itself.
        let start = force.from.unwrap_or(meta.date);
        for (earlier_page, earlier, earlier_force) in &spans[..n] {
            if earlier.version == meta.version {
                continue; // one version defined twice, reported as such
            }
            let earlier_start = earlier_force.from.unwrap_or(earlier.date);
            let earlier_end = earlier_force.until.map(|(_, date)| date);
            let end = force.until.map(|(_, date)| date);
            // An end the source does not date is taken as no end: only an end whose
            // date a source gives can settle that the two did not overlap.
            let earlier_open = earlier_end.flatten().is_none_or(|end| start < end);
            let this_open = end.flatten().is_none_or(|end| earlier_start < end);
            if !(earlier_open && this_open) {
                continue;
            }
            let described = |meta: &VersionMeta, force: &InForce| {
                let step = &meta.status_history[force.from_step];
                match step.date {
                    Some(date) => format!("`{}` {date}", step.status.keyword()),
                    None => format!("`{}` (undated)", step.status.keyword()),
                }
            };
            let problem = Diagnostic::error(
                &page.source.name,
                format!(
                    "versions `{}` ({}, {}) and `{}` ({}, {}) of work `{}` would both be in force from {}",
                    earlier.version,
                    earlier_page.source.name,
                    described(earlier, earlier_force),
                    meta.version,
                    page.source.name,
                    described(meta, force),
                    work.id,
                    start.max(earlier_start),
                ),
            )
            .with_help(format!(
                "add the step that ended version `{}` (`status: ersatt` or `upphävd`, with its date and \
                 the source that says so); if only some parties adopted `{}`, record that in \
                 antaganden.yaml instead of a step `antagen`",
                earlier.version, meta.version
            ));
            problems.push(at_step(page, force.from_step, "status", problem));
        }
    }
}
