//! The typed front matter of each kind of content file, and the dates in it. The
//! field names and forms are the files' (serde reads them); `content` reads the files
//! and reports problems with them.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::dates::days_in_month;

/// A date as the sources give it: a year, a month, or a day.
/// ISO in data (`2009-03-26`, `2010-12`, `2009`); written out in Swedish on pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

impl IsoDate {
    pub fn parse(text: &str) -> Result<IsoDate, String> {
        let bad = || {
            format!(
                "`{text}` is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY where the source gives no day)"
            )
        };
        let parts: Vec<&str> = text.trim().split('-').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        let number = |s: &str, len: usize| -> Result<u16, String> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let year = number(parts[0], 4)?;
        let month = parts
            .get(1)
            .map(|m| number(m, 2))
            .transpose()?
            .map(|m| m as u8);
        let day = parts
            .get(2)
            .map(|d| number(d, 2))
            .transpose()?
            .map(|d| d as u8);
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(format!("`{text}`: there is no month {m}"));
            }
            if let Some(d) = day
                && (d == 0 || d > days_in_month(year, m))
            {
                return Err(format!(
                    "`{text}`: {} has no day {d}",
                    MONTHS[m as usize - 1]
                ));
            }
        }
        Ok(IsoDate { year, month, day })
    }

    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// Swedish running-text form: `26 mars 2009`, `december 2010`, `2009`.
    pub fn swedish(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Year(u16),
        }
        let text = match Raw::deserialize(deserializer)
            .map_err(|_| serde::de::Error::custom("expected a date such as 2009-03-26"))?
        {
            Raw::Text(t) => t,
            Raw::Year(y) => y.to_string(),
        };
        IsoDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Where the text came from and what the editors did to it ("Källa och redigering").
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub file: String,
    pub body: String,
    #[serde(default)]
    pub identifiers: Vec<String>,
    pub editorial: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub date: IsoDate,
    pub text: String,
}

/// The old one-word status, chosen by an editor with no source. Still read so that
/// older content loads, but never shown: `check` warns and asks for `status_history`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum LegacyStatus {
    #[serde(rename = "förslag")]
    Proposal,
    #[serde(rename = "gällande")]
    InForce,
    #[serde(rename = "ersatt")]
    Superseded,
}

impl LegacyStatus {
    pub fn swedish(self) -> &'static str {
        match self {
            LegacyStatus::Proposal => "förslag",
            LegacyStatus::InForce => "gällande",
            LegacyStatus::Superseded => "ersatt",
        }
    }
}

/// What happened to a version, one step as a source states it.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// A proposed text (a draft, a "justerat förslag").
    #[serde(rename = "förslag")]
    Proposal,
    /// Sent out for comments.
    #[serde(rename = "remiss")]
    Consultation,
    /// Recommended for adoption (by whom, only if the source says).
    #[serde(rename = "rekommenderad")]
    Recommended,
    /// Proposed for adoption in a decision-making body.
    #[serde(rename = "föreslagen")]
    ProposedForAdoption,
    /// Adopted: from here the version applies (see [`StepKind::starts_force`]).
    #[serde(rename = "antagen")]
    Adopted,
    /// The source gives the day it applies from.
    #[serde(rename = "gäller")]
    AppliesFrom,
    /// Replaced by a later version.
    #[serde(rename = "ersatt")]
    Replaced,
    /// Repealed, cancelled or ended.
    #[serde(rename = "upphävd")]
    Repealed,
}

impl StepKind {
    /// How a page writes the step: `rekommenderad`, `gäller från`.
    pub fn swedish(self) -> &'static str {
        match self {
            StepKind::Proposal => "förslag",
            StepKind::Consultation => "skickad på remiss",
            StepKind::Recommended => "rekommenderad",
            StepKind::ProposedForAdoption => "föreslagen för antagande",
            StepKind::Adopted => "antagen",
            StepKind::AppliesFrom => "gäller från",
            StepKind::Replaced => "ersatt",
            StepKind::Repealed => "upphävd",
        }
    }

    /// As written in the front matter.
    pub fn keyword(self) -> &'static str {
        match self {
            StepKind::Proposal => "förslag",
            StepKind::Consultation => "remiss",
            StepKind::Recommended => "rekommenderad",
            StepKind::ProposedForAdoption => "föreslagen",
            StepKind::Adopted => "antagen",
            StepKind::AppliesFrom => "gäller",
            StepKind::Replaced => "ersatt",
            StepKind::Repealed => "upphävd",
        }
    }

    /// From this step on the version applies, by what the sources say.
    pub fn starts_force(self) -> bool {
        matches!(self, StepKind::Adopted | StepKind::AppliesFrom)
    }

    /// From this step on the version no longer applies.
    pub fn ends_force(self) -> bool {
        matches!(self, StepKind::Replaced | StepKind::Repealed)
    }
}

