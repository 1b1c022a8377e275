//! A related document (remissvar, beslut, …) as an Akoma Ntoso `<doc>`: identified as
//! `/akn/se/doc/TYPE/DATE/NAME` (TYPE the document type's slug, NAME its file name),
//! with its organisation, date, diarienummer and the versions it concerns in the
//! preface, its sections in `<mainBody>` and its signatories in `<conclusions>`.

use std::io;

use super::body::{self, clause_eid};
use super::xml::Xml;
use super::{
    AKN_NAMESPACE, COUNTRY, Note, PageLinks, expression_iri as version_iri, language_code,
    organisations, slug_or, xsd_date,
};
use crate::content::body::slug;
use crate::diagnostics::Diagnostic;
use crate::model::{Page, Site};

/// The Work IRI of the document `page`: `/akn/se/doc/beslut/2013-11-05/ekero-beslut-2013`
/// (a year alone where the sources give no day: `/akn/se/doc/remissvar/2008/…`).
fn work_iri(page: &Page) -> String {
    let name = page
        .url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let (kind, date) = page.document().map_or((String::new(), String::new()), |m| {
        (slug(m.doc_type.swedish()), m.date.to_string())
    });
    format!("/akn/{COUNTRY}/doc/{kind}/{date}/{name}")
}

/// The Expression IRI of the document `page` (its only version).
pub fn expression_iri(site: &Site, page: &Page) -> String {
    let date = page.date().map(|d| d.to_string()).unwrap_or_default();
    format!(
        "{}/{}@{date}",
        work_iri(page),
        language_code(&site.config.language)
    )
}

/// The Akoma Ntoso document of the related document at `index`. Fails only when its
/// file cannot be read again.
pub fn document_xml(site: &Site, index: usize, build_date: &str) -> Result<Vec<u8>, Diagnostic> {
    let page = &site.pages[index];
    let text = page.source.text()?;
    write(site, page, build_date, &text).map_err(|err| {
        Diagnostic::error(
            &page.source.name,
            format!("the Akoma Ntoso file could not be written: {err}"),
        )
    })
}

