//! Reading `content/antaganden.yaml` into [`Adoptions`], and checking what its facts
//! name against the site.

use std::collections::{HashMap, HashSet};

use crate::content::consistency::{Names, listed};
use crate::content::{front_matter, links};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::adoptions::{Adoptions, Who};

/// Reads antaganden.yaml's text, or says what is wrong with it.
pub fn parse(source: &SourceText) -> Result<Adoptions, Diagnostic> {
    let split = front_matter::Split {
        yaml: &source.text,
        yaml_line: 1,
        body: "",
        body_offset: source.text.len(),
    };
    let mut adoptions: Adoptions = front_matter::parse(source, &split)?;
    let places = Places::new(source, adoptions.facts.len());
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let listed = front_matter::scalar_positions(
        &source.text,
        places.municipalities,
        adoptions.municipalities.iter().map(String::as_str),
    );
    let line_of = |index: usize| {
        listed
            .get(index)
            .copied()
            .flatten()
            .map_or((places.municipalities + 1, 1), |(line, column)| {
                (line + 1, column + 1)
            })
    };
    for (index, name) in adoptions.municipalities.iter().enumerate() {
        if let Some(&first) = first_of.get(name.as_str()) {
            let (line, column) = line_of(index);
            return Err(Diagnostic::error(
                &source.name,
                format!(
                    "`{name}` is listed twice in `municipalities` (first at line {})",
                    line_of(first).0
                ),
            )
            .at_line(source, line, column)
            .with_help("list each municipality once: the table has a row for each"));
        }
        first_of.insert(name, index);
    }
    for (index, fact) in adoptions.facts.iter().enumerate() {
        let who_line = places.field(index, "who");
        if let Who::All(word) = &fact.who
            && word != "all"
        {
            return Err(Diagnostic::error(
                &source.name,
                format!("`who: {word}` is neither `all` nor a list of municipalities"),
            )
            .at_line(source, who_line, 1)
            .with_help("write `who: all` or `who: [Ekerö, Solna]`"));
        }
        if let Who::Some(names) = &fact.who {
            let mut seen = HashSet::new();
            for name in names {
                let problem = if !first_of.contains_key(name.as_str()) {
                    Diagnostic::error(
                        &source.name,
                        format!("`{name}` is not in the list of municipalities"),
                    )
                    .with_help("check the spelling against `municipalities:`")
                } else if !seen.insert(name.as_str()) {
                    Diagnostic::error(&source.name, format!("`who` names `{name}` twice"))
                        .with_help("name each municipality once")
                } else {
                    continue;
                };
                return Err(problem.at_line(source, who_line, 1));
            }
        }
    }
    adoptions.source = Some(source.clone());
    Ok(adoptions)
}

