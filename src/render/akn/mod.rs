//! Akoma Ntoso 3.0 (OASIS LegalDocML): every version of a work is also published as
//! `/WORK/VERSION.akn.xml`, an `<akomaNtoso><act>` that legal-XML tools read, and every
//! related document as `/dokument/NAME.akn.xml`, a `<doc>` (`document.rs`).
//!
//! - Identification after the AKN naming convention: the Work
//!   `/akn/se/act/DATE/WORK` (DATE: the first version that is not a proposal, else the
//!   first version; one Work for all versions), each version an Expression
//!   `…/swe@VERSIONDATE`, the file a Manifestation `…/swe@VERSIONDATE.akn`.
//! - Lifecycle: one event per version up to this one (the first `generation`, the
//!   others `amendment`), the dated events of the front matter, and for a version whose
//!   force ended (`ersatt`, `upphävd`) a `repeal` dated as that step of its status
//!   history, referring to the version that replaced it or to the step's source. Analysis: the lineage from the version
//!   before as passive modifications (inserted, repealed, renumbered, substituted,
//!   split and joined clauses).
//! - Body: each clause a `<section>` (eId from the clause id, `sec_5` for `§ 5`; wId the
//!   clause's identity across versions, the key of its history page
//!   `/WORK/historik/KEY/`), each stycke a `<paragraph>`, a stycke's list `<list>` with
//!   `<point>`s (`body.rs`).
//! - Editorial notes (the version's notice, its source and editing, the lineage notes
//!   of each clause) are `<note>`s in `<meta><notes>`, pointed to by `<noteRef>` from
//!   the title or the clause heading: the elements the schema has for notes added by
//!   someone other than the author (`<authorialNote>` is the author's own).
//!
//! Written with quick-xml (`xml.rs`), never by formatting strings.

mod body;
mod document;
mod xml;

pub use document::document_xml;

use std::collections::BTreeMap;
use std::io;

use crate::compare::Alignment;
use crate::content::body::slug;
use crate::diagnostics::Diagnostic;
use crate::model::meta::{IsoDate, StatusStep, StepKind, VersionMeta};
use crate::model::{Page, Site, Work};
use crate::output::{OutputFile, Sink};
use crate::render::RenderError;
use crate::routes;
use body::{Links, clause_eid, eid_of};
use xml::Xml;

/// The country in every identifier: avtal publishes Swedish agreements, and the site
/// settings have no country.
const COUNTRY: &str = "se";

const AKN_NAMESPACE: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// Every Akoma Ntoso file the site has ([`write_files`]): each version's and each
/// related document's, relative to the site root.
pub fn paths(site: &Site) -> Vec<String> {
    let versions = site.works.iter().flat_map(|work| {
        work.versions.iter().filter_map(move |&index| {
            let version = site.pages[index].version()?;
            Some(routes::version_akn(&work.id, &version.version))
        })
    });
    let documents = site
        .pages
        .iter()
        .filter(|page| page.document().is_some())
        .map(|page| routes::document_akn(&page.url));
    versions.chain(documents).collect()
}

/// Writes the Akoma Ntoso file of every version and every related document into
/// `sink`; returns how many.
pub fn write_files(
    site: &Site,
    alignment: &Alignment,
    build_date: &str,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    use rayon::prelude::*;
    let versions: Vec<(&Work, usize)> = site
        .works
        .iter()
        .flat_map(|work| work.versions.iter().map(move |&i| (work, i)))
        .collect();
    versions.par_iter().try_for_each(|&(work, index)| {
        let bytes = version_xml(site, alignment, index, build_date)
            .map_err(|d| RenderError::Problems(vec![d]))?;
        let version = site.pages[index]
            .version()
            .map_or("", |v| v.version.as_str());
        sink.put(OutputFile::new(
            routes::version_akn(&work.id, version),
            bytes,
        ))
        .map_err(RenderError::Output)
    })?;
    let documents: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].document().is_some())
        .collect();
    documents.par_iter().try_for_each(|&index| {
        let bytes = document::document_xml(site, index, build_date)
            .map_err(|d| RenderError::Problems(vec![d]))?;
        sink.put(OutputFile::new(
            routes::document_akn(&site.pages[index].url),
            bytes,
        ))
        .map_err(RenderError::Output)
    })?;
    Ok(versions.len() + documents.len())
}

