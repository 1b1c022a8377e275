//! Where each mark goes: x from its date, labels cut to fit, and rows away from the
//! ruler.
//!
//! Labels sit in rows away from the ruler. They are placed latest first, and a label
//! goes one row further out than any later label it would reach, so a leader line
//! from the ruler to its label never crosses another label's text. A lane that would
//! need too many rows has its fullest years summarised until it fits.

use std::collections::BTreeSet;

use super::data::{Contents, Mark, Marker};
use crate::dates;
use crate::model::meta::IsoDate;
use crate::render::pictures::svg::{fit, text_width};

pub const MARGIN: f64 = 12.0;
pub const PER_YEAR: f64 = 120.0;
pub const RULER: f64 = 26.0;
pub const ROW: f64 = 21.0;
pub const FONT: f64 = 13.0;
const LABEL_MAX: f64 = 240.0;
/// Room between a leader and the next label along the same row.
const CLEARANCE: f64 = 10.0;

/// A lane that would need more rows than this has its fullest years summarised,
/// one by one, until it fits (the real site's events take 22 rows).
const MAX_ROWS: usize = 24;

/// Years as a number: 2009-07-01 is about 2009.5.
pub fn year_fraction(date: IsoDate) -> f64 {
    let month = date.month.unwrap_or(1).clamp(1, 12);
    let day = dates::day_of_year(date.year, month, date.day.unwrap_or(1).max(1));
    f64::from(date.year) + f64::from(day) / f64::from(dates::days_in_year(date.year))
}

/// The end of the period a date names: a whole year, a month, or the day itself.
pub fn period_end(date: IsoDate) -> Option<f64> {
    match (date.month, date.day) {
        (_, Some(_)) => None,
        (Some(12), None) => Some(f64::from(date.year) + 1.0),
        (Some(m), None) => Some(year_fraction(IsoDate {
            year: date.year,
            month: Some(m + 1),
            day: None,
        })),
        (None, _) => Some(f64::from(date.year) + 1.0),
    }
}

/// The marks of one lane: each mark, or its year's summary for the kinds in
/// `summarised`. Summaries go first among the marks of their year, as `2009` sorts
/// before any day in it; the sort is stable, so marks of one date keep their order.
fn lane(
    contents: &Contents,
    marks: &[Mark],
    kinds: &[Marker],
    summarised: &BTreeSet<(u16, Marker)>,
) -> Vec<Mark> {
    let mut lane: Vec<Mark> = marks
        .iter()
        .filter(|mark| !summarised.contains(&(mark.start.year, mark.marker)))
        .cloned()
        .collect();
    lane.extend(
        summarised
            .iter()
            .filter(|(_, marker)| kinds.contains(marker))
            .filter_map(|key| contents.summaries.get(key).cloned()),
    );
    lane.sort_by_key(|mark| mark.start);
    lane
}

/// The lane of `marks` in at most `MAX_ROWS` rows: first every year with more than
/// `SUMMARY_THRESHOLD` marks of a kind is summarised, then the fullest years left
/// (the later of equals) until the labels fit. Adds what it summarised to
/// `summarised`.
pub fn settle(
    contents: &Contents,
    marks: &[Mark],
    kinds: &[Marker],
    summarised: &mut BTreeSet<(u16, Marker)>,
    x_of: impl Fn(f64) -> f64 + Copy,
) -> Vec<Mark> {
    loop {
        let lane = lane(contents, marks, kinds, summarised);
        if rows(&lay_out(&lane, x_of)) <= MAX_ROWS {
            return lane;
        }
        let fullest = lane
            .iter()
            .filter(|mark| mark.marker != Marker::Summary)
            .map(|mark| (mark.start.year, mark.marker))
            .max_by_key(|key| (contents.per_year[key], key.0));
        match fullest {
            Some(key) => summarised.insert(key),
            None => return lane,
        };
    }
}

/// A mark placed: where it starts (and ends, for a period), its row and its label as
/// cut to fit.
pub struct Laid<'a> {
    pub mark: &'a Mark,
    pub x: f64,
    /// Where a period (a month, a year) ends, for events dated only that precisely.
    pub x_end: Option<f64>,
    pub row: usize,
    pub lead: String,
    pub text: String,
    pub width: f64,
}

/// How many rows the labels take.
pub fn rows(laid: &[Laid]) -> usize {
    laid.iter().map(|l| l.row + 1).max().unwrap_or(0)
}