fn write(site: &Site, page: &Page, build_date: &str, text: &str) -> io::Result<Vec<u8>> {
    let Some(meta) = page.document() else {
        return Err(io::Error::other("the page is not a related document"));
    };
    let work = work_iri(page);
    let expression = expression_iri(site, page);
    let links = PageLinks {
        site,
        page,
        expression: expression.clone(),
    };
    let date = xsd_date(meta.date);
    let kind = meta.doc_type.swedish();
    let source_note = Note {
        eid: "note_kalla".into(),
        class: "kalla",
        text: meta.source.editorial.clone(),
        lead: Some(format!(
            "Källa: {} ({}).",
            meta.source.body, meta.source.file
        )),
    };

    let mut xml = Xml::new()?;
    xml.block("akomaNtoso", &[("xmlns", AKN_NAMESPACE)])?;
    xml.block("doc", &[("name", kind), ("contains", "originalVersion")])?;
    xml.block("meta", &[])?;

    xml.block("identification", &[("source", "#avtal")])?;
    xml.block("FRBRWork", &[])?;
    xml.empty("FRBRthis", &[("value", &format!("{work}/!main"))])?;
    xml.empty("FRBRuri", &[("value", &work)])?;
    xml.empty("FRBRdate", &[("date", &date), ("name", kind)])?;
    xml.empty("FRBRauthor", &[("href", "#upphov")])?;
    xml.empty("FRBRcountry", &[("value", COUNTRY)])?;
    xml.empty("FRBRsubtype", &[("value", &slug(kind))])?;
    if let Some(dnr) = &meta.dnr {
        xml.empty("FRBRnumber", &[("value", dnr)])?;
    }
    xml.empty("FRBRname", &[("value", &meta.title)])?;
    xml.close()?;
    xml.block("FRBRExpression", &[])?;
    xml.empty("FRBRthis", &[("value", &format!("{expression}/!main"))])?;
    xml.empty("FRBRuri", &[("value", &expression)])?;
    let page_address = site.config.address(&page.url);
    xml.empty(
        "FRBRalias",
        &[("value", &page_address), ("name", "webbsida")],
    )?;
    xml.empty("FRBRdate", &[("date", &date), ("name", kind)])?;
    xml.empty("FRBRauthor", &[("href", "#upphov")])?;
    let language = language_code(&site.config.language);
    xml.empty("FRBRlanguage", &[("language", &language)])?;
    xml.close()?;
    xml.block("FRBRManifestation", &[])?;
    xml.empty("FRBRthis", &[("value", &format!("{expression}/!main.xml"))])?;
    xml.empty("FRBRuri", &[("value", &format!("{expression}.akn"))])?;
    let file_address = site.config.address(&crate::routes::document_akn(&page.url));
    xml.empty("FRBRalias", &[("value", &file_address), ("name", "fil")])?;
    let generated =
        crate::model::meta::IsoDate::parse(build_date).map_or_else(|_| date.clone(), xsd_date);
    xml.empty("FRBRdate", &[("date", &generated), ("name", "genererad")])?;
    xml.empty("FRBRauthor", &[("href", "#avtal")])?;
    xml.empty("FRBRformat", &[("value", "application/akn+xml")])?;
    xml.close()?;
    xml.close()?; // identification

    xml.block("lifecycle", &[("source", "#avtal")])?;
    xml.empty(
        "eventRef",
        &[
            ("eId", "evt_dokument"),
            ("date", &date),
            ("source", "#ro_1"),
            ("type", "generation"),
        ],
    )?;
    for (n, event) in meta.events.iter().enumerate() {
        xml.empty(
            "eventRef",
            &[
                ("eId", &format!("evt_handelse_{}", n + 1)),
                ("date", &xsd_date(event.date)),
                ("source", "#ro_1"),
                ("refersTo", &format!("#handelse_{}", n + 1)),
            ],
        )?;
    }
    xml.close()?;

    xml.block("references", &[("source", "#avtal")])?;
    xml.empty(
        "original",
        &[
            ("eId", "ro_1"),
            ("href", &expression),
            ("showAs", &meta.title),
        ],
    )?;
    organisations(&mut xml, site, meta.organisation.trim())?;
    for (n, signatory) in meta.signatories.iter().enumerate() {
        let href = format!(
            "/akn/ontology/persons/{COUNTRY}/{}",
            slug_or(&signatory.name, "person")
        );
        xml.empty(
            "TLCPerson",
            &[
                ("eId", &format!("person_{}", n + 1)),
                ("href", &href),
                ("showAs", &signatory.name),
            ],
        )?;
    }
    for (n, event) in meta.events.iter().enumerate() {
        let name = page
            .url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let href = format!("/akn/ontology/events/{COUNTRY}/{name}-{}", n + 1);
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
    xml.close()?; // references

    xml.block("notes", &[("source", "#avtal")])?;
    xml.block(
        "note",
        &[("eId", &source_note.eid), ("class", source_note.class)],
    )?;
    if let Some(lead) = &source_note.lead {
        xml.leaf("p", &[], lead)?;
    }
    body::write_markdown(&mut xml, &source_note.text, &links)?;
    xml.close()?;
    xml.close()?; // notes
    xml.close()?; // meta

    xml.block("preface", &[])?;
    xml.block("longTitle", &[])?;
    xml.inline("p", &[])?;
    xml.leaf("docTitle", &[], &meta.title)?;
    xml.empty(
        "noteRef",
        &[("href", "#note_kalla"), ("marker", "1"), ("class", "kalla")],
    )?;
    xml.close()?;
    xml.close()?;
    xml.inline("p", &[("class", "dokument")])?;
    xml.leaf("docType", &[], kind)?;
    xml.text(", ")?;
    xml.leaf("docProponent", &[], &meta.organisation)?;
    xml.text(", ")?;
    xml.leaf("docDate", &[("date", &date)], &meta.date.swedish())?;
    if let Some(dnr) = &meta.dnr {
        xml.text(", dnr ")?;
        xml.leaf("docNumber", &[], dnr)?;
    }
    xml.close()?;
    let concerned: Vec<(String, String)> = meta
        .concerns
        .iter()
        .filter_map(|c| {
            let (work_id, version) = c.split_once('/')?;
            let work = site.work(work_id)?;
            let index = work.versions.iter().copied().find(|&i| {
                site.pages[i]
                    .version()
                    .is_some_and(|v| v.version == version)
            })?;
            Some((
                version_iri(site, work, index),
                format!("{} ({version})", work.short_title),
            ))
        })
        .collect();
    if !concerned.is_empty() {
        xml.inline("p", &[("class", "galler")])?;
        xml.text("Gäller: ")?;
        for (n, (href, label)) in concerned.iter().enumerate() {
            if n > 0 {
                xml.text(", ")?;
            }
            xml.leaf("ref", &[("href", href)], label)?;
        }
        xml.close()?;
    }
    xml.close()?; // preface

    xml.block("mainBody", &[])?;
    if page.body.clauses.is_empty() {
        xml.leaf("p", &[], "")?;
    }
    for clause in &page.body.clauses {
        let eid = clause_eid(clause);
        xml.block("section", &[("eId", &eid)])?;
        if let Some(number) = &clause.number_text {
            xml.leaf("num", &[], &format!("§ {number}"))?;
        }
        if !clause.title.is_empty() {
            xml.leaf("heading", &[], &clause.title)?;
        }
        body::write_clause_content(
            &mut xml,
            clause,
            crate::render::body_html::clause_events(clause, text),
            &links,
        )?;
        xml.close()?;
    }
    xml.close()?; // mainBody

    if !meta.signatories.is_empty() {
        xml.block("conclusions", &[])?;
        for (n, signatory) in meta.signatories.iter().enumerate() {
            xml.inline("p", &[("class", "underskrift")])?;
            xml.leaf(
                "person",
                &[("refersTo", &format!("#person_{}", n + 1))],
                &signatory.name,
            )?;
            if let Some(title) = &signatory.title {
                xml.text(", ")?;
                xml.text(title)?;
            }
            xml.close()?;
        }
        xml.close()?;
    }
    xml.finish()
}
