//! What each page's template is given as `page`: one typed view per kind of page, in a
//! file of its own with the job that plans the page (its address, template and owner
//! now, its view when it renders). The views' fields are the templates' contract: a
//! field renamed here must be renamed in the template that reads it.
//!
//! A view borrows from the site what it shows as it is and owns what it makes (HTML,
//! addresses relative to its page). It is turned into the template's value at once
//! and dropped, so a large page is never held as a view and a value for long.

pub mod adoption;
pub mod comparison;
pub mod document;
pub mod history;
pub mod not_found;
pub mod page;
pub mod parts;
pub mod search;
pub mod start;
pub mod timeline;
pub mod version;
pub mod work;

use serde::Serialize;
use serde_json::Value;

use super::PageJob;
use super::pages::Lookups;
use crate::compare::Alignment;
use crate::diagnostics::Diagnostic;
use crate::model::{PageKind, Site};

/// Every page of the site, planned: address and template now, view when rendered.
pub fn jobs<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
) -> Vec<PageJob<'a>> {
    let years = super::pictures::timeline_years(site);
    let split = super::pictures::timeline_is_split(&years);
    let mut jobs = vec![
        start::job(site, alignment, split),
        timeline::job(site),
        not_found::job(site),
        search::job(),
    ];
    if split {
        jobs.extend(timeline::year_jobs(site, years));
    }
    jobs.extend(adoption::job(site));
    for work in &site.works {
        jobs.push(work::job(site, alignment, work));
    }
    jobs.extend((0..site.pages.len()).map(|index| content_job(site, alignment, lookups, index)));
    jobs.extend(history::jobs(site, alignment, lookups, None));
    jobs.extend(comparison::jobs(site, alignment, None));
    jobs
}

/// The pages that content page `index` can make ([`crate::routes::Route::made_from`]
/// chooses among them): its own and, for a version, every page of its work. Planned
/// without the rest of the site, so that `serve` answers a save in a time that does
/// not grow with the site.
pub fn jobs_of_page<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
    index: usize,
) -> Vec<PageJob<'a>> {
    let Some(work) = site.pages[index]
        .version()
        .and_then(|version| site.work(&version.work))
    else {
        return vec![content_job(site, alignment, lookups, index)];
    };
    let mut jobs = vec![work::job(site, alignment, work)];
    jobs.extend(
        work.versions
            .iter()
            .map(|&version| content_job(site, alignment, lookups, version)),
    );
    jobs.extend(history::jobs(site, alignment, lookups, Some(&work.id)));
    jobs.extend(comparison::jobs(site, alignment, Some(&work.id)));
    jobs
}

/// The page of content file `site.pages[index]`.
fn content_job<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
    index: usize,
) -> PageJob<'a> {
    match &site.pages[index].kind {
        PageKind::Version(_) => version::job(site, alignment, lookups, index),
        PageKind::Document(_) => document::job(site, lookups, index),
        PageKind::Plain(_) => page::job(site, lookups, index),
    }
}

/// `view` as the template's `page`.
pub(crate) fn context(template: &str, view: &impl Serialize) -> Result<Value, Diagnostic> {
    serde_json::to_value(view).map_err(|err| {
        Diagnostic::error(
            format!("themes/…/{template}"),
            format!("the page cannot be passed to its template: {err}"),
        )
    })
}
