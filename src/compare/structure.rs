//! Where each sentence of a clause stands: in which stycke, in which list item.
//!
//! A comparison shows sentences one by one ([`super::parts`]) but must keep the
//! clause's structure, so that an official can say "2013 § 5 punkt 7 is new": every
//! sentence belongs to a *block*, the text of a stycke before its list or one list
//! item, and each block keeps its id (`P5S2`, `P5S2N7`) and its number.

use std::ops::Range;

use super::sentences;
use crate::model::body::Clause;

/// A stycke's own text (before any list) or one list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The stycke's or the item's id (`P5S2`, `P5S2N7`): its anchor on the version page.
    pub id: String,
    /// 1-based number of the stycke in the clause.
    pub stycke: usize,
    /// The item's number in its list (`Some(7)` for `P5S2N7`); `None` for a stycke's
    /// own text.
    pub item: Option<u32>,
    /// Where the block is in the clause's plain text.
    pub range: Range<usize>,
}

impl Block {
    /// How a reader cites the block: `stycke 2`, `punkt 7`.
    pub fn label(&self) -> String {
        match self.item {
            Some(n) => format!("punkt {n}"),
            None => format!("stycke {}", self.stycke),
        }
    }
}

/// A clause's plain text cut into blocks and sentences.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// [`Clause::plain_text`]: stycken separated by a blank line, items on lines of
    /// their own.
    pub text: String,
    pub blocks: Vec<Block>,
    /// The sentences ([`sentences::spans`] of `text`), each with its block.
    pub sentences: Vec<Sentence>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub range: Range<usize>,
    pub block: usize,
}

impl Layout {
    pub fn of(clause: &Clause) -> Layout {
        let text = clause.plain_text();
        let mut blocks = Vec::new();
        let mut at = 0;
        for (s, stycke) in clause.stycken.iter().enumerate() {
            let start = at;
            let end = start + stycke.text.len();
            // Items are the stycke's last lines, in order: each is found after the one
            // before; the stycke's own text is what comes before the first.
            let mut item_starts: Vec<(usize, u32, &str)> = Vec::new();
            let mut from = start;
            for item in &stycke.items {
                let found = (!item.text.is_empty())
                    .then(|| text.get(from..end)?.find(&item.text))
                    .flatten();
                if let Some(offset) = found {
                    item_starts.push((from + offset, item_number(&item.id), &item.id));
                    from += offset + item.text.len();
                }
            }
            let lead_end = item_starts.first().map_or(end, |&(at, _, _)| at);
            if lead_end > start || item_starts.is_empty() {
                blocks.push(Block {
                    id: stycke.id.clone(),
                    stycke: s + 1,
                    item: None,
                    range: start..lead_end,
                });
            }
            for (i, &(item_start, number, id)) in item_starts.iter().enumerate() {
                let item_end = item_starts.get(i + 1).map_or(end, |next| next.0);
                blocks.push(Block {
                    id: id.to_string(),
                    stycke: s + 1,
                    item: Some(number),
                    range: item_start..item_end,
                });
            }
            at = end + 2; // the blank line between stycken
        }
        // Blocks start in order: the last that starts at or before the sentence,
        // found by bisection (a clause may have thousands of list items).
        let sentences = sentences::spans(&text)
            .into_iter()
            .map(|range| Sentence {
                block: blocks
                    .partition_point(|b| b.range.start <= range.start)
                    .saturating_sub(1),
                range,
            })
            .collect();
        Layout {
            text,
            blocks,
            sentences,
        }
    }

    /// The text of sentence `i`.
    pub fn sentence(&self, i: usize) -> &str {
        self.sentences
            .get(i)
            .and_then(|s| self.text.get(s.range.clone()))
            .unwrap_or("")
    }

    /// The sentence with what follows it up to the next sentence (the space or line
    /// break between them): laid end to end, sentence `0` to the last give the whole
    /// text back.
    pub fn sentence_with_gap(&self, i: usize) -> &str {
        let Some(s) = self.sentences.get(i) else {
            return "";
        };
        let end = self
            .sentences
            .get(i + 1)
            .map_or(self.text.len(), |next| next.range.start);
        let start = if i == 0 { 0 } else { s.range.start };
        self.text.get(start..end).unwrap_or("")
    }

    /// The block of sentence `i`.
    pub fn block_of(&self, i: usize) -> Option<&Block> {
        self.blocks.get(self.sentences.get(i)?.block)
    }
}

/// `7` of `P5S2N7`.
fn item_number(id: &str) -> u32 {
    id.rsplit_once('N')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    fn clause(markdown: &str) -> Clause {
        let source = SourceText::new("t.md", markdown.to_string());
        let (body, problems) = crate::content::body::split(&source, markdown, 0);
        assert!(problems.is_empty(), "{problems:?}");
        body.clauses.into_iter().next().expect("a clause")
    }

    #[test]
    fn stycken_and_items_are_blocks_with_their_ids_and_numbers() {
        let c = clause(
            "## § 5 Insatser\n\nFörsta meningen. Andra meningen.\n\nOmråden:\n\n1. Utbildning. Exempel: SFI.\n2. Arbete\n\nSista stycket.\n",
        );
        let layout = Layout::of(&c);
        let blocks: Vec<(String, String)> = layout
            .blocks
            .iter()
            .map(|b| (b.id.clone(), b.label()))
            .collect();
        assert_eq!(
            blocks,
            [
                ("P5S1".to_string(), "stycke 1".to_string()),
                ("P5S2".to_string(), "stycke 2".to_string()),
                ("P5S2N1".to_string(), "punkt 1".to_string()),
                ("P5S2N2".to_string(), "punkt 2".to_string()),
                ("P5S3".to_string(), "stycke 3".to_string()),
            ]
        );
        let of: Vec<(&str, &str)> = (0..layout.sentences.len())
            .map(|i| {
                (
                    layout.sentence(i),
                    layout.block_of(i).map_or("", |b| b.id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            of,
            [
                ("Första meningen.", "P5S1"),
                ("Andra meningen.", "P5S1"),
                ("Områden:", "P5S2"),
                ("Utbildning.", "P5S2N1"),
                ("Exempel: SFI.", "P5S2N1"),
                ("Arbete", "P5S2N2"),
                ("Sista stycket.", "P5S3"),
            ]
        );
        let whole: String = (0..layout.sentences.len())
            .map(|i| layout.sentence_with_gap(i))
            .collect();
        assert_eq!(whole, layout.text);
    }
}
