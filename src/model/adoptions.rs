//! `content/antaganden.yaml`: which municipalities adopted which version, as far as the
//! sources say. Anything not stated is shown as unknown, never guessed. Read and checked
//! by `content::adoptions`.

use serde::{Deserialize, Serialize};

use super::meta::IsoDate;
use crate::diagnostics::SourceText;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adoptions {
    /// Where the list of municipalities comes from, and what the sources leave open
    /// (Markdown, `@/` links), shown above the table.
    #[serde(default)]
    pub note: Option<String>,
    pub municipalities: Vec<String>,
    #[serde(default)]
    pub facts: Vec<AdoptionFact>,
    #[serde(skip)]
    pub source: Option<SourceText>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Who {
    /// `all`: every municipality of the county.
    All(String),
    Some(Vec<String>),
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum AdoptionStatus {
    #[serde(rename = "antagen")]
    Adopted,
    #[serde(rename = "föreslagen")]
    Proposed,
    #[serde(rename = "okänd")]
    Unknown,
}

impl AdoptionStatus {
    pub fn swedish(self) -> &'static str {
        match self {
            AdoptionStatus::Adopted => "antagen",
            AdoptionStatus::Proposed => "föreslagen för antagande",
            AdoptionStatus::Unknown => "okänt",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdoptionFact {
    pub version: String,
    pub who: Who,
    pub status: AdoptionStatus,
    #[serde(default)]
    pub date: Option<IsoDate>,
    pub text: String,
    /// `@/` link to the document that states the fact.
    pub source: String,
    /// Work id; may be left out when only one work has a version of this id.
    #[serde(default)]
    pub work: Option<String>,
}

impl Adoptions {
    /// The facts that apply to one municipality and one version of a work.
    pub fn facts_for<'a>(
        &'a self,
        municipality: &'a str,
        work: &'a str,
        version: &'a str,
    ) -> impl Iterator<Item = &'a AdoptionFact> {
        self.facts.iter().filter(move |f| {
            f.version == version
                // A fact without a work is about the one work with this version (checked
                // on load).
                && f.work.as_deref().is_none_or(|w| w == work)
                && match &f.who {
                    Who::All(_) => true,
                    Who::Some(names) => names.iter().any(|n| n == municipality),
                }
        })
    }
}
