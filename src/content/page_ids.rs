//! Ids that a page has before any clause is put on it: those the default theme's
//! templates write around the clauses. A clause, stycke or
//! item with one of these ids would make two elements of the page share it, and a link
//! to it (the skip link to `#innehall`, the table of contents) would lead to whichever
//! the browser finds first.

use std::collections::HashSet;

use crate::content::body::Body;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::PageKind;

/// A fixed id of the pages made from one template.
#[derive(Debug, Clone, Copy)]
pub struct PageId {
    pub id: &'static str,
    /// The template that writes it: `base.html` (every page) or one of
    /// [`CLAUSE_TEMPLATES`].
    pub template: &'static str,
    /// What it marks, for the message.
    pub what: &'static str,
}

/// The templates of the pages that show clauses, by kind of page: version, document,
/// plain page. Each extends `base.html`. (Other pages show no clause ids, or, on a
/// clause's history, only ones with a version prefix.)
pub const CLAUSE_TEMPLATES: [&str; 3] = ["version.html", "document.html", "page.html"];

/// Every fixed id of the pages that show clauses, in the default theme. A test reads
/// the templates and fails when one of them writes an id that is not here.
pub const PAGE_IDS: &[PageId] = &[
    PageId {
        id: "innehall",
        template: "base.html",
        what: "the page's main content, where the skip link leads",
    },
    PageId {
        id: "toc-rubrik",
        template: "version.html",
        what: "the heading of the version's table of contents",
    },
    PageId {
        id: "underskrifter",
        template: "document.html",
        what: "the heading of the document's signatories",
    },
];

/// The templates give a clause's heading the clause's id followed by this
/// (`{{ c.id }}-rubrik`), so a clause `toc` would give its heading `toc-rubrik`.
pub const HEADING_SUFFIX: &str = "-rubrik";

/// The template of a page of this kind.
pub fn template_of(kind: &PageKind) -> &'static str {
    match kind {
        PageKind::Version(_) => CLAUSE_TEMPLATES[0],
        PageKind::Document(_) => CLAUSE_TEMPLATES[1],
        PageKind::Plain(_) => CLAUSE_TEMPLATES[2],
    }
}

/// What a page made from `template` already uses `id` for, if it does.
pub fn page_use(template: &str, id: &str) -> Option<&'static str> {
    PAGE_IDS
        .iter()
        .find(|page_id| {
            page_id.id == id && (page_id.template == "base.html" || page_id.template == template)
        })
        .map(|page_id| page_id.what)
}

/// Clause, stycke and item ids of `body` that repeat an id the page already has, or
/// that another clause's heading has (`a-rubrik` beside a clause `a`).
pub fn check(source: &SourceText, body: &Body, kind: &PageKind) -> Vec<Diagnostic> {
    let template = template_of(kind);
    let clause_ids: HashSet<&str> = body.clauses.iter().map(|c| c.id.as_str()).collect();
    let mut problems = Vec::new();
    for clause in &body.clauses {
        let inner = clause.stycken.iter().flat_map(|stycke| {
            std::iter::once(stycke.id.as_str()).chain(stycke.items.iter().map(|i| i.id.as_str()))
        });
        let clash = std::iter::once(clause.id.as_str())
            .chain(inner)
            .find_map(|id| page_use(template, id).map(|what| (id.to_string(), what.to_string())))
            .or_else(|| {
                let heading = format!("{}{HEADING_SUFFIX}", clause.id);
                page_use(template, &heading).map(|what| (heading, what.to_string()))
            })
            .or_else(|| {
                let owner = clause.id.strip_suffix(HEADING_SUFFIX)?;
                clause_ids.contains(owner).then(|| {
                    (
                        clause.id.clone(),
                        format!("the heading of clause `{owner}`"),
                    )
                })
            });
        let Some((id, what)) = clash else { continue };
        let message = if id == clause.id {
            format!("clause id `{id}` is already an id of the page: {what}")
        } else {
            format!(
                "clause `{}` would give the page the id `{id}` twice: it is already {what}",
                clause.id
            )
        };
        problems.push(
            Diagnostic::error(&source.name, message)
                .at_line(source, clause.line.max(1), 1)
                .with_help(format!(
                    "give the heading another id, e.g. `## Rubrik {{#{}-1}}`",
                    clause.id
                )),
        );
    }
    problems
}