/// `2009-03-26` as written; `2010-12` and `2009` (the sources give no day) as the first
/// day, since the schema's dates are full dates.
fn xsd_date(date: IsoDate) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year,
        date.month.unwrap_or(1),
        date.day.unwrap_or(1)
    )
}

/// ISO 639-2 code of the site's language, as the naming convention wants (`sv` → `swe`).
fn language_code(language: &str) -> String {
    match language {
        "sv" => "swe",
        "en" => "eng",
        "fi" => "fin",
        "da" => "dan",
        "no" | "nb" => "nor",
        "nn" => "nno",
        "de" => "deu",
        "fr" => "fra",
        other => other,
    }
    .to_string()
}

/// The Work's IRI: `/akn/se/act/2009-03-26/overenskommelse`. Its date is that of the
/// first version that is not a proposal (the work as made), else of the first.
fn work_iri(site: &Site, work: &Work) -> (String, Option<IsoDate>) {
    let versions = || {
        work.versions
            .iter()
            .filter_map(|&i| site.pages[i].version())
    };
    let date = versions()
        .find(|v| crate::model::status::ever_in_force(v))
        .or_else(|| versions().next())
        .map(|v| v.date);
    let date_text = date.map(|d| d.to_string()).unwrap_or_default();
    (format!("/akn/{COUNTRY}/act/{date_text}/{}", work.id), date)
}

/// The Expression's IRI of the version at `index`: `…/swe@2013-05-06`, with `;VERSION`
/// added when another version of the work has the same date.
fn expression_iri(site: &Site, work: &Work, index: usize) -> String {
    let (work_iri, _) = work_iri(site, work);
    let Some(meta) = site.pages[index].version() else {
        return work_iri;
    };
    let same_date = work
        .versions
        .iter()
        .filter(|&&i| site.pages[i].version().is_some_and(|v| v.date == meta.date))
        .count();
    let language = language_code(&site.config.language);
    if same_date > 1 {
        format!("{work_iri}/{language}@{};{}", meta.date, meta.version)
    } else {
        format!("{work_iri}/{language}@{}", meta.date)
    }
}

/// Links in the text and notes: `@/` links to a version or a document become the IRI
/// of its expression (and the eId of the anchor); to any other page, its web address.
struct PageLinks<'a> {
    site: &'a Site,
    /// The version or document being written.
    page: &'a Page,
    expression: String,
}

impl Links for PageLinks<'_> {
    fn href(&self, dest: &str) -> String {
        if let Some(anchor) = dest.strip_prefix('#') {
            return match eid_of(&self.page.body, anchor) {
                Some(eid) => format!("{}/~{eid}", self.expression),
                None => dest.to_string(),
            };
        }
        let Some(target) = dest.strip_prefix("@/") else {
            return dest.to_string();
        };
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target, None),
        };
        let Some(index) = self.site.index_by_path(path) else {
            return dest.to_string();
        };
        let page = &self.site.pages[index];
        if let Some(work) = page.version().and_then(|v| self.site.work(&v.work)) {
            let expression = expression_iri(self.site, work, index);
            return match anchor.and_then(|a| eid_of(&page.body, a)) {
                Some(eid) => format!("{expression}/~{eid}"),
                None => expression,
            };
        }
        if page.document().is_some() {
            let expression = document::expression_iri(self.site, page);
            return match anchor.and_then(|a| eid_of(&page.body, a)) {
                Some(eid) => format!("{expression}/~{eid}"),
                None => expression,
            };
        }
        let mut address = self.site.config.address(&page.url);
        if let Some(anchor) = anchor {
            address.push('#');
            address.push_str(anchor);
        }
        address
    }
}

