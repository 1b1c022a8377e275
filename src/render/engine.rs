//! The render engine: the one way planned pages become files, for `build`, `check` and
//! `serve` alike.
//!
//! It takes a prepared site (model, alignment, theme) and render options, and either
//! the whole site ([`Engine::render_site`]: every planned page, its addresses checked,
//! and the other files) or a few planned pages ([`Engine::render_pages`], `serve`'s
//! quick answer). Each page is rendered on rayon's pool, its context made only when the
//! page is rendered and let go of once it is, so a large site never holds every page's
//! context or HTML at once; every file goes into the caller's [`Sink`] as soon as it is
//! made. A problem that many pages share (a broken template) is said once.
//!
//! With a [`RenderCache`] (`serve`), a page whose template, address, context and common
//! context are those of the previous render is not rendered again: its bytes, shared
//! with the cache, go into the sink as they are.
//!
//! The engine decides no address (the plan does) and reads no file except through a
//! job's context. It gives way when [`cancel::requested`] says so: it then returns
//! [`RenderError::Cancelled`], the files already in the sink are the caller's to throw
//! away, and the cache keeps nothing of the pages of that render.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::Value;
use tera::Context;

use super::theme::Theme;
use super::{PageJob, RenderError, RenderOptions, addresses, open_data, pages};
use crate::cancel;
use crate::compare::Alignment;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::output::{OutputFile, Sink};

/// A prepared site and the options to render it with.
pub struct Engine<'a> {
    site: &'a Site,
    alignment: &'a Alignment,
    theme: &'a Theme,
    options: &'a RenderOptions,
}

/// What a render put into its sink.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Every file put into the sink, pages included.
    pub files: usize,
    /// The HTML (and other template-made) pages among them.
    pub pages: usize,
    /// The pages rendered anew; the others were the cache's.
    pub rendered: usize,
    /// Milliseconds per step (the steps overlap: pages and other files are made side by
    /// side), for `serve`'s report and benchmarks.
    pub timings: Vec<(&'static str, u128)>,
}

