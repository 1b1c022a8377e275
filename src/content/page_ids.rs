//! Ids that a page has before any clause is put on it: those the default theme's
//! templates write around the clauses. A clause, stycke or
//! item with one of these ids would make two elements of the page share it, and a link
//! to it (the skip link to `#innehall`, the table of contents) would lead to whichever
//! the browser finds first.

use std::collections::{HashMap, HashSet};

use crate::content::body::is_valid_id;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::PageKind;
use crate::model::body::Body;

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
        id: "status-rubrik",
        template: "version.html",
        what: "the heading of the version's status history",
    },
    PageId {
        id: "vad-andrades",
        template: "version.html",
        what: "the heading of \"Vad ändrades?\", what changed since the version before",
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
        .find(|page_id| page_id.id == id && on(page_id, template))
        .map(|page_id| page_id.what)
}

/// Whether `page_id` is on the pages made from `template`.
fn on(page_id: &PageId, template: &str) -> bool {
    page_id.template == "base.html" || page_id.template == template
}

/// Clause, stycke, item and sub-heading ids of `body` that repeat an id the page already
/// has, or that another clause's heading has (`a-rubrik` beside a clause `a`).
pub fn check(source: &SourceText, body: &Body, kind: &PageKind) -> Vec<Diagnostic> {
    let template = template_of(kind);
    // Only needed when some clause id looks like a heading's.
    let clause_ids: HashSet<&str> = if body.clauses.iter().any(|c| c.id.ends_with(HEADING_SUFFIX)) {
        body.clauses.iter().map(|c| c.id.as_str()).collect()
    } else {
        HashSet::new()
    };
    let mut problems = Vec::new();
    for clause in &body.clauses {
        let inner = clause.stycken.iter().flat_map(|stycke| {
            std::iter::once(stycke.id.as_str()).chain(stycke.items.iter().map(|i| i.id.as_str()))
        });
        let clash = std::iter::once(clause.id.as_str())
            .chain(inner)
            .find_map(|id| page_use(template, id).map(|what| (id.to_string(), what.to_string())))
            .or_else(|| {
                // The clause's heading gets `{id}-rubrik`.
                PAGE_IDS
                    .iter()
                    .filter(|page_id| on(page_id, template))
                    .find(|page_id| page_id.id.strip_suffix(HEADING_SUFFIX) == Some(&clause.id))
                    .map(|page_id| (page_id.id.to_string(), page_id.what.to_string()))
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
    check_sub_headings(source, body, template, &mut problems);
    problems
}

/// Sub-heading ids (`### Rubrik {#id}`): each a valid id, used once, and none that the
/// page, a clause, a clause's heading, a stycke or an item already has.
fn check_sub_headings(
    source: &SourceText,
    body: &Body,
    template: &str,
    problems: &mut Vec<Diagnostic>,
) {
    if body.sub_heading_ids.is_empty() {
        return;
    }
    let mut taken: HashMap<String, String> = HashMap::new();
    for clause in &body.clauses {
        taken.insert(clause.id.clone(), format!("clause `{}`", clause.id));
        taken.insert(
            format!("{}{HEADING_SUFFIX}", clause.id),
            format!("the heading of clause `{}`", clause.id),
        );
        for stycke in &clause.stycken {
            let inner = std::iter::once(&stycke.id).chain(stycke.items.iter().map(|i| &i.id));
            for id in inner {
                taken.insert(
                    id.clone(),
                    format!("a stycke or item of clause `{}`", clause.id),
                );
            }
        }
    }
    for (id, line) in &body.sub_heading_ids {
        let problem = if !is_valid_id(id) {
            format!("`{id}` cannot be used as an id")
        } else if let Some(what) = page_use(template, id) {
            format!("sub-heading id `{id}` is already an id of the page: {what}")
        } else if let Some(what) = taken.get(id) {
            format!("sub-heading id `{id}` is already the id of {what}")
        } else {
            taken.insert(id.clone(), format!("the sub-heading at line {line}"));
            continue;
        };
        problems.push(
            Diagnostic::error(&source.name, problem)
                .at_line(source, (*line).max(1), 1)
                .with_help(
                    "give the sub-heading another id (letters, digits, `-` and `_`), or none",
                ),
        );
    }
}