/// Labels cut to fit, and rows as described at the top of this file.
pub fn lay_out(marks: &[Mark], x_of: impl Fn(f64) -> f64) -> Vec<Laid<'_>> {
    let mut laid: Vec<Laid> = marks
        .iter()
        .map(|mark| {
            let lead_width = if mark.lead.is_empty() {
                0.0
            } else {
                text_width(&mark.lead, FONT) + 0.4 * FONT
            };
            // A year's summary stays within its year, so the summaries of the years
            // after it need no row further out.
            let max = match mark.marker {
                Marker::Summary => PER_YEAR - CLEARANCE - 12.0,
                _ => LABEL_MAX,
            };
            let text = fit(&mark.label, FONT, max - lead_width);
            let width = lead_width + text_width(&text, FONT) + 6.0;
            Laid {
                mark,
                x: x_of(year_fraction(mark.start)),
                x_end: period_end(mark.start).map(&x_of),
                row: 0,
                lead: mark.lead.clone(),
                text,
                width,
            }
        })
        .collect();
    // Latest first; among equal dates the last listed first.
    let mut order: Vec<usize> = (0..laid.len()).collect();
    order.sort_by(|&a, &b| laid[b].x.total_cmp(&laid[a].x).then(b.cmp(&a)));
    // Every label placed so far lies at or right of the one being placed, so the
    // labels it reaches are those at most `reach` from the left. Of the placed labels
    // only those higher than every label left of them can ever be the highest reached:
    // `frontier` keeps them, x and row both falling from first to last.
    let mut frontier: Vec<(f64, usize)> = Vec::new();
    for index in order {
        let (x, reach) = (laid[index].x, laid[index].x + laid[index].width + CLEARANCE);
        let highest_reached = frontier.partition_point(|&(placed_x, _)| placed_x > reach);
        let row = frontier.get(highest_reached).map_or(0, |&(_, row)| row + 1);
        laid[index].row = row;
        while frontier.last().is_some_and(|&(_, lower)| lower <= row) {
            frontier.pop();
        }
        frontier.push((x, row));
    }
    laid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pictures::timeline::data;

    fn date(text: &str) -> IsoDate {
        IsoDate::parse(text).expect("test date")
    }

    #[test]
    fn dates_fall_where_the_calendar_puts_them() {
        assert_eq!(year_fraction(date("2009")), 2009.0);
        assert!((year_fraction(date("2009-07-02")) - 2009.5).abs() < 0.002);
        assert!((year_fraction(date("2012-03-01")) - (2012.0 + 60.0 / 366.0)).abs() < 1e-9);
        assert_eq!(period_end(date("2010-12")), Some(2011.0));
        assert_eq!(period_end(date("2009")), Some(2010.0));
        assert_eq!(period_end(date("2009-03-26")), None);
    }

    fn mark(day: &str, label: &str) -> Mark {
        Mark {
            marker: Marker::Event,
            start: date(day),
            lead: String::new(),
            label: label.into(),
            href: String::new(),
            name: String::new(),
        }
    }

    #[test]
    fn no_leader_crosses_a_label() {
        let marks = vec![
            mark("2013-05-06", "Justerat förslag till överenskommelse"),
            mark("2013-06-05", "Rekommendation från KSL"),
            mark("2013-08-29", "Tjänsteutlåtande från socialkontoret"),
            mark("2013-09-25", "Socialnämnden"),
            mark("2010-12", "Etableringsreformen"),
        ];
        let laid = lay_out(&marks, |y| (y - 2007.0) * PER_YEAR);
        for a in &laid {
            for b in &laid {
                // b's leader runs from the ruler out to b's row: every label nearer
                // the ruler must not cover b's x.
                if a.row < b.row {
                    assert!(
                        !(a.x < b.x && b.x < a.x + a.width),
                        "leader at {} crosses label {:?}",
                        b.x,
                        a.text
                    );
                }
                if a.row == b.row && a.x < b.x {
                    assert!(a.x + a.width <= b.x, "{:?} overlaps {:?}", a.text, b.text);
                }
            }
        }
        assert_eq!(
            laid[4].row, 0,
            "an event far from the others stays on row 0"
        );
        assert!(laid[0].row > laid[3].row);
    }

    /// The rows by the plain method the sweep replaces: every label against every
    /// label placed before it. The sweep must give exactly these.
    fn rows_by_scanning(laid: &[Laid]) -> Vec<usize> {
        let mut rows = vec![0; laid.len()];
        let mut order: Vec<usize> = (0..laid.len()).collect();
        order.sort_by(|&a, &b| laid[b].x.total_cmp(&laid[a].x).then(b.cmp(&a)));
        let mut placed: Vec<usize> = Vec::new();
        for index in order {
            let (x, reach) = (laid[index].x, laid[index].x + laid[index].width + CLEARANCE);
            rows[index] = placed
                .iter()
                .filter(|&&p| laid[p].x >= x && laid[p].x <= reach)
                .map(|&p| rows[p] + 1)
                .max()
                .unwrap_or(0);
            placed.push(index);
        }
        rows
    }

    /// No two labels in one row overlap, and no leader (from the ruler out to its
    /// label's row) runs through a label nearer the ruler: a label that covers the
    /// start of another lies further out.
    fn assert_readable(laid: &[Laid]) {
        let mut by_x: Vec<&Laid> = laid.iter().collect();
        by_x.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut row_ends: Vec<f64> = Vec::new();
        for label in &by_x {
            if row_ends.len() <= label.row {
                row_ends.resize(label.row + 1, f64::NEG_INFINITY);
            }
            assert!(
                row_ends[label.row] < label.x,
                "{:?} at {} overlaps the label before it in row {}",
                label.text,
                label.x,
                label.row
            );
            row_ends[label.row] = label.x + label.width;
        }
        for (i, a) in by_x.iter().enumerate() {
            // Leaders that start under label a: the labels starting at or after a.x
            // and before its end.
            for b in by_x[i + 1..].iter().take_while(|b| b.x < a.x + a.width) {
                if b.x > a.x {
                    assert!(
                        a.row > b.row,
                        "the leader at {} crosses {:?} (row {}) from row {}",
                        b.x,
                        a.text,
                        a.row,
                        b.row
                    );
                }
            }
        }
    }

    /// A deterministic spread of labels: bursts on the same day, long and short
    /// labels, whole years and months, as a large archive has them.
    fn generated(count: usize) -> Vec<Mark> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let words = [
            "Beslut",
            "remissvar",
            "från",
            "Kommunfullmäktige",
            "i",
            "Nacka",
            "om",
            "överenskommelsen",
            "2013",
            "Södertälje",
        ];
        (0..count)
            .map(|_| {
                let year = 1995 + next(30);
                let day = match next(10) {
                    0 => format!("{year}"),
                    1 => format!("{year}-{:02}", 1 + next(12)),
                    _ => format!("{year}-{:02}-{:02}", 1 + next(12), 1 + next(28)),
                };
                let label: Vec<&str> = (0..1 + next(12))
                    .map(|_| words[next(10) as usize])
                    .collect();
                mark(&day, &label.join(" "))
            })
            .collect()
    }

    #[test]
    fn a_few_thousand_labels_are_laid_out_as_by_scanning_and_never_overlap() {
        let marks = generated(4000);
        let laid = lay_out(&marks, |y| (y - 1995.0) * PER_YEAR);
        let rows: Vec<usize> = laid.iter().map(|l| l.row).collect();
        assert_eq!(rows, rows_by_scanning(&laid));
        assert!(
            rows.iter().any(|&r| r > 10),
            "the set is dense enough to need rows"
        );
        assert_readable(&laid);
    }

    /// The real site's timeline: the same rows as by scanning, and readable.
    #[test]
    fn the_real_sites_rows_are_as_by_scanning() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, problems) = crate::content::load(root);
        let site = site.unwrap_or_else(|| panic!("the real site loads: {problems:?}"));
        let years = data::years(&site);
        assert!(
            !data::is_split(&years),
            "the real site keeps one timeline page"
        );
        let Contents { upper, lower, .. } = data::contents(&site, "tidslinje/", &years, false);
        assert!(upper.len() >= 5 && lower.len() >= 10);
        for set in [&upper, &lower] {
            let laid = lay_out(set, |y| (y - 2007.0) * PER_YEAR);
            let rows: Vec<usize> = laid.iter().map(|l| l.row).collect();
            assert_eq!(rows, rows_by_scanning(&laid));
            assert_readable(&laid);
        }
    }
}