impl<'a> Engine<'a> {
    pub fn new(
        site: &'a Site,
        alignment: &'a Alignment,
        theme: &'a Theme,
        options: &'a RenderOptions,
    ) -> Engine<'a> {
        Engine {
            site,
            alignment,
            theme,
            options,
        }
    }

    /// Every file of the site into `sink`: the planned pages (their addresses checked
    /// first; nothing is written when two files would share one), the published JSON,
    /// search index, feeds, Akoma Ntoso files and theme files. With `cache`, unchanged
    /// pages are taken from it, and it keeps this render's pages for the next.
    pub fn render_site(
        &self,
        sink: &dyn Sink,
        mut cache: Option<&mut RenderCache>,
    ) -> Result<Rendered, RenderError> {
        let Engine {
            site,
            alignment,
            theme,
            options,
        } = *self;
        let lookups = pages::Lookups::new(site, alignment);
        let jobs = super::plan(site, alignment, &lookups);
        addresses::check(site, alignment, theme, &jobs).map_err(RenderError::Problems)?;
        let shared = CommonContext::new(site, options)?;
        if let Some(cache) = cache.as_deref_mut() {
            cache.keep_only_for(&shared.json());
        }
        let page_urls: Vec<&str> = jobs
            .iter()
            .map(|job| job.url.as_str())
            .filter(|url| url.is_empty() || url.ends_with('/'))
            .collect();
        let write_others = || {
            timed(|| -> Result<usize, RenderError> {
                cancel::check()?;
                let json = open_data::write_json_files(site, alignment, sink)?;
                let others =
                    super::write_other_files(site, alignment, theme, options, &page_urls, sink)?;
                Ok(json + others)
            })
        };
        let ((pages, pages_millis), (others, others_millis)) = match cache {
            // `serve`, whose pages are mostly the cache's, makes the other files after
            // the pages, and none when a page failed: side by side the two competed for
            // the cores and memory, and the rebuild took longer.
            Some(cache) => {
                let pages = timed(|| self.render_jobs(&shared, &jobs, sink, Some(cache)));
                let others = match pages.0 {
                    Ok(_) => write_others(),
                    Err(_) => (Ok(0), 0),
                };
                (pages, others)
            }
            // A build makes the other files (search, feeds, JSON) while the pages render.
            None => rayon::join(
                || timed(|| self.render_jobs(&shared, &jobs, sink, None)),
                write_others,
            ),
        };
        // Whatever a loop that gave way left is incomplete, its problems included.
        cancel::check()?;
        let rendered = pages?;
        let others = others?;
        Ok(Rendered {
            files: jobs.len() + others,
            pages: jobs.len(),
            rendered,
            timings: vec![
                ("render pages", pages_millis),
                ("search, feeds, JSON", others_millis),
            ],
        })
    }

    /// Only `jobs`, into `sink`: `serve`'s first answer to a save, before the full
    /// render. Their addresses are not checked here (the full render checks them all),
    /// and no other file is made.
    pub fn render_pages(&self, jobs: &[PageJob], sink: &dyn Sink) -> Result<Rendered, RenderError> {
        self.render_pages_sharing(jobs, sink, &self.common_context()?)
    }

    /// What every page of this site shares, made once to render pages with
    /// ([`Engine::render_pages_sharing`]) as long as the site's configuration, works and
    /// versions stay as they are: it is made of nothing else.
    pub fn common_context(&self) -> Result<SharedContext, RenderError> {
        Ok(SharedContext(CommonContext::new(self.site, self.options)?))
    }

    /// [`Engine::render_pages`] with a common context made before: `serve` keeps it
    /// from one save to the next while no version changes (at 2,000 works, making it
    /// took longer than rendering a page).
    pub fn render_pages_sharing(
        &self,
        jobs: &[PageJob],
        sink: &dyn Sink,
        shared: &SharedContext,
    ) -> Result<Rendered, RenderError> {
        let shared = &shared.0;
        let (rendered, millis) = timed(|| self.render_jobs(shared, jobs, sink, None));
        Ok(Rendered {
            files: jobs.len(),
            pages: jobs.len(),
            rendered: rendered?,
            timings: vec![("render pages", millis)],
        })
    }

    /// Renders `jobs` in parallel into `sink`, each page written as soon as it is
    /// rendered, and says each problem once. With `cache`, unchanged pages are taken
    /// from it, and once every page is done it keeps these pages for the next render.
    /// Returns how many pages were rendered anew.
    fn render_jobs(
        &self,
        shared: &CommonContext,
        jobs: &[PageJob],
        sink: &dyn Sink,
        cache: Option<&mut RenderCache>,
    ) -> Result<usize, RenderError> {
        let cached = cache.as_deref();
        let results: Vec<Result<Finished, RenderError>> = jobs
            .par_iter()
            .map(|job| self.render_job(shared, job, sink, cached))
            .collect();
        cancel::check()?;
        let mut problems = SaidOnce::default();
        let mut rendered = 0;
        let mut for_cache = Vec::new();
        for result in results {
            match result {
                Ok(Finished::Written) => rendered += 1,
                Ok(Finished::Cached { path, page, fresh }) => {
                    rendered += usize::from(fresh);
                    for_cache.push((path, page));
                }
                Err(RenderError::Problems(found)) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        problems.into_result()?;
        if let Some(cache) = cache {
            cache.keep(shared.json(), for_cache);
        }
        Ok(rendered)
    }

    /// One page: its context made, rendered (or taken from `cache`) and put into `sink`.
    fn render_job(
        &self,
        shared: &CommonContext,
        job: &PageJob,
        sink: &dyn Sink,
        cache: Option<&RenderCache>,
    ) -> Result<Finished, RenderError> {
        cancel::check()?;
        let page = job.context()?;
        let path = job.output_path();
        let Some(cache) = cache else {
            // The page's JSON is let go of once the template's context holds its copy:
            // a page of 40,000 clauses weighs 200 MB.
            let context = job_context(self.site, shared, job, &page, self.options);
            drop(page);
            let html = render_context(self.theme, job, &context)?;
            sink.put(OutputFile::new(path, html))?;
            return Ok(Finished::Written);
        };
        let print = Fingerprint::of(&page);
        let (html, fresh) = match cache.unchanged(&path, job.template, print) {
            Some(html) => (html, false),
            None => {
                let context = job_context(self.site, shared, job, &page, self.options);
                drop(page);
                (Arc::from(render_context(self.theme, job, &context)?), true)
            }
        };
        sink.put_shared(path.clone(), html.clone())?;
        Ok(Finished::Cached {
            path,
            page: CachedPage {
                template: job.template,
                context: print,
                html,
            },
            fresh,
        })
    }
}

/// One page done.
enum Finished {
    /// Rendered and written; nothing kept.
    Written,
    /// Written, and kept for the cache; `fresh` when it was rendered anew.
    Cached {
        path: String,
        page: CachedPage,
        fresh: bool,
    },
}

/// Problems from many pages, each said once: a broken template fails every page it
/// renders.
#[derive(Default)]
struct SaidOnce {
    said: HashSet<String>,
    problems: Vec<Diagnostic>,
}

impl SaidOnce {
    fn extend(&mut self, found: Vec<Diagnostic>) {
        for d in found {
            if self.said.insert(d.headline()) {
                self.problems.push(d);
            }
        }
    }

    fn into_result(self) -> Result<(), RenderError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(RenderError::Problems(self.problems))
        }
    }
}