/// An editorial note and where its reference stands.
struct Note {
    eid: String,
    /// What the note is (`class`): `anmarkning`, `kalla`, `harkomst`.
    class: &'static str,
    /// Markdown.
    text: String,
    /// A first line before the Markdown (the source of the text), plain.
    lead: Option<String>,
}

/// The Akoma Ntoso document of the version at `index`. Fails only when the version's
/// file cannot be read again.
pub fn version_xml(
    site: &Site,
    alignment: &Alignment,
    index: usize,
    build_date: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let page = &site.pages[index];
    let text = page.source.text()?;
    write_version(site, alignment, index, build_date, &text).map_err(|err| {
        Diagnostic::error(
            &page.source.name,
            format!("the Akoma Ntoso file could not be written: {err}"),
        )
    })
}

/// Everything the parts of one version's document share.
struct Version<'a> {
    site: &'a Site,
    alignment: &'a Alignment,
    index: usize,
    page: &'a Page,
    meta: &'a VersionMeta,
    work: &'a Work,
    /// The version's place among its work's versions, oldest first.
    position: usize,
    expression: String,
    links: PageLinks<'a>,
}

/// The editorial notes of a version and where their references stand.
#[derive(Default)]
struct Notes<'a> {
    notes: Vec<Note>,
    /// Indexes into `notes` of those referred to from the title.
    title: Vec<usize>,
    /// Clause id → indexes into `notes` referred to from that clause's heading.
    clauses: BTreeMap<&'a str, Vec<usize>>,
}

fn write_version(
    site: &Site,
    alignment: &Alignment,
    index: usize,
    build_date: &str,
    text: &str,
) -> io::Result<Vec<u8>> {
    let page = &site.pages[index];
    let (Some(meta), Some(work)) = (
        page.version(),
        page.version().and_then(|v| site.work(&v.work)),
    ) else {
        return Err(io::Error::other("the page is not a version of a work"));
    };
    let expression = expression_iri(site, work, index);
    let version = Version {
        site,
        alignment,
        index,
        page,
        meta,
        work,
        position: work
            .versions
            .iter()
            .position(|&i| i == index)
            .unwrap_or_default(),
        links: PageLinks {
            site,
            page,
            expression: expression.clone(),
        },
        expression,
    };
    let notes = version.notes();
    let mut xml = Xml::new()?;
    xml.block("akomaNtoso", &[("xmlns", AKN_NAMESPACE)])?;
    let contains = if version.position == 0 {
        "originalVersion"
    } else {
        "singleVersion"
    };
    xml.block("act", &[("name", &work.id), ("contains", contains)])?;
    xml.block("meta", &[])?;
    version.identification(&mut xml, build_date)?;
    version.lifecycle(&mut xml)?;
    write_modifications(&mut xml, site, alignment, index, version.position + 1)?;
    version.references(&mut xml)?;
    xml.block("notes", &[("source", "#avtal")])?;
    for note in &notes.notes {
        xml.block("note", &[("eId", &note.eid), ("class", note.class)])?;
        if let Some(lead) = &note.lead {
            xml.leaf("p", &[], lead)?;
        }
        body::write_markdown(&mut xml, &note.text, &version.links)?;
        xml.close()?;
    }
    xml.close()?; // notes
    xml.close()?; // meta
    version.preface(&mut xml, &notes)?;
    version.body(&mut xml, &notes, text)?;
    xml.finish()
}

