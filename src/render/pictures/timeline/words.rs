//! The timeline's Swedish copy: how a version, document, event and year summary is
//! labelled and named, and the texts around the figure. No layout and no markup.

use crate::model::meta::{DocumentType, Event, IsoDate};
use crate::model::status;
use crate::model::{Page, PageKind, Site};
use crate::render::pictures::svg::escape;
use crate::render::swedish;

/// `80 beslut`, `1 skrivelse`, `3 tjänsteutlåtanden`.
pub fn count_of(count: usize, doc_type: DocumentType) -> String {
    let (one, many) = match doc_type {
        DocumentType::ConsultationResponse => ("remissvar", "remissvar"),
        DocumentType::OfficialReport => ("tjänsteutlåtande", "tjänsteutlåtanden"),
        DocumentType::ProposedDecision => ("förslag till beslut", "förslag till beslut"),
        DocumentType::Decision => ("beslut", "beslut"),
        DocumentType::Letter => ("skrivelse", "skrivelser"),
        DocumentType::Minutes => ("protokoll", "protokoll"),
        DocumentType::Other => ("annat dokument", "andra dokument"),
    };
    format!("{count} {}", if count == 1 { one } else { many })
}

/// What a year holds: `3 versioner, 350 dokument och 12 händelser`, kinds it has none
/// of left out.
pub fn year_counts(versions: usize, documents: usize, events: usize) -> String {
    let parts: Vec<String> = [
        (versions, "version", "versioner"),
        (documents, "dokument", "dokument"),
        (events, "händelse", "händelser"),
    ]
    .into_iter()
    .filter(|&(count, _, _)| count > 0)
    .map(|(count, one, many)| format!("{count} {}", if count == 1 { one } else { many }))
    .collect();
    swedish::list(&parts)
}

/// A version or document as the figure labels it (`label`), names it to a screen
/// reader (`name`) and the year's list describes it (`meta`).
pub struct Described {
    pub label: String,
    pub name: String,
    pub meta: String,
}

/// `None` for a plain page, which the timeline does not show.
pub fn describe(site: &Site, page: &Page, date: IsoDate) -> Option<Described> {
    let several_works = site.works.len() > 1;
    Some(match &page.kind {
        PageKind::Version(v) => {
            let of_work = site
                .work(&v.work)
                .map_or(v.work.clone(), |w| w.short_title.clone());
            let label = if several_works {
                format!("{of_work} {}", v.version)
            } else {
                format!("Version {}", v.version)
            };
            Described {
                label: format!("{label} ({})", status::label(v)),
                name: format!(
                    "{}: version {} av {of_work}, {}",
                    date.swedish(),
                    v.version,
                    status::label(v)
                ),
                meta: if several_works {
                    format!("{of_work}, version {} ({})", v.version, status::label(v))
                } else {
                    format!("version {} ({})", v.version, status::label(v))
                },
            }
        }
        PageKind::Document(d) => Described {
            label: format!(
                "{}: {}",
                swedish::capitalised(d.doc_type.swedish()),
                d.organisation
            ),
            name: format!(
                "{}: {} från {}, ”{}”",
                date.swedish(),
                d.doc_type.swedish(),
                d.organisation,
                d.title
            ),
            meta: format!("{}, {}", d.doc_type.swedish(), d.organisation),
        },
        PageKind::Plain(_) => return None,
    })
}

/// An event's name to a screen reader: its date, its text and its source.
pub fn event_name(date: IsoDate, event: &Event, source: &Page) -> String {
    format!(
        "{}: {} Källa: {}",
        date.swedish(),
        event.text,
        source.title()
    )
}

/// The labels of a year's summary of versions, documents (`document_types`: each type
/// and how many) or events.
pub fn versions_summary(count: usize) -> String {
    format!("{count} versioner")
}

pub fn documents_summary(count: usize) -> String {
    format!("{count} dokument")
}

/// What follows a documents summary's label in its name: `: 80 beslut och 3 remissvar`.
pub fn documents_summary_detail(document_types: &[(DocumentType, usize)]) -> String {
    let types: Vec<String> = document_types
        .iter()
        .map(|&(doc_type, n)| count_of(n, doc_type))
        .collect();
    format!(": {}", swedish::list(&types))
}