fn timed<T>(work: impl FnOnce() -> T) -> (T, u128) {
    let started = Instant::now();
    let result = work();
    (result, started.elapsed().as_millis())
}

/// What `serve` keeps between renders so that only pages whose inputs changed are
/// rendered again. A page's output depends on its template, address and context, on the
/// common context, on the theme and on the options; the last two are the caller's to
/// watch (call [`RenderCache::clear`] when templates change).
#[derive(Default)]
pub struct RenderCache {
    common: Option<Fingerprint>,
    pages: HashMap<String, CachedPage>,
}

struct CachedPage {
    template: &'static str,
    context: Fingerprint,
    html: Arc<[u8]>,
}

/// A context's fingerprint, which the cache keeps in place of the context: every page's
/// context held as JSON took most of `serve`'s 15 GB at 100,000 documents. Two SipHash
/// sums of the JSON text, 128 bits: a page served stale by a collision is not a risk
/// worth the memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint(u64, u64);

impl Fingerprint {
    fn of(value: &Value) -> Fingerprint {
        use std::hash::Hasher;
        struct Both(std::hash::DefaultHasher, std::hash::DefaultHasher);
        impl std::io::Write for Both {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.write(bytes);
                self.1.write(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut second = std::hash::DefaultHasher::new();
        second.write_u8(0x5a);
        let mut both = Both(std::hash::DefaultHasher::new(), second);
        // Writing into a hasher cannot fail, and a JSON value always serialises.
        let _ = serde_json::to_writer(&mut both, value);
        Fingerprint(both.0.finish(), both.1.finish())
    }
}

impl RenderCache {
    pub fn clear(&mut self) {
        self.common = None;
        self.pages.clear();
    }

    /// Forgets every page when the common context changed: it is on every page.
    fn keep_only_for(&mut self, common: &Value) {
        if self.common != Some(Fingerprint::of(common)) {
            self.clear();
        }
    }

    /// The page at `path` as last rendered, if it was rendered from these inputs.
    fn unchanged(&self, path: &str, template: &str, context: Fingerprint) -> Option<Arc<[u8]>> {
        self.pages
            .get(path)
            .filter(|cached| cached.template == template && cached.context == context)
            .map(|cached| cached.html.clone())
    }

    /// This render's pages, in place of the last one's: a page no longer planned is
    /// forgotten.
    fn keep(&mut self, common: Value, pages: Vec<(String, CachedPage)>) {
        self.common = Some(Fingerprint::of(&common));
        self.pages = pages.into_iter().collect();
    }
}

/// What every page of a site shares ([`Engine::common_context`]).
pub struct SharedContext(CommonContext);

impl SharedContext {
    /// Brought up to date after a version of work `id` was saved in `site`.
    pub fn work_changed(&mut self, site: &Site, id: &str) -> Result<(), RenderError> {
        self.0.work_changed(site, id)
    }
}

/// What every page of one render shares, made once.
struct CommonContext {
    /// The common context (`site` in the templates) as tera's value, converted once:
    /// inserting a serde value into each page's context would copy the whole
    /// site-wide part (every work) per page.
    value: tera::Value,
    /// The site's part of the common context (all but its works), as JSON and as
    /// tera's map.
    site_json: Value,
    site_value: tera::Map,
    /// Per work, in the order of `Site::works`: its part of the context, kept apart so
    /// that a saved version makes its own work's part again, not every work's.
    works: Vec<WorkPart>,
    several_works: bool,
}

/// A work's entry in the common context ([`super::common_work`]).
struct WorkPart {
    json: Value,
    value: tera::Value,
    /// The status banner (`in_force_banner`, `render::status::banner`), given to
    /// each page of the work, so that a template does not loop over every work on
    /// every page. From the common context, not from the site: `serve` renders a page
    /// again when the common context changes, and the banner is on every page.
    banner: Option<tera::Value>,
}

fn to_tera(value: &impl serde::Serialize) -> Result<tera::Value, RenderError> {
    tera::Value::try_from_serializable(value).map_err(|err| {
        RenderError::Problems(vec![Diagnostic::error(
            "content/site.yaml",
            format!("the site settings cannot be passed to the templates: {err}"),
        )])
    })
}

impl WorkPart {
    fn new(site: &Site, work: &crate::model::Work) -> Result<WorkPart, RenderError> {
        let json = super::common_work(site, work);
        let value = to_tera(&json)?;
        let banner = match json.get("banner") {
            Some(banner) if !banner.is_null() => Some(to_tera(banner)?),
            _ => None,
        };
        Ok(WorkPart {
            json,
            value,
            banner,
        })
    }
}

impl CommonContext {
    fn new(site: &Site, options: &RenderOptions) -> Result<CommonContext, RenderError> {
        let site_json = super::common_site(site, options);
        let site_value = to_tera(&site_json)?.as_map().cloned().unwrap_or_default();
        let works = site
            .works
            .par_iter()
            .map(|work| WorkPart::new(site, work))
            .collect::<Result<Vec<_>, _>>()?;
        let mut common = CommonContext {
            value: tera::Value::none(),
            site_json,
            site_value,
            works,
            several_works: site.works.len() > 1,
        };
        common.assemble();
        Ok(common)
    }

    /// Makes the part of work `id` again, after one of its versions was saved: the rest
    /// of the common context is made of the site's configuration and the other works.
    fn work_changed(&mut self, site: &Site, id: &str) -> Result<(), RenderError> {
        let (Some(index), Some(work)) = (site.work_position(id), site.work(id)) else {
            return Ok(());
        };
        self.works[index] = WorkPart::new(site, work)?;
        self.assemble();
        Ok(())
    }

    /// The common context as JSON, for a render cache to tell whether it changed: made
    /// when asked, as a saved version's answer has no use for it.
    fn json(&self) -> Value {
        let mut json = self.site_json.clone();
        if let Value::Object(map) = &mut json {
            map.insert(
                "works".into(),
                Value::Array(self.works.iter().map(|w| w.json.clone()).collect()),
            );
        }
        json
    }

    /// `value` from the site's part and the works' (which tera holds behind reference
    /// counts: the works are not copied).
    fn assemble(&mut self) {
        let mut value = self.site_value.clone();
        value.insert(
            "works".into(),
            tera::Value::from(
                self.works
                    .iter()
                    .map(|w| w.value.clone())
                    .collect::<Vec<_>>(),
            ),
        );
        self.value = tera::Value::from(value);
    }

    /// The banner for `page`: its own work's, or with one work on the site, that one's
    /// on every page.
    fn banner_for(&self, site: &Site, page: &Value) -> Option<&tera::Value> {
        let work = if self.several_works {
            let id = page
                .get("work")
                .and_then(|work| work.get("id"))
                .and_then(Value::as_str)?;
            self.works.get(site.work_position(id)?)?
        } else {
            self.works.first()?
        };
        work.banner.as_ref()
    }
}

/// The page rendered with its template, as bytes as tera writes them: the build writes
/// them to disk as they are, so the whole site's HTML (300 MB at 10,000 documents) is
/// not checked for UTF-8 again.
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
    site: &Site,
    shared: &CommonContext,
    job: &PageJob,
    page: &Value,
    options: &RenderOptions,
) -> Context {
    let common = &shared.site_json;
    let mut context = Context::new();
    // The 404 page is served at whatever address was missing, so only an absolute
    // path to the site root works there.
    let root = if job.template == "404.html" {
        common["base_path"].as_str().unwrap_or("/").to_string()
    } else {
        "../".repeat(job.url.matches('/').count())
    };
    context.insert_value("site", shared.value.clone());
    if let Some(banner) = shared.banner_for(site, page) {
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
