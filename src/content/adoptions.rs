//! `content/antaganden.yaml`: which municipalities adopted which version, as far as the
//! sources say. Anything not stated is shown as unknown, never guessed.

use serde::{Deserialize, Serialize};

use crate::content::front_matter;
use crate::content::meta::IsoDate;
use crate::diagnostics::{Diagnostic, SourceText};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adoptions {
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
    /// Work id; may be left out when the site has one work.
    #[serde(default)]
    pub work: Option<String>,
}

impl Adoptions {
    pub fn parse(source: &SourceText) -> Result<Adoptions, Diagnostic> {
        let split = front_matter::Split {
            yaml: &source.text,
            yaml_line: 1,
            body: "",
            body_offset: source.text.len(),
        };
        let mut adoptions: Adoptions = front_matter::parse(source, &split)?;
        for fact in &adoptions.facts {
            if let Who::All(word) = &fact.who
                && word != "all"
            {
                let line = source
                    .text
                    .lines()
                    .position(|l| l.contains(&format!("who: {word}")))
                    .map_or(1, |n| n + 1);
                return Err(Diagnostic::error(
                    &source.name,
                    format!("`who: {word}` is neither `all` nor a list of municipalities"),
                )
                .at_line(source, line, 1)
                .with_help("write `who: all` or `who: [Ekerö, Solna]`"));
            }
            if let Who::Some(names) = &fact.who {
                for name in names {
                    if !adoptions.municipalities.contains(name) {
                        let line = source
                            .text
                            .lines()
                            .position(|l| l.contains("who:") && l.contains(name.as_str()))
                            .map_or(1, |n| n + 1);
                        return Err(Diagnostic::error(
                            &source.name,
                            format!("`{name}` is not in the list of municipalities"),
                        )
                        .at_line(source, line, 1)
                        .with_help("check the spelling against `municipalities:`"));
                    }
                }
            }
        }
        adoptions.source = Some(source.clone());
        Ok(adoptions)
    }

    /// The facts that apply to one municipality and version.
    pub fn facts_for<'a>(
        &'a self,
        municipality: &'a str,
        version: &'a str,
    ) -> impl Iterator<Item = &'a AdoptionFact> {
        self.facts.iter().filter(move |f| {
            f.version == version
                && match &f.who {
                    Who::All(_) => true,
                    Who::Some(names) => names.iter().any(|n| n == municipality),
                }
        })
    }
}