pub fn events_summary(count: usize) -> String {
    format!("{count} händelser")
}

/// A summary's name to a screen reader, saying where it leads: the year's own page, or
/// the year's list under the figure.
pub fn summary_name(year: u16, label: &str, detail: &str, to_year_page: bool) -> String {
    let opens = if to_year_page {
        "Öppnar årets sida."
    } else {
        "Öppnar årets lista under bilden."
    };
    format!("{year}: {label}{detail}. {opens}")
}

/// A split timeline's page for one year: its title and description.
pub fn year_page_title(year: u16) -> String {
    format!("Tidslinje {year}")
}

pub fn year_page_description(year: u16, counts: &str) -> String {
    format!("Versionerna, dokumenten och händelserna år {year}: {counts}.")
}

/// The legend's entries for the kinds of mark that every timeline has.
pub const DOCUMENT_LEGEND: &str = "annat dokument";
pub const DAY_EVENT_LEGEND: &str = "händelse på en dag";
pub const PERIOD_EVENT_LEGEND: &str = "händelse daterad till månad eller år";

/// The link past the figure's marks, for keyboard users.
pub const SKIP_LINK: &str = "Hoppa förbi bildens länkar";

/// The scrolling region's name.
pub const SCROLL_REGION: &str = "Tidslinje i skala (rullbar bild)";

/// The texts in and around the figure. `split`: the lists are on a page per year;
/// `summarised`: some year has a summary mark.
pub struct FigureWords {
    /// The SVG's title.
    pub title: String,
    /// The SVG's description.
    pub description: String,
    /// The legend's entry for a version.
    pub version_legend: String,
    /// The legend's entry for a summary, when there is one.
    pub summary_legend: Option<String>,
    /// The caption under the figure.
    pub caption: String,
}

pub fn figure_words(
    first: u16,
    last: u16,
    split: bool,
    summarised: bool,
    only_work: Option<&str>,
) -> FigureWords {
    // Where the text of the figure is: under it, or on a page per year.
    let (year_list, list_desc, list_caption) = if split {
        (
            "årets egen sida",
            "Samma uppgifter finns som text på en sida för varje år, länkad från listan under bilden.",
            "Listan under bilden leder till en sida för varje år, som ger samma uppgifter i text.",
        )
    } else {
        (
            "årets lista under bilden",
            "Samma uppgifter finns som lista under bilden, år för år.",
            "Listan under bilden ger samma uppgifter i text, år för år.",
        )
    };
    let summary_desc = if summarised {
        format!(
            " Ett år med många versioner, dokument eller händelser har en enda markering för dem, ett streck över året som leder till {year_list}."
        )
    } else {
        String::new()
    };
    let year_list_or_page = if split { "sida" } else { "lista" };
    let summary_caption = if summarised {
        format!(
            "; ett år med många versioner, dokument eller händelser har en samlad markering för dem som leder till årets {year_list_or_page}"
        )
    } else {
        String::new()
    };
    FigureWords {
        title: format!("Tidslinje {first}–{last} i skala"),
        description: format!(
            "En linjal med ett fält per år. Ovanför linjalen står versionerna (fyrkanter) och de andra dokumenten (cirklar) på sina datum, under den händelserna som källorna anger. En händelse som bara är daterad till månad eller år är ett streck över hela den perioden. Varje markering är en länk till dokumentet.{summary_desc} {list_desc}"
        ),
        // The legend is HTML: the work's short title escaped.
        version_legend: match only_work {
            Some(short_title) => format!("version av {}", escape(short_title)),
            None => "version".to_string(),
        },
        summary_legend: summarised
            .then(|| format!("många av ett slag under året: leder till årets {year_list_or_page}")),
        caption: format!(
            "Tidslinjen i skala, {first}–{last}: dokumenten ovanför årslinjalen, händelserna under den. Varje markering leder till dokumentet{summary_caption}. {list_caption}"
        ),
    }
}
