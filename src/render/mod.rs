//! Rendering stage: the site model and its alignment → the files of the built site.

pub mod addresses;
pub mod akn;
pub mod body_html;
pub mod compare_pages;
pub mod date_view;
mod embedded_theme;
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
use tera::Context;

use crate::compare::Alignment;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::output::{OutputError, OutputFile, Sink};
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
/// be read again, or a file could not be written.
#[derive(Debug)]
pub enum RenderError {
    Problems(Vec<Diagnostic>),
    Output(OutputError),
}

/// Every page of the site, planned (address and template) but not yet rendered.
pub fn plan<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a pages::Lookups,
) -> Vec<PageJob<'a>> {
    views::jobs(site, alignment, lookups)
}

/// Renders every file of the site into `sink`, in parallel, each page written as soon as
/// it is rendered: neither the contexts nor the pages of the whole site are held at once.
/// Returns how many files were written.
pub fn render(
    site: &Site,
    alignment: &Alignment,
    theme: &Theme,
    options: &RenderOptions,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let lookups = pages::Lookups::new(site, alignment);
    let jobs = plan(site, alignment, &lookups);
    addresses::check(site, alignment, theme, &jobs).map_err(RenderError::Problems)?;
    let shared = CommonContext::new(site, options).map_err(RenderError::Problems)?;
    let page_urls: Vec<&str> = jobs
        .iter()
        .map(|job| job.url.as_str())
        .filter(|url| url.is_empty() || url.ends_with('/'))
        .collect();
    // The other files (search, feeds, JSON) are made while the pages render.
    let (pages, others) = rayon::join(
        || {
            jobs.par_iter()
                .map(|job| {
                    let html = job
                        .context()
                        .and_then(|page| {
                            // The page's JSON is let go of once the template's context
                            // holds its copy: a page of many clauses weighs hundreds of MB.
                            let context = job_context(&shared, job, &page, options);
                            drop(page);
                            render_context(theme, job, &context)
                        })
                        .map_err(|d| RenderError::Problems(vec![d]))?;
                    sink.put(OutputFile::new(job.output_path(), html))
                        .map_err(RenderError::Output)
                })
                .collect::<Vec<Result<(), RenderError>>>()
        },
        || -> Result<usize, RenderError> {
            let json =
                open_data::write_json_files(site, alignment, sink).map_err(RenderError::Output)?;
            Ok(json + write_other_files(site, alignment, theme, options, &page_urls, sink)?)
        },
    );
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut said = std::collections::HashSet::new();
    for result in pages {
        match result {
            Ok(()) => {}
            Err(RenderError::Output(err)) => return Err(RenderError::Output(err)),
            Err(RenderError::Problems(found)) => {
                for d in found {
                    // A broken template fails every page it renders: say it once.
                    if said.insert(d.headline()) {
                        problems.push(d);
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(RenderError::Problems(problems));
    }
    Ok(jobs.len() + others?)
}

/// The pages made from content page `index` itself ([`crate::routes::Route::made_from`]):
/// its own page and, for a version, its work's other versions, page, comparisons and
/// clause histories.
/// Other pages that mention it (lists, backlinks) are left to a full render.
pub fn plan_made_from<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a pages::Lookups,
    index: usize,
) -> Vec<PageJob<'a>> {
    let mut jobs = plan(site, alignment, lookups);
    jobs.retain(|job| {
        job.owner
            .route()
            .is_some_and(|route| route.made_from(site, index))
    });
    jobs
}

/// Renders only `jobs`, in parallel: `serve`'s first answer to a save, before the full
/// render. Returns (output path, HTML) pairs.
pub fn render_jobs(
    site: &Site,
    theme: &Theme,
    options: &RenderOptions,
    jobs: &[PageJob],
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let shared = CommonContext::new(site, options)?;
    jobs.par_iter()
        // `serve` gives way to a newer save; it throws the partial render away.
        .filter(|_| !crate::cancel::requested())
        .map(|job| {
            job.context()
                .and_then(|page| render_job(theme, &shared, job, &page, options))
                .map(|html| (job.output_path(), html))
                .map_err(|d| vec![d])
        })
        .collect()
}

/// What every page of one render shares, made once.
struct CommonContext {
    /// The common context (`site` in the templates).
    json: Value,
    /// The same as tera's value, converted once: inserting a serde value into each
    /// page's context would copy the whole site-wide part (every work) per page.
    value: tera::Value,
    /// Per work id, the status banner (`in_force_banner`, `render::status::banner`):
    /// looked up here per page, so that a template does not loop over every work on
    /// every page.
    banners: std::collections::HashMap<String, tera::Value>,
    several_works: bool,
}

impl CommonContext {
    fn new(site: &Site, options: &RenderOptions) -> Result<CommonContext, Vec<Diagnostic>> {
        let json = common_context(site, options);
        let convert = |value: &Value| {
            tera::Value::try_from_serializable(value).map_err(|err| {
                vec![Diagnostic::error(
                    "content/site.yaml",
                    format!("the site settings cannot be passed to the templates: {err}"),
                )]
            })
        };
        let value = convert(&json)?;
        let mut banners = std::collections::HashMap::new();
        // From the common context, not from the site: `serve` renders a page again when
        // the common context changes, and the banner is on every page.
        for work in json["works"].as_array().into_iter().flatten() {
            if let (Some(id), Some(banner)) = (work["id"].as_str(), work.get("banner"))
                && !banner.is_null()
            {
                banners.insert(id.to_string(), convert(banner)?);
            }
        }
        Ok(CommonContext {
            json,
            value,
            banners,
            several_works: site.works.len() > 1,
        })
    }

    /// The banner for `page`: its own work's, or with one work on the site, that one's
    /// on every page.
    fn banner_for(&self, page: &Value) -> Option<&tera::Value> {
        if self.several_works {
            page.get("work")
                .and_then(|work| work.get("id"))
                .and_then(Value::as_str)
                .and_then(|id| self.banners.get(id))
        } else {
            self.banners.values().next()
        }
    }
}

fn render_job(
    theme: &Theme,
    shared: &CommonContext,
    job: &PageJob,
    page: &Value,
    options: &RenderOptions,
) -> Result<String, Diagnostic> {
    let bytes = render_job_bytes(theme, shared, job, page, options)?;
    String::from_utf8(bytes).map_err(|err| {
        Diagnostic::error(
            format!("themes/…/{}", job.template),
            format!("the template made text that is not UTF-8: {err}"),
        )
    })
}

/// The page as bytes, as tera writes it: the build writes them to disk as they are, so
/// the whole site's HTML is not checked for UTF-8 again.
fn render_job_bytes(
    theme: &Theme,
    shared: &CommonContext,
    job: &PageJob,
    page: &Value,
    options: &RenderOptions,
) -> Result<Vec<u8>, Diagnostic> {
    render_context(theme, job, &job_context(shared, job, page, options))
}

/// The page rendered with its template.
fn render_context(theme: &Theme, job: &PageJob, context: &Context) -> Result<Vec<u8>, Diagnostic> {
    let mut html = Vec::with_capacity(64 * 1024);
    theme
        .tera
        .render_to(job.template, context, &mut html)
        .map_err(|err| theme.render_error(job.template, &err))?;
    Ok(html)
}

/// What the template of `job` is given: the site, the page and where it is.
fn job_context(
    shared: &CommonContext,
    job: &PageJob,
    page: &Value,
    options: &RenderOptions,
) -> Context {
    let common = &shared.json;
    let mut context = Context::new();
    // The 404 page is served at whatever address was missing, so only an absolute
    // path to the site root works there.
    let root = if job.template == "404.html" {
        common["base_path"].as_str().unwrap_or("/").to_string()
    } else {
        "../".repeat(job.url.matches('/').count())
    };
    context.insert_value("site", shared.value.clone());
    if let Some(banner) = shared.banner_for(page) {
        context.insert_value("in_force_banner", banner.clone());
    }
    context.insert("root", &root);
    context.insert("url", &job.url);
    // Only where base_url says where the site is: no placeholder address reaches a reader.
    context.insert(
        "canonical",
        &common["base_url"]
            .as_str()
            .map(|base| format!("{base}{}", job.url)),
    );
    context.insert("page", page);
    if let Some(script) = &options.live_reload {
        context.insert("live_reload", script);
    }
    context
}

/// What every page needs: site title, navigation, which version is in force.
fn common_context(site: &Site, options: &RenderOptions) -> Value {
    let works: Vec<Value> = site
        .works
        .iter()
        .map(|work| {
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
        })
        .collect();
    json!({
        "title": site.config.title,
        "description": site.config.description,
        "publisher": site.config.publisher,
        "contact": site.config.contact,
        "contact_href": site.config.contact_href(),
        "language": site.config.language,
        "base_url": site.config.base_url,
        "base_path": site.config.base_path(),
        "works": works,
        "several_works": site.works.len() > 1,
        "build_date": options.build_date,
        "build_date_sv": crate::model::meta::IsoDate::parse(&options.build_date).map(|d| d.swedish()).unwrap_or_default(),
    })
}

/// What `serve` keeps between rebuilds so that only pages whose inputs changed are
/// rendered again. A page's output depends on its template, address and context, on the
/// common context, on the theme and on the options; the last two are the caller's to
/// watch (call [`RenderCache::clear`] when templates change).
#[derive(Default)]
pub struct RenderCache {
    common: Option<Value>,
    pages: std::collections::HashMap<String, CachedPage>,
}

struct CachedPage {
    template: &'static str,
    context: Value,
    html: std::sync::Arc<str>,
}

impl RenderCache {
    pub fn clear(&mut self) {
        self.common = None;
        self.pages.clear();
    }
}

/// The result of [`render_cached`]: HTML pages (shared with the cache, so unchanged
/// pages cost no copy), every other file, and how many pages were rendered anew.
pub struct RenderedSite {
    pub pages: Vec<(String, std::sync::Arc<str>)>,
    pub other_files: Vec<OutputFile>,
    pub rendered: usize,
    /// Milliseconds per step, for `serve`'s report.
    pub timings: Vec<(&'static str, u128)>,
}

/// [`render`], re-rendering only the pages whose template, address or context differ
/// from the previous call; the others are taken from `cache`.
pub fn render_cached(
    site: &Site,
    alignment: &Alignment,
    theme: &Theme,
    options: &RenderOptions,
    cache: &mut RenderCache,
    cancel: &(dyn Fn() -> bool + Sync),
) -> Result<Option<RenderedSite>, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let lap = std::time::Instant::now();
    let lookups = pages::Lookups::new(site, alignment);
    let jobs = plan(site, alignment, &lookups);
    addresses::check(site, alignment, theme, &jobs)?;
    // `cancel` is asked per page: a save arriving meanwhile stops this render.
    let contexts: Vec<Value> = jobs
        .par_iter()
        .map(|job| {
            if cancel() {
                Ok(Value::Null)
            } else {
                job.context()
            }
        })
        .collect::<Result<_, _>>()
        .map_err(|problem| vec![problem])?;
    if cancel() {
        return Ok(None);
    }
    let shared = CommonContext::new(site, options)?;
    timings.push(("page contexts", lap.elapsed().as_millis()));
    let lap = std::time::Instant::now();
    if cache.common.as_ref() != Some(&shared.json) {
        cache.clear();
    }
    let previous = &cache.pages;
    let unchanged = |job: &PageJob, context: &Value| {
        previous
            .get(&job.output_path())
            .filter(|cached| cached.template == job.template && cached.context == *context)
    };
    let rendered: Vec<Result<Option<std::sync::Arc<str>>, Diagnostic>> = jobs
        .par_iter()
        .zip(&contexts)
        .map(|(job, context)| match unchanged(job, context) {
            Some(_) => Ok(None),
            None if cancel() => Ok(None),
            None => render_job(theme, &shared, job, context, options).map(|html| Some(html.into())),
        })
        .collect();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut said = std::collections::HashSet::new();
    let mut fresh = std::collections::HashMap::with_capacity(jobs.len());
    let mut pages = Vec::with_capacity(jobs.len());
    let mut count = 0;
    for ((job, context), result) in jobs.into_iter().zip(contexts).zip(rendered) {
        let path = job.output_path();
        let html = match result {
            Ok(Some(html)) => {
                count += 1;
                html
            }
            Ok(None) => match cache.pages.get(&path) {
                Some(cached) => cached.html.clone(),
                None => continue,
            },
            Err(d) => {
                if said.insert(d.headline()) {
                    problems.push(d);
                }
                continue;
            }
        };
        pages.push((path.clone(), html.clone()));
        fresh.insert(
            path,
            CachedPage {
                template: job.template,
                context,
                html,
            },
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if cancel() {
        return Ok(None);
    }
    cache.common = Some(shared.json);
    cache.pages = fresh;
    let paths: Vec<String> = pages.iter().map(|(path, _)| path.clone()).collect();
    timings.push(("render pages", lap.elapsed().as_millis()));
    let lap = std::time::Instant::now();
    let page_urls: Vec<&str> = paths
        .iter()
        .filter_map(|path| path.strip_suffix("index.html"))
        .collect();
    let collected = crate::output::Collected::default();
    let written = open_data::write_json_files(site, alignment, &collected)
        .map_err(RenderError::Output)
        .and_then(|_| write_other_files(site, alignment, theme, options, &page_urls, &collected));
    match written {
        Ok(_) => {}
        Err(RenderError::Problems(problems)) => return Err(problems),
        // Memory takes every file.
        Err(RenderError::Output(err)) => {
            return Err(vec![Diagnostic::error("public", err.to_string())]);
        }
    }
    let other_files = collected.into_files();
    timings.push(("search, feeds, JSON", lap.elapsed().as_millis()));
    Ok(Some(RenderedSite {
        pages,
        other_files,
        rendered: count,
        timings,
    }))
}

/// Escapes text for HTML or SVG element content and quoted attribute values, as the
/// templates escape what they print (tera's `escape_html`: `&`, `<`, `>`, `"`, `'`).
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
