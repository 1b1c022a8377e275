//! Rendering stage: the site model and its alignment → the files of the built site.
//! The pages are planned here ([`plan`]: address, template, owner; contexts made
//! later) and rendered by the one [`engine`] that `build`, `check` and `serve` share.

pub mod addresses;
pub mod akn;
pub mod body_html;
pub mod compare_pages;
pub mod date_view;
mod embedded_theme;
pub mod engine;
pub mod feeds;
pub mod markdown;
pub mod open_data;
pub mod other_acts;
pub mod pages;
pub mod pictures;
pub mod search;
pub mod source_texts;
pub mod status;
pub mod swedish;
#[cfg(test)]
mod test_site;
pub mod theme;
pub mod views;
pub mod what_changed;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::cancel::Cancelled;
use crate::compare::Alignment;
use crate::diagnostics::Diagnostic;
use crate::model::{Site, Work};
use crate::output::{OutputError, OutputFile, Sink};
pub use engine::{Engine, RenderCache, Rendered};
use theme::Theme;

/// Options that differ between `build` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Script tag that `serve` injects for live reload; never set by `build`.
    pub live_reload: Option<String>,
    /// Date the site was built, ISO; shown on pages and in the feed.
    pub build_date: String,
}

/// One page to render: which template and where it goes, known when the site is
/// planned; its context is built only when the page is rendered, so a large site never
/// holds every page's context at once.
pub struct PageJob<'a> {
    pub template: &'static str,
    /// Folder URL relative to the site root (`overenskommelse/2009/`), or a file name
    /// for non-HTML output written by the template (`404.html`).
    pub url: String,
    /// Who makes the page: no two pages (nor a page and another file) may share an
    /// address ([`addresses::check`]).
    pub owner: addresses::Owner<'a>,
    context: Box<dyn Fn() -> Result<Value, Diagnostic> + Send + Sync + 'a>,
}

impl<'a> PageJob<'a> {
    pub fn new(
        template: &'static str,
        url: String,
        owner: addresses::Owner<'a>,
        context: impl Fn() -> Value + Send + Sync + 'a,
    ) -> PageJob<'a> {
        Self::fallible(template, url, owner, move || Ok(context()))
    }

    /// A page whose context can fail to be made: it reads a content file again
    /// (`PageSource::text`).
    pub fn fallible(
        template: &'static str,
        url: String,
        owner: addresses::Owner<'a>,
        context: impl Fn() -> Result<Value, Diagnostic> + Send + Sync + 'a,
    ) -> PageJob<'a> {
        PageJob {
            template,
            url,
            owner,
            context: Box::new(context),
        }
    }

    /// The page's own context (`page` in the templates), built now.
    pub fn context(&self) -> Result<Value, Diagnostic> {
        (self.context)()
    }

    pub fn output_path(&self) -> String {
        if self.url.is_empty() || self.url.ends_with('/') {
            format!("{}index.html", self.url)
        } else {
            self.url.clone()
        }
    }
}

/// Why rendering stopped: a template failed on some page(s) or a content file could not
/// be read again, a file could not be written, or the render gave way (`serve`).
#[derive(Debug)]
pub enum RenderError {
    Problems(Vec<Diagnostic>),
    Output(OutputError),
    /// No longer wanted ([`crate::cancel`]): what was rendered is incomplete.
    Cancelled,
}

impl From<Diagnostic> for RenderError {
    fn from(problem: Diagnostic) -> Self {
        RenderError::Problems(vec![problem])
    }
}

impl From<OutputError> for RenderError {
    fn from(err: OutputError) -> Self {
        RenderError::Output(err)
    }
}

impl From<Cancelled> for RenderError {
    fn from(_: Cancelled) -> Self {
        RenderError::Cancelled
    }
}

/// Every page of the site, planned (address and template) but not yet rendered.
pub fn plan<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a pages::Lookups,
) -> Vec<PageJob<'a>> {
    views::jobs(site, alignment, lookups)
}

/// The pages made from content page `index` ([`crate::routes::Route::made_from`]): its
/// own page and, for a version, every page of its work made from the work's alignment.
/// What `serve`'s quick path renders for a save; other pages wait for the full rebuild.
/// Only the page's own and its work's pages are planned to choose from: planning the
/// whole site took most of a save's answer at 100,000 documents.
pub fn plan_made_from<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a pages::Lookups,
    index: usize,
) -> Vec<PageJob<'a>> {
    let mut jobs = views::jobs_of_page(site, alignment, lookups, index);
    jobs.retain(|job| {
        job.owner
            .route()
            .is_some_and(|route| route.made_from(site, index))
    });
    jobs
}

/// What every page needs of the site itself (the common context without its works,
/// [`common_work`]): title, publisher, addresses, build date.
fn common_site(site: &Site, options: &RenderOptions) -> Value {
    json!({
        "title": site.config.title,
        "description": site.config.description,
        "publisher": site.config.publisher,
        "contact": site.config.contact,
        "contact_href": site.config.contact_href(),
        "language": site.config.language,
        "base_url": site.config.base_url,
        "base_path": site.config.base_path(),
        "several_works": site.works.len() > 1,
        "build_date": options.build_date,
        "build_date_sv": crate::model::meta::IsoDate::parse(&options.build_date).map(|d| d.swedish()).unwrap_or_default(),
    })
}

/// One work in the common context (`site.works`): its navigation entry, the version in
/// force and its status banner. Made of the work's versions only.
fn common_work(site: &Site, work: &Work) -> Value {
    let in_force = site.in_force(work);
    json!({
        "id": work.id,
        "title": work.title,
        "short_title": work.short_title,
        "url": crate::routes::work(&work.id),
        "in_force": in_force.map(|p| json!({
            "version": p.version().map(|v| v.version.clone()),
            "url": p.url,
            "title": p.title(),
        })),
        "banner": status::banner(site, work),
    })
}

/// Escapes text for HTML or SVG element content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    // Most text (a word of a diff, a label) has nothing to escape: copied as it is,
    // without tera's writing byte by byte.
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.to_string();
    }
    let mut out = Vec::with_capacity(text.len() + 16);
    // Writing into memory cannot fail.
    let _ = tera::escape_html(text, &mut out);
    // Only ASCII bytes are replaced, so the text stays UTF-8.
    String::from_utf8(out)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// Writes the files of the site besides the rendered pages and the published JSON
/// into `sink`: theme assets, search index, feeds, Akoma Ntoso and the source texts;
/// returns how many.
/// `page_urls`: folder addresses of the HTML pages.
fn write_other_files(
    site: &Site,
    alignment: &Alignment,
    theme: &Theme,
    options: &RenderOptions,
    page_urls: &[&str],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let put_all = |files: Vec<OutputFile>| -> Result<usize, RenderError> {
        let count = files.len();
        files
            .into_par_iter()
            .try_for_each(|file| sink.put(file))
            .map_err(RenderError::Output)?;
        Ok(count)
    };
    let (search, feeds) = rayon::join(
        || search::write(site, sink),
        || {
            let files = feeds::files(site, theme, options, page_urls)
                .map_err(|problem| RenderError::Problems(vec![problem]))?;
            put_all(files)
        },
    );
    let akn = akn::write_files(site, alignment, &options.build_date, sink)?;
    let texts = put_all(source_texts::files(site))?;
    Ok(put_all(theme.static_files.clone())? + search? + feeds? + akn + texts)
}