/// One step of a version's status history, with the source that states it. A step
/// without `source` is refused by `check` (its line named): the site shows no status
/// that a reader cannot follow to a source.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StatusStep {
    pub status: StepKind,
    /// As the source gives it; none where the source gives none ("datum saknas i källan").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<IsoDate>,
    /// Who took the step, only as the source names them (`länets samtliga kommuner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// `@/path.md#anchor`: the document, and where in it, that states the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The source's own words for the step, quoted on the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// What the source leaves open, in the editors' words (Markdown, `@/` links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One declared step of lineage: these clauses of the earlier version continue as
/// those of this one. `from: []` is a new clause, `to: []` a removed one. No two entries
/// of a version may declare the same link (checked when versions are aligned).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineageEntry {
    pub from: Vec<String>,
    pub to: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineageDecl {
    /// Version id of the earlier version.
    pub from: String,
    #[serde(default)]
    pub clauses: Vec<LineageEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VersionMeta {
    pub kind: String,
    pub work: String,
    pub version: String,
    pub date: IsoDate,
    /// The old one-word status (see [`LegacyStatus`]): read, warned about, never shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LegacyStatus>,
    /// What the sources say happened to the version, oldest step first.
    #[serde(default)]
    pub status_history: Vec<StatusStep>,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub editorial_notice: Option<String>,
    pub source: Provenance,
    #[serde(default)]
    pub lineage: Option<LineageDecl>,
    #[serde(default)]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum DocumentType {
    #[serde(rename = "remissvar")]
    ConsultationResponse,
    #[serde(rename = "tjänsteutlåtande")]
    OfficialReport,
    /// A proposed decision put to a board: not a decision taken.
    #[serde(rename = "förslag till beslut")]
    ProposedDecision,
    #[serde(rename = "beslut")]
    Decision,
    #[serde(rename = "skrivelse")]
    Letter,
    #[serde(rename = "protokoll")]
    Minutes,
    #[serde(rename = "annat")]
    Other,
}

impl DocumentType {
    pub fn swedish(self) -> &'static str {
        match self {
            DocumentType::ConsultationResponse => "remissvar",
            DocumentType::OfficialReport => "tjänsteutlåtande",
            DocumentType::ProposedDecision => "förslag till beslut",
            DocumentType::Decision => "beslut",
            DocumentType::Letter => "skrivelse",
            DocumentType::Minutes => "protokoll",
            DocumentType::Other => "annat",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    pub kind: String,
    #[serde(rename = "type")]
    pub doc_type: DocumentType,
    pub title: String,
    pub organisation: String,
    /// As precise as the sources allow (a year where they give no day).
    pub date: IsoDate,
    /// Where `date` comes from when the source gives the document no date of its own,
    /// shown beside it ("Datum").
    #[serde(default)]
    pub date_note: Option<String>,
    #[serde(default)]
    pub dnr: Option<String>,
    /// `work/version` ids of the versions the document concerns: each must be one, and
    /// listed once (`content::consistency`).
    #[serde(default)]
    pub concerns: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    pub source: Provenance,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub signatories: Vec<Signatory>,
}

/// A plain page of the site (about, accessibility statement).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlainMeta {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub date: Option<IsoDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_print_in_swedish() {
        let d = IsoDate::parse("2009-03-26").unwrap();
        assert_eq!(d.swedish(), "26 mars 2009");
        assert_eq!(d.to_string(), "2009-03-26");
        assert_eq!(
            IsoDate::parse("2010-12").unwrap().swedish(),
            "december 2010"
        );
        assert_eq!(IsoDate::parse("2009").unwrap().swedish(), "2009");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(IsoDate::parse("2009-02-30").is_err());
        assert!(IsoDate::parse("2009-13-01").is_err());
        assert!(IsoDate::parse("26 mars 2009").is_err());
        assert!(IsoDate::parse("2008-02-29").is_ok());
    }
}