impl<'a> Version<'a> {
    /// The version's earlier versions and itself, oldest first.
    fn so_far(&self) -> &'a [usize] {
        &self.work.versions[..=self.position]
    }

    /// The step of the status history that ended the version's force (`ersatt` or
    /// `upphävd`), if it has one.
    fn ending_step(&self) -> Option<&'a StatusStep> {
        let (step, _) = crate::model::status::in_force(self.meta)?.until?;
        self.meta.status_history.get(step)
    }

    /// The version that replaced this one, when its status history says it was replaced.
    fn replacement(&self) -> Option<usize> {
        let replaced = self
            .ending_step()
            .is_some_and(|step| step.status == StepKind::Replaced);
        replaced
            .then(|| self.work.versions.get(self.position + 1).copied())
            .flatten()
    }

    /// What the end of the version's force refers to: the version that replaced it
    /// (`ro_ersatt`), or else the page the ending step cites as its source
    /// (`ro_upphor`), as (eId, href, shown as).
    fn ending_reference(&self) -> Option<(&'static str, String, String)> {
        let (site, work) = (self.site, self.work);
        if let Some(next_index) = self.replacement()
            && let Some(next) = site.pages[next_index].version()
        {
            return Some((
                "ro_ersatt",
                expression_iri(site, work, next_index),
                format!("{} ({})", work.short_title, next.version),
            ));
        }
        let source = self.ending_step()?.source.as_deref()?;
        let path = source.strip_prefix("@/").unwrap_or(source);
        let path = path.split_once('#').map_or(path, |(path, _)| path);
        let index = site.index_by_path(path)?;
        let page = &site.pages[index];
        let href = match (page.version(), page.document()) {
            (Some(v), _) => site.work(&v.work).map_or_else(
                || site.config.address(&page.url),
                |w| expression_iri(site, w, index),
            ),
            (None, Some(_)) => document::expression_iri(site, page),
            _ => site.config.address(&page.url),
        };
        Some(("ro_upphor", href, page.title().to_string()))
    }

    /// Editorial notes: the notice and the source on the title, lineage notes on the
    /// clauses they concern (or on the title for a removed clause).
    fn notes(&self) -> Notes<'a> {
        let meta = self.meta;
        let mut notes = Notes::default();
        if let Some(notice) = &meta.editorial_notice {
            notes.title.push(notes.notes.len());
            notes.notes.push(Note {
                eid: "note_anmarkning".into(),
                class: "anmarkning",
                text: notice.clone(),
                lead: None,
            });
        }
        notes.title.push(notes.notes.len());
        notes.notes.push(Note {
            eid: "note_kalla".into(),
            class: "kalla",
            text: meta.source.editorial.clone(),
            lead: Some(format!(
                "Källa: {} ({}).",
                meta.source.body, meta.source.file
            )),
        });
        let Some(step) = self
            .alignment
            .steps
            .iter()
            .find(|s| s.to_page == self.index)
        else {
            return notes;
        };
        let mut lineage_notes = 0;
        for group in &step.groups {
            let Some(text) = &group.note else { continue };
            lineage_notes += 1;
            let number = notes.notes.len();
            notes.notes.push(Note {
                eid: format!("note_harkomst_{lineage_notes}"),
                class: "harkomst",
                text: text.clone(),
                lead: None,
            });
            if group.to.is_empty() {
                notes.title.push(number);
            }
            for clause in &group.to {
                notes
                    .clauses
                    .entry(clause.as_str())
                    .or_default()
                    .push(number);
            }
        }
        notes
    }

    /// FRBR Work, Expression and Manifestation.
    fn identification(&self, xml: &mut Xml, build_date: &str) -> io::Result<()> {
        let (site, meta, work) = (self.site, self.meta, self.work);
        let (work_iri, work_date) = work_iri(site, work);
        let expression = &self.expression;
        xml.block("identification", &[("source", "#avtal")])?;
        xml.block("FRBRWork", &[])?;
        xml.empty("FRBRthis", &[("value", &format!("{work_iri}/!main"))])?;
        xml.empty("FRBRuri", &[("value", &work_iri)])?;
        let work_date = xsd_date(work_date.unwrap_or(meta.date));
        // Named for what the date is, whatever kind of text the work is.
        xml.empty("FRBRdate", &[("date", &work_date), ("name", "tillkomst")])?;
        xml.empty("FRBRauthor", &[("href", "#upphov")])?;
        xml.empty("FRBRcountry", &[("value", COUNTRY)])?;
        xml.empty("FRBRnumber", &[("value", &work.id)])?;
        xml.empty("FRBRname", &[("value", &work.short_title)])?;
        xml.close()?;
        xml.block("FRBRExpression", &[])?;
        xml.empty("FRBRthis", &[("value", &format!("{expression}/!main"))])?;
        xml.empty("FRBRuri", &[("value", expression)])?;
        let page_address = site.config.address(&self.page.url);
        xml.empty(
            "FRBRalias",
            &[("value", &page_address), ("name", "webbsida")],
        )?;
        xml.empty(
            "FRBRdate",
            &[("date", &xsd_date(meta.date)), ("name", "version")],
        )?;
        xml.empty("FRBRauthor", &[("href", "#upphov")])?;
        xml.empty("FRBRversionNumber", &[("value", &meta.version)])?;
        let language = language_code(&site.config.language);
        xml.empty("FRBRlanguage", &[("language", &language)])?;
        xml.close()?;
        xml.block("FRBRManifestation", &[])?;
        xml.empty("FRBRthis", &[("value", &format!("{expression}/!main.xml"))])?;
        xml.empty("FRBRuri", &[("value", &format!("{expression}.akn"))])?;
        let file_address = site
            .config
            .address(&routes::version_akn(&work.id, &meta.version));
        xml.empty("FRBRalias", &[("value", &file_address), ("name", "fil")])?;
        let generated = IsoDate::parse(build_date).map_or_else(|_| xsd_date(meta.date), xsd_date);
        xml.empty("FRBRdate", &[("date", &generated), ("name", "genererad")])?;
        xml.empty("FRBRauthor", &[("href", "#avtal")])?;
        xml.empty("FRBRformat", &[("value", "application/akn+xml")])?;
        xml.close()?;
        xml.close()
    }

    /// The versions up to this one, this version's own events, its replacement.
    fn lifecycle(&self, xml: &mut Xml) -> io::Result<()> {
        xml.block("lifecycle", &[("source", "#avtal")])?;
        for (n, &version_index) in self.so_far().iter().enumerate() {
            let Some(version) = self.site.pages[version_index].version() else {
                continue;
            };
            let kind = if n == 0 { "generation" } else { "amendment" };
            xml.empty(
                "eventRef",
                &[
                    ("eId", &format!("evt_version_{}", n + 1)),
                    ("date", &xsd_date(version.date)),
                    ("source", &format!("#ro_{}", n + 1)),
                    ("type", kind),
                ],
            )?;
        }
        for (n, event) in self.meta.events.iter().enumerate() {
            xml.empty(
                "eventRef",
                &[
                    ("eId", &format!("evt_handelse_{}", n + 1)),
                    ("date", &xsd_date(event.date)),
                    ("source", &format!("#ro_{}", self.position + 1)),
                    ("refersTo", &format!("#handelse_{}", n + 1)),
                ],
            )?;
        }
        // Dated as the step that ended it: the sources' date, not the next version's.
        // A step without a date gives no event (its reference stays).
        if let Some(date) = self.ending_step().and_then(|step| step.date)
            && let Some((reference, _, _)) = self.ending_reference()
        {
            let eid = if reference == "ro_ersatt" {
                "evt_ersatt"
            } else {
                "evt_upphor"
            };
            xml.empty(
                "eventRef",
                &[
                    ("eId", eid),
                    ("date", &xsd_date(date)),
                    ("source", &format!("#{reference}")),
                    ("type", "repeal"),
                ],
            )?;
        }
        xml.close()
    }

    /// The versions, who wrote the text and who published this file, the events.
    fn references(&self, xml: &mut Xml) -> io::Result<()> {
        let (site, meta, work) = (self.site, self.meta, self.work);
        xml.block("references", &[("source", "#avtal")])?;
        for (n, &version_index) in self.so_far().iter().enumerate() {
            let Some(version) = site.pages[version_index].version() else {
                continue;
            };
            let name = if n == 0 { "original" } else { "passiveRef" };
            let label = format!(
                "{} ({}, {})",
                work.short_title,
                version.version,
                crate::model::status::label(version)
            );
            xml.empty(
                name,
                &[
                    ("eId", &format!("ro_{}", n + 1)),
                    ("href", &expression_iri(site, work, version_index)),
                    ("showAs", &label),
                ],
            )?;
        }
        if let Some((eid, href, shown)) = self.ending_reference() {
            xml.empty(
                "passiveRef",
                &[("eId", eid), ("href", &href), ("showAs", &shown)],
            )?;
        }
        organisations(xml, site, meta.source.body.trim())?;
        for (n, event) in meta.events.iter().enumerate() {
            let href = format!(
                "/akn/ontology/events/{COUNTRY}/{}/{}-{}",
                work.id,
                meta.version,
                n + 1
            );
            xml.empty(
                "TLCEvent",
                &[
                    ("eId", &format!("handelse_{}", n + 1)),
                    ("href", &href),
                    (
                        "showAs",
                        &format!("{}: {}", event.date.swedish(), event.text),
                    ),
                ],
            )?;
        }
        xml.close()
    }

    /// The title with its notes, and the version's number, date and status.
    fn preface(&self, xml: &mut Xml, notes: &Notes) -> io::Result<()> {
        let meta = self.meta;
        xml.block("preface", &[])?;
        xml.block("longTitle", &[])?;
        xml.inline("p", &[])?;
        xml.leaf("docTitle", &[], &meta.title)?;
        notes.refs(xml, &notes.title)?;
        xml.close()?;
        xml.close()?;
        xml.inline("p", &[("class", "version")])?;
        xml.text("Version ")?;
        xml.leaf("docNumber", &[], &meta.version)?;
        xml.text(", ")?;
        xml.leaf(
            "docDate",
            &[("date", &xsd_date(meta.date))],
            &meta.date.swedish(),
        )?;
        xml.text(", ")?;
        xml.leaf("docStatus", &[], crate::model::status::label(meta))?;
        xml.close()?;
        xml.close()
    }

    /// Each clause a `<section>`: eId from its id, wId its identity across versions.
    fn body(&self, xml: &mut Xml, notes: &Notes, text: &str) -> io::Result<()> {
        let clauses = &self.page.body.clauses;
        xml.block("body", &[])?;
        if clauses.is_empty() {
            // The schema wants a body with content; a version without text has one
            // empty section.
            xml.block("section", &[("eId", "sec_tom")])?;
            xml.block("content", &[])?;
            xml.leaf("p", &[], "")?;
            xml.close()?;
            xml.close()?;
        }
        for clause in clauses {
            let eid = clause_eid(clause);
            let wid = self.alignment.lineage(self.index, &clause.id).map_or_else(
                || format!("{}-{}", self.meta.version, clause.id),
                |l| l.key.clone(),
            );
            xml.block("section", &[("eId", &eid), ("wId", &wid)])?;
            if let Some(number) = &clause.number_text {
                xml.leaf("num", &[], &format!("§ {number}"))?;
            }
            let refs = notes.clauses.get(clause.id.as_str());
            if !clause.title.is_empty() || refs.is_some() {
                xml.inline("heading", &[])?;
                xml.text(&clause.title)?;
                notes.refs(xml, refs.map_or(&[][..], Vec::as_slice))?;
                xml.close()?;
            }
            let events = crate::render::markdown::own_clause_links(
                crate::render::body_html::clause_events(clause, text),
                &self.page.body,
            );
            body::write_clause_content(xml, clause, events, &self.links)?;
            xml.close()?;
        }
        xml.close()
    }
}

