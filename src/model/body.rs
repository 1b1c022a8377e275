//! A page's body as clauses, stycken and list items with their ids, and where each is
//! written in the page's text. Made by `content::body`, which alone knows the rules that
//! give the ids; `render::body_html` parses a clause's Markdown again and puts each id
//! where this says its stycke or item starts.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct Clause {
    pub id: String,
    /// `Some(5)` for `§ 5`.
    pub number: Option<u32>,
    /// Number with any letter suffix as written: `5`, `5a`.
    pub number_text: Option<String>,
    /// Heading text after the number: `Överenskommelsens syfte`; empty for the ingress.
    pub title: String,
    /// 1-based line of the heading in the file (of the first text for the ingress).
    pub line: usize,
    pub stycken: Vec<Stycke>,
    /// Where the clause's Markdown is written in its file's text. It is parsed again
    /// when the clause is rendered: every clause's events kept from loading until
    /// rendering would weigh several times the text, and parsing again is cheaper than
    /// copying them.
    pub markdown: ClauseMarkdown,
}

/// A clause's place in its file's text (the page's source, which a large build does
/// not hold: see `PageSource`).
#[derive(Clone)]
pub struct ClauseMarkdown {
    /// The body (Markdown after the front matter) in `text`.
    pub body: Range<usize>,
    /// The clause's content in `text`: after its heading, up to the next clause heading.
    pub content: Range<usize>,
    /// Whether the body defines link references (`[namn]: https://…`). A definition
    /// applies to the whole body, so the clause is then rendered from the whole body
    /// rather than from its own text.
    pub whole_body: bool,
}

impl std::fmt::Debug for ClauseMarkdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text is the whole file: show where the clause is, not the file again.
        f.debug_struct("ClauseMarkdown")
            .field("content", &self.content)
            .field("whole_body", &self.whole_body)
            .finish()
    }
}

impl Clause {
    /// The stycke `offset` (in the file's text) is in: the last one that starts there
    /// or before.
    pub fn stycke_at(&self, offset: usize) -> Option<&Stycke> {
        let after = self
            .stycken
            .partition_point(|stycke| stycke.start as usize <= offset);
        self.stycken.get(after.checked_sub(1)?)
    }

    /// How readers cite the clause: `§ 5`, or the heading text.
    pub fn label(&self) -> String {
        match &self.number_text {
            Some(n) => format!("§ {n}"),
            None if self.title.is_empty() => "Inledning".to_string(),
            None => self.title.clone(),
        }
    }

    /// The clause's words, stycken separated by blank lines.
    pub fn plain_text(&self) -> String {
        let parts: Vec<String> = self.stycken.iter().map(|s| s.text.clone()).collect();
        parts.join("\n\n")
    }
}

#[derive(Debug, Clone)]
pub struct Stycke {
    pub id: String,
    /// Its words, spaces collapsed; empty once the body let go of its texts
    /// ([`Body::release_texts`]).
    pub text: String,
    pub items: Vec<ListItem>,
    /// Whether it has any text, known also after the text is let go of: search numbers
    /// the stycken that have.
    pub has_text: bool,
    /// Where in the file's text the stycke starts: its first block (paragraph, list,
    /// quote, table, code block), or the first words of a clause that opens with a
    /// sub-heading. Content files are at most 8 MB, far below `u32::MAX`.
    pub start: u32,
}

impl Stycke {
    /// The item that starts at `offset` in the file's text.
    pub fn item_at(&self, offset: usize) -> Option<&ListItem> {
        let index = self
            .items
            .binary_search_by_key(&offset, |item| item.start as usize)
            .ok()?;
        self.items.get(index)
    }
}

/// An item of a stycke's list, with its own id (`P5S2N3`).
#[derive(Debug, Clone)]
pub struct ListItem {
    pub id: String,
    pub text: String,
    /// Where in the file's text the item starts (as [`Stycke::start`]).
    pub start: u32,
}

/// An `@/` link as written in the body, to be checked once every file is loaded.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Content path of the target: `overenskommelse/2009.md`.
    pub path: String,
    pub anchor: Option<String>,
    /// Byte range in the file, for diagnostics.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub clauses: Vec<Clause>,
    pub links: Vec<LinkRef>,
    /// Ids given to sub-headings (`### Rubrik {#id}`), with their lines: no link leads
    /// to them, but they are ids on the page all the same (see `page_ids`).
    pub sub_heading_ids: Vec<(String, usize)>,
    texts_released: bool,
    /// Clause id → position, made the first time a long body is asked for a clause:
    /// pages and comparisons ask for every clause by id, which searching the list each
    /// time made quadratic in the number of clauses.
    clause_index: OnceLock<HashMap<String, usize>>,
    /// Clause number as written (`5a`) → position, made as `clause_index` is.
    number_index: OnceLock<HashMap<String, usize>>,
}

/// Bodies with at most this many clauses are searched in order: most have a few dozen,
/// and need no index.
const CLAUSES_SEARCHED_IN_ORDER: usize = 32;

impl Body {
    /// A body of these clauses, links and sub-heading ids, with its texts.
    pub fn new(
        clauses: Vec<Clause>,
        links: Vec<LinkRef>,
        sub_heading_ids: Vec<(String, usize)>,
    ) -> Body {
        Body {
            clauses,
            links,
            sub_heading_ids,
            texts_released: false,
            clause_index: OnceLock::new(),
            number_index: OnceLock::new(),
        }
    }

    /// Every id a link may point at, clause, stycke or item.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.clauses.iter().flat_map(|c| {
            std::iter::once(c.id.as_str()).chain(c.stycken.iter().flat_map(|s| {
                std::iter::once(s.id.as_str()).chain(s.items.iter().map(|i| i.id.as_str()))
            }))
        })
    }

    /// The clause `id` (the first one, should the body have two, which is an error).
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        if self.clauses.len() <= CLAUSES_SEARCHED_IN_ORDER {
            return self.clauses.iter().find(|c| c.id == id);
        }
        let index = self.clause_index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.clauses.len());
            for (position, clause) in self.clauses.iter().enumerate() {
                index.entry(clause.id.clone()).or_insert(position);
            }
            index
        });
        index.get(id).map(|&position| &self.clauses[position])
    }

    /// The first clause numbered `number` (as written: `5`, `5a`).
    pub fn clause_numbered(&self, number: &str) -> Option<&Clause> {
        if self.clauses.len() <= CLAUSES_SEARCHED_IN_ORDER {
            return self
                .clauses
                .iter()
                .find(|c| c.number_text.as_deref() == Some(number));
        }
        let index = self.number_index.get_or_init(|| {
            let mut index = HashMap::new();
            for (position, clause) in self.clauses.iter().enumerate() {
                if let Some(number) = &clause.number_text {
                    index.entry(number.clone()).or_insert(position);
                }
            }
            index
        });
        index.get(number).map(|&position| &self.clauses[position])
    }

    /// Lets go of the stycke and item texts, keeping every id and the structure: a
    /// document's texts are needed only for its search entries, which read its file
    /// again, while every document's texts together weigh most of the corpus.
    pub fn release_texts(&mut self) {
        for stycke in self.clauses.iter_mut().flat_map(|c| &mut c.stycken) {
            stycke.text = String::new();
            for item in &mut stycke.items {
                item.text = String::new();
            }
        }
        self.texts_released = true;
    }

    /// Whether the texts were let go of ([`Body::release_texts`]).
    pub fn texts_released(&self) -> bool {
        self.texts_released
    }
}
