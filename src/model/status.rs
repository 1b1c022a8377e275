//! What the sources say happened to each version (`status_history`), and the one
//! answer the site gives to "which version applies": the latest version a source says
//! was adopted (or applies from a date), and that no source says was replaced or
//! repealed. Nothing else makes a version apply: no word an editor chose, no date of
//! a text. `content::status` checks the histories this reads.

use super::meta::{IsoDate, StepKind, VersionMeta};
use super::{Page, Site, Work};

/// When a version applied by its history: from its first step that starts force to
/// the first later step that ends it. `None` where it never applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// The date of the step that started it; `None` where the source gives none.
    pub from: Option<IsoDate>,
    /// Index of that step in `status_history`.
    pub from_step: usize,
    /// The step that ended it, if any: (its index, its date).
    pub until: Option<(usize, Option<IsoDate>)>,
}

/// The version's time in force, if the sources give it one.
pub fn in_force(meta: &VersionMeta) -> Option<InForce> {
    let (from_step, start) = meta
        .status_history
        .iter()
        .enumerate()
        .find(|(_, step)| step.status.starts_force())?;
    let until = meta
        .status_history
        .iter()
        .enumerate()
        .skip(from_step + 1)
        .find(|(_, step)| step.status.ends_force())
        .map(|(index, step)| (index, step.date));
    Some(InForce {
        from: start.date,
        from_step,
        until,
    })
}

/// What is known about one work's versions: which one applies, by the sources, and
/// how each other version stands to it. The one place the site decides this; pages,
/// the banner and search ranking all ask here (through [`Site::standing`] or
/// [`Site::in_force`]).
#[derive(Debug, Clone)]
pub struct Standing<'a> {
    /// The version that applies: the latest one in work order that a source says was
    /// adopted (or applies from a date) and that no source says ended. `None` when the
    /// sources say of no version that it applies.
    pub in_force: Option<&'a Page>,
    /// The versions after it (or every version, when none applies) that no source
    /// says were adopted: proposals whose fate the sources do not tell.
    pub later: Vec<&'a Page>,
}

/// The standing of `work`'s versions in `site`.
pub fn standing<'a>(site: &'a Site, work: &Work) -> Standing<'a> {
    let versions: Vec<&Page> = work.versions.iter().map(|&i| &site.pages[i]).collect();
    let applies = |page: &&Page| {
        page.version()
            .and_then(in_force)
            .is_some_and(|force| force.until.is_none())
    };
    let position = versions.iter().rposition(applies);
    let in_force = position.map(|p| versions[p]);
    let after = position.map_or(0, |p| p + 1);
    let later = versions[after..]
        .iter()
        .copied()
        .filter(|page| page.version().is_some_and(|v| !ever_in_force(v)))
        .collect();
    Standing { in_force, later }
}

/// Whether the sources say the version was ever adopted or applied.
pub fn ever_in_force(meta: &VersionMeta) -> bool {
    meta.status_history.iter().any(|s| s.status.starts_force())
}

/// The word for a version in running text, by its history: a text no source says was
/// adopted is a `förslag`; one that was, a `version`.
pub fn noun(meta: &VersionMeta) -> &'static str {
    if !ever_in_force(meta) && !meta.status_history.is_empty() {
        "förslag"
    } else {
        "version"
    }
}

/// One word for the version in lists and badges, by its history: `antagen` (or
/// `gäller`) while it applies, `ersatt` or `upphävd` after, `förslag` for a text no
/// source says was adopted, `status okänd` where the sources say nothing.
pub fn label(meta: &VersionMeta) -> &'static str {
    match in_force(meta) {
        Some(InForce {
            until: Some((end, _)),
            ..
        }) => meta.status_history[end].status.swedish(),
        Some(force) => match meta.status_history[force.from_step].status {
            StepKind::AppliesFrom => "gäller",
            _ => "antagen",
        },
        None if meta.status_history.is_empty() => "status okänd",
        None => "förslag",
    }
}

/// A class name for [`label`], for the theme: `in-force`, `ended`, `proposal`, `unknown`.
pub fn label_class(meta: &VersionMeta) -> &'static str {
    match in_force(meta) {
        Some(InForce { until: Some(_), .. }) => "ended",
        Some(_) => "in-force",
        None if meta.status_history.is_empty() => "unknown",
        None => "proposal",
    }
}