impl Notes<'_> {
    /// `<noteRef>`s to the notes numbered `numbers`.
    fn refs(&self, xml: &mut Xml, numbers: &[usize]) -> io::Result<()> {
        for &n in numbers {
            let Some(note) = self.notes.get(n) else {
                continue;
            };
            xml.empty(
                "noteRef",
                &[
                    ("href", &format!("#{}", note.eid)),
                    ("marker", &(n + 1).to_string()),
                    ("class", note.class),
                ],
            )?;
        }
        Ok(())
    }
}

/// `<analysis>`: how the version came from the one its lineage names, as passive
/// modifications: which clauses are new (`insertion`), removed (`repeal`), renumbered
/// (`renumbering`), changed (`substitution`), split or joined. `reference` is the
/// number of this version's own `ro_N` in `<references>`. Nothing for a first version.
fn write_modifications(
    xml: &mut Xml,
    site: &Site,
    alignment: &Alignment,
    index: usize,
    reference: usize,
) -> io::Result<()> {
    let Some(step) = alignment.steps.iter().find(|s| s.to_page == index) else {
        return Ok(());
    };
    let Some(comparison) = alignment.comparison(step.from_page, index) else {
        return Ok(());
    };
    let (old_page, new_page) = (&site.pages[step.from_page], &site.pages[index]);
    let Some(work) = new_page.version().and_then(|v| site.work(&v.work)) else {
        return Ok(());
    };
    let previous = expression_iri(site, work, step.from_page);
    let eid = |page: &Page, id: &str| {
        page.body
            .clause(id)
            .map_or_else(|| format!("sec_{id}"), clause_eid)
    };
    let mut modifications: Vec<(&'static str, &crate::compare::Pair)> = Vec::new();
    for pair in &comparison.pairs {
        use crate::compare::ChangeKind;
        match (pair.from.len(), pair.to.len()) {
            (0, _) => modifications.push(("insertion", pair)),
            (_, 0) => modifications.push(("repeal", pair)),
            (1, 1) => {
                if eid(old_page, &pair.from[0]) != eid(new_page, &pair.to[0]) {
                    modifications.push(("renumbering", pair));
                }
                if pair.status == ChangeKind::Changed {
                    modifications.push(("substitution", pair));
                }
            }
            (1, _) => modifications.push(("split", pair)),
            (_, 1) => modifications.push(("join", pair)),
            _ => modifications.push(("replacement", pair)),
        }
    }
    if modifications.is_empty() {
        return Ok(());
    }
    xml.block("analysis", &[("source", "#avtal")])?;
    xml.block("passiveModifications", &[])?;
    for (n, (kind, pair)) in modifications.iter().enumerate() {
        xml.block(
            "textualMod",
            &[("type", kind), ("eId", &format!("pmod_{}", n + 1))],
        )?;
        xml.empty("source", &[("href", &format!("#ro_{reference}"))])?;
        if pair.to.is_empty() {
            // A removed clause is only in the earlier version.
            for id in &pair.from {
                let href = format!("{previous}/~{}", eid(old_page, id));
                xml.empty("destination", &[("href", &href)])?;
            }
        } else {
            for id in &pair.to {
                let href = format!("#{}", eid(new_page, id));
                xml.empty("destination", &[("href", &href)])?;
            }
            // The schema allows one `previous`: the first of the earlier clauses.
            if let Some(id) = pair.from.first() {
                let href = format!("{previous}/~{}", eid(old_page, id));
                xml.empty("previous", &[("href", &href)])?;
            }
        }
        xml.close()?;
    }
    xml.close()?;
    xml.close()
}

/// An ASCII slug of `text` for an ontology address, or `fallback` when it has no letters.
/// The two organisations every file names: the text's author (`upphov`) and the site's
/// publisher (`avtal`), the title standing in for a publisher not given.
fn organisations(xml: &mut Xml, site: &Site, author: &str) -> io::Result<()> {
    let publisher = site
        .config
        .publisher
        .as_deref()
        .unwrap_or(&site.config.title);
    for (eid, name) in [("upphov", author), ("avtal", publisher)] {
        let href = format!(
            "/akn/ontology/organizations/{COUNTRY}/{}",
            slug_or(name, eid)
        );
        xml.empty(
            "TLCOrganization",
            &[("eId", eid), ("href", &href), ("showAs", name)],
        )?;
    }
    Ok(())
}

fn slug_or(text: &str, fallback: &str) -> String {
    let slug = slug(text);
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}