/// What the facts name, looked up in the site: each fact's work, its version, and
/// the document its `source` links to. `unloaded` are content files that exist but
/// did not load (a link into one is not reported).
pub fn check(
    adoptions: &Adoptions,
    names: &Names<'_>,
    unloaded: &HashSet<String>,
) -> Vec<Diagnostic> {
    let Some(source) = &adoptions.source else {
        return Vec::new();
    };
    let site = names.site;
    let places = Places::new(source, adoptions.facts.len());
    let work_ids = || {
        let ids: Vec<String> = site.works.iter().map(|w| w.id.clone()).collect();
        listed(&ids)
    };
    let mut problems = Vec::new();
    if let Some(note) = &adoptions.note {
        let line = Places::new(source, 0).note;
        for (path, anchor) in note_links(note) {
            if let Some(problem) =
                links::check_target(site, unloaded, &source.name, &path, anchor.as_deref())
            {
                problems.push(problem.at_line(source, line, 1));
            }
        }
    }
    for (index, fact) in adoptions.facts.iter().enumerate() {
        let at = |field: &str, problem: Diagnostic| {
            problem.at_line(source, places.field(index, field), 1)
        };
        let work = match (&fact.work, site.works.as_slice()) {
            (Some(work), _) if names.has_work(work) => Some(work.as_str()),
            (Some(work), _) => {
                problems.push(at(
                    "work",
                    Diagnostic::error(
                        &source.name,
                        format!("`work: {work}` is not a work of this site"),
                    )
                    .with_help(format!("the works in site.yaml are: {}", work_ids())),
                ));
                None
            }
            (None, [only]) => Some(only.id.as_str()),
            // Without `work`, the version id must tell the work.
            (None, _) => match names.works_with(&fact.version) {
                [only] => Some(*only),
                [] => {
                    if names.complete {
                        problems.push(at(
                            "version",
                            Diagnostic::error(
                                &source.name,
                                format!("no work has a version `{}`", fact.version),
                            )
                            .with_help(format!("the versions are: {}", names.version_list(None))),
                        ));
                    }
                    None
                }
                several => {
                    let several: Vec<String> = several.iter().map(|w| w.to_string()).collect();
                    problems.push(at(
                        "version",
                        Diagnostic::error(
                            &source.name,
                            format!(
                                "works {} each have a version `{}`, and this fact names no `work`",
                                listed(&several),
                                fact.version
                            ),
                        )
                        .with_help(format!("add e.g. `work: {}`", several[0])),
                    ));
                    None
                }
            },
        };
        if let Some(work) = work
            && names.complete
            && !names.has_version(work, &fact.version)
        {
            problems.push(at(
                "version",
                Diagnostic::error(
                    &source.name,
                    format!("work `{work}` has no version `{}`", fact.version),
                )
                .with_help(format!(
                    "the versions are: {}",
                    names.version_list(Some(work))
                )),
            ));
        }
        let link = match fact.source.strip_prefix("@/") {
            Some(target) => {
                let (path, anchor) = match target.split_once('#') {
                    Some((path, anchor)) => (path, Some(anchor)),
                    None => (target, None),
                };
                links::check_target(site, unloaded, &source.name, path, anchor)
            }
            None => Some(
                Diagnostic::error(
                    &source.name,
                    format!("`source: {}` is not a link to a content file", fact.source),
                )
                .with_help("write `@/` and the path under content/ of the document that states the fact, e.g. `@/dokument/beslut.md`"),
            ),
        };
        if let Some(problem) = link {
            problems.push(at("source", problem));
        }
    }
    problems
}

/// The `@/` links of the note: (content path, anchor).
fn note_links(note: &str) -> Vec<(String, Option<String>)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(note)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let target = dest_url.strip_prefix("@/")?;
                Some(match target.split_once('#') {
                    Some((path, anchor)) => (path.to_string(), Some(anchor.to_string())),
                    None => (target.to_string(), None),
                })
            }
            _ => None,
        })
        .collect()
}

/// Where the parts of antaganden.yaml are written, for problems found after parsing.
struct Places<'t> {
    text: &'t str,
    /// 1-based line of `note:`.
    note: usize,
    /// 0-based line of `municipalities:`.
    municipalities: usize,
    /// 1-based line of `facts:`.
    facts_line: usize,
    facts: Option<front_matter::ListLines>,
}

impl<'t> Places<'t> {
    fn new(source: &'t SourceText, count: usize) -> Places<'t> {
        let text: &str = &source.text;
        let key_line = |key: &str| text.lines().position(|l| l.starts_with(key)).unwrap_or(0);
        Places {
            text,
            note: key_line("note:") + 1,
            municipalities: key_line("municipalities:"),
            facts_line: key_line("facts:") + 1,
            facts: front_matter::list_lines(text, &["facts"]).filter(|l| l.items.len() == count),
        }
    }

    /// The 1-based line of `field` of fact `index` (of `facts:` if it cannot be told).
    fn field(&self, index: usize, field: &str) -> usize {
        self.facts
            .as_ref()
            .and_then(|lines| front_matter::item_field_line(self.text, lines, index, field))
            .map_or(self.facts_line, |line| line + 1)
    }
}
