//! The lineage map: versions as columns, clauses as boxes, a line from each clause to
//! the clause(s) that continue it. Laid out here, at build time; the browser only
//! paints it.
//!
//! Collecting what to draw (`MapSpec`, from the alignment) and drawing it are kept
//! apart, so the same drawing serves the work page and each comparison page.

use std::collections::HashMap;

use super::svg::{escape, num, text_width, wrap};
use crate::compare::{ChangeKind, Pair};

/// How much a clause or line changed, as one of five shades (0 = unchanged).
pub fn shade(status: ChangeKind, similarity: f64) -> Option<usize> {
    match status {
        ChangeKind::Unchanged => Some(0),
        ChangeKind::New | ChangeKind::Removed => None,
        _ if similarity >= 1.0 => Some(0),
        _ => {
            let changed = 1.0 - similarity;
            Some(if changed <= 0.25 {
                1
            } else if changed <= 0.5 {
                2
            } else if changed <= 0.75 {
                3
            } else {
                4
            })
        }
    }
}

/// How a pair is said in words: `oförändrad`, `ändrad, 30 % av orden`, `delad, …`.
pub fn change_words(pair: &Pair) -> String {
    crate::compare::report::row_words(pair)
}

pub struct BoxSpec {
    pub id: String,
    /// `§ 10`, shown in bold; empty for an unnumbered clause.
    pub label: String,
    /// The heading after the number, or the whole heading of an unnumbered clause.
    pub title: String,
    pub href: String,
    /// Change from the previous column, if there is one.
    pub shade: Option<usize>,
    pub new: bool,
    pub removed: bool,
    /// Accessible name and tooltip.
    pub name: String,
}

pub struct ColumnSpec {
    /// Version id, shown as the column heading.
    pub version: String,
    /// Date and status under the heading.
    pub detail: String,
    pub href: String,
    pub boxes: Vec<BoxSpec>,
}

pub struct LineSpec {
    pub from_column: usize,
    pub from: String,
    pub to_column: usize,
    pub to: String,
    pub href: String,
    pub shade: usize,
    /// Proposed from the text rather than declared by the editors.
    pub automatic: bool,
    pub name: String,
}

pub struct MapSpec {
    /// Prefix of the ids inside the picture; one picture per page uses it.
    pub id: String,
    pub title: String,
    pub description: String,
    /// HTML shown above the picture (already escaped).
    pub caption_html: String,
    /// HTML after the picture: the same information as text (already escaped).
    pub text_html: String,
    pub columns: Vec<ColumnSpec>,
    pub lines: Vec<LineSpec>,
}

const MARGIN: f64 = 12.0;
const HEAD: f64 = 50.0;
const BOX_W: f64 = 220.0;
const BOX_H: f64 = 44.0;
const ROW: f64 = 56.0;
const GAP: f64 = 160.0;
const PAD: f64 = 8.0;
const FONT: f64 = 13.0;
const LINE_WIDTHS: [f64; 5] = [2.0, 2.5, 3.5, 4.5, 5.5];

struct Placed {
    x: f64,
    y: f64,
}

/// The map as HTML: a figure with a caption, the scrollable SVG, a legend and the text.
pub fn draw(spec: &MapSpec) -> String {
    let rows = spec
        .columns
        .iter()
        .map(|c| c.boxes.len())
        .max()
        .unwrap_or(0);
    let columns = spec.columns.len();
    let width = 2.0 * MARGIN + columns as f64 * BOX_W + columns.saturating_sub(1) as f64 * GAP;
    let height = 2.0 * MARGIN + HEAD + rows as f64 * ROW - (ROW - BOX_H);
    let mut placed: HashMap<(usize, &str), Placed> = HashMap::new();
    for (c, column) in spec.columns.iter().enumerate() {
        let x = MARGIN + c as f64 * (BOX_W + GAP);
        for (r, b) in column.boxes.iter().enumerate() {
            let y = MARGIN + HEAD + r as f64 * ROW;
            placed.insert((c, b.id.as_str()), Placed { x, y });
        }
    }
    let ports = line_ports(spec, &placed);
    let id = &spec.id;
    let mut svg = String::new();
    svg.push_str(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="lineage-svg" font-size="13" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="{id}-titel" aria-describedby="{id}-beskrivning">"#,
        w = num(width),
        h = num(height),
    ));
    svg.push_str(&format!(
        r#"<title id="{id}-titel">{}</title><desc id="{id}-beskrivning">{}</desc>"#,
        escape(&spec.title),
        escape(&spec.description)
    ));
    for (c, column) in spec.columns.iter().enumerate() {
        let x = MARGIN + c as f64 * (BOX_W + GAP);
        svg.push_str(&column_head(column, x));
        svg.push('\n');
        for b in &column.boxes {
            let at = &placed[&(c, b.id.as_str())];
            svg.push_str(&clause_box(b, at, c, columns, &column.version));
            svg.push('\n');
        }
        // The lines leaving this column come right after its boxes, so keyboard order
        // reads column, its lines, next column.
        let lines: Vec<(usize, &LineSpec)> = spec
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.from_column == c)
            .collect();
        if !lines.is_empty() {
            svg.push_str("<g class=\"lines\">\n");
            for (index, line) in lines {
                if let Some((start, end)) = ports.get(&index) {
                    svg.push_str(&line_link(spec, line, *start, *end));
                    svg.push('\n');
                }
            }
            svg.push_str("</g>\n");
        }
    }
    svg.push_str("</svg>");
    let mut html = String::new();
    html.push_str(&format!(
        r#"<figure class="picture lineage-map"><figcaption>{}</figcaption>"#,
        spec.caption_html
    ));
    html.push_str(&format!(
        r##"<a class="skip-picture" href="#{id}-slut">Hoppa förbi bildens länkar</a>"##
    ));
    html.push_str(&format!(
        r#"<div class="picture-scroll" tabindex="0" role="region" aria-label="{}">{svg}</div>"#,
        escape(&format!("{} (rullbar bild)", spec.title))
    ));
    html.push_str(&legend());
    html.push_str(&spec.text_html);
    html.push_str(&format!(
        r#"<div id="{id}-slut" tabindex="-1"></div></figure>"#
    ));
    html
}

fn column_head(column: &ColumnSpec, x: f64) -> String {
    let name = format!("Version {}, {}", column.version, column.detail);
    format!(
        r#"<a href="{href}" class="column-head" aria-label="{name}"><title>{name}</title><text x="{x}" y="{y1}" class="version">Version {version}</text><text x="{x}" y="{y2}" class="detail">{detail}</text></a>"#,
        href = escape(&column.href),
        name = escape(&name),
        x = num(x),
        y1 = num(MARGIN + 16.0),
        y2 = num(MARGIN + 34.0),
        version = escape(&column.version),
        detail = escape(&column.detail),
    )
}

fn clause_box(b: &BoxSpec, at: &Placed, column: usize, columns: usize, version: &str) -> String {
    let mut classes = vec!["clause".to_string()];
    match b.shade {
        Some(s) => classes.push(format!("change-{s}")),
        None if b.new => classes.push("new".into()),
        None => {}
    }
    if b.removed {
        classes.push("removed".into());
    }
    let mut out = format!(
        r#"<a href="{href}" class="{classes}" data-clause="{version}/{id}" aria-label="{name}"><title>{name}</title>"#,
        href = escape(&b.href),
        classes = classes.join(" "),
        version = escape(version),
        id = escape(&b.id),
        name = escape(&b.name),
    );
    out.push_str(&format!(
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#ffffff" stroke="#595959"/>"##,
        num(at.x),
        num(at.y),
        num(BOX_W),
        num(BOX_H)
    ));
    // Label in bold, then the title, over at most two lines.
    let inner = BOX_W - 2.0 * PAD;
    let label_width = if b.label.is_empty() {
        0.0
    } else {
        text_width(&b.label, FONT) + 0.3 * FONT
    };
    let lines = wrap(&b.title, FONT, inner - label_width, inner, 2);
    let line_height = FONT + 4.0;
    let top = at.y + (BOX_H - lines.len() as f64 * line_height) / 2.0 + FONT - 1.0;
    let x = at.x + PAD;
    for (n, line) in lines.iter().enumerate() {
        let y = top + n as f64 * line_height;
        out.push_str(&format!(r#"<text x="{}" y="{}">"#, num(x), num(y)));
        if n == 0 && !b.label.is_empty() {
            out.push_str(&format!(
                r#"<tspan class="label">{}</tspan> "#,
                escape(&b.label)
            ));
        }
        out.push_str(&escape(line));
        out.push_str("</text>");
    }
    if b.new && column > 0 {
        out.push_str(&format!(
            r#"<text x="{}" y="{}" class="mark" text-anchor="end">ny</text>"#,
            num(at.x - 6.0),
            num(at.y + BOX_H / 2.0 + 4.0)
        ));
    }
    if b.removed && column + 1 < columns {
        out.push_str(&format!(
            r#"<text x="{}" y="{}" class="mark">utgår</text>"#,
            num(at.x + BOX_W + 6.0),
            num(at.y + BOX_H / 2.0 + 4.0)
        ));
    }
    out.push_str("</a>");
    out
}

type Point = (f64, f64);

/// Where each line leaves and enters its boxes: several lines at one box are spread
/// over its edge in the order of their other ends, so a split fans out and does not
/// cross itself.
fn line_ports(
    spec: &MapSpec,
    placed: &HashMap<(usize, &str), Placed>,
) -> HashMap<usize, (Point, Point)> {
    let mut outgoing: HashMap<(usize, &str), Vec<(f64, usize)>> = HashMap::new();
    let mut incoming: HashMap<(usize, &str), Vec<(f64, usize)>> = HashMap::new();
    for (index, line) in spec.lines.iter().enumerate() {
        let (Some(a), Some(b)) = (
            placed.get(&(line.from_column, line.from.as_str())),
            placed.get(&(line.to_column, line.to.as_str())),
        ) else {
            continue;
        };
        outgoing
            .entry((line.from_column, line.from.as_str()))
            .or_default()
            .push((b.y, index));
        incoming
            .entry((line.to_column, line.to.as_str()))
            .or_default()
            .push((a.y, index));
    }
    let spread = |groups: HashMap<(usize, &str), Vec<(f64, usize)>>, right_edge: bool| {
        let mut at: HashMap<usize, Point> = HashMap::new();
        for (key, mut ends) in groups {
            let bx = &placed[&key];
            ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let count = ends.len() as f64;
            for (n, (_, index)) in ends.into_iter().enumerate() {
                let y = bx.y + BOX_H * (n as f64 + 1.0) / (count + 1.0);
                let x = if right_edge { bx.x + BOX_W } else { bx.x };
                at.insert(index, (x, y));
            }
        }
        at
    };
    let starts = spread(outgoing, true);
    let ends = spread(incoming, false);
    starts
        .into_iter()
        .filter_map(|(index, start)| ends.get(&index).map(|&end| (index, (start, end))))
        .collect()
}

fn line_link(spec: &MapSpec, line: &LineSpec, start: Point, end: Point) -> String {
    let bend = (end.0 - start.0) / 2.0;
    let d = format!(
        "M{} {}C{} {} {} {} {} {}",
        num(start.0),
        num(start.1),
        num(start.0 + bend),
        num(start.1),
        num(end.0 - bend),
        num(end.1),
        num(end.0),
        num(end.1)
    );
    let shade = line.shade.min(LINE_WIDTHS.len() - 1);
    let from_version = &spec.columns[line.from_column].version;
    let to_version = &spec.columns[line.to_column].version;
    format!(
        r##"<a href="{href}" class="line change-{shade}{automatic}" data-from="{fv}/{from}" data-to="{tv}/{to}" aria-label="{name}"><title>{name}</title><path class="hit" d="{d}" fill="none" stroke="transparent" stroke-width="14"/><path class="stroke" d="{d}" fill="none" stroke="#595959" stroke-width="{width}"{dash}/></a>"##,
        href = escape(&line.href),
        automatic = if line.automatic { " automatic" } else { "" },
        fv = escape(from_version),
        from = escape(&line.from),
        tv = escape(to_version),
        to = escape(&line.to),
        name = escape(&line.name),
        width = num(LINE_WIDTHS[shade]),
        dash = if line.automatic {
            r#" stroke-dasharray="7 4""#
        } else {
            ""
        },
    )
}

/// What the shades, dashes and marks mean; HTML so it reflows on narrow screens.
fn legend() -> String {
    let swatch = |class: &str, width: f64, dash: bool| {
        format!(
            r##"<svg class="swatch" width="36" height="12" viewBox="0 0 36 12" aria-hidden="true" focusable="false"><path class="{class}" d="M2 6H34" fill="none" stroke="#595959" stroke-width="{}"{}/></svg>"##,
            num(width),
            if dash {
                r#" stroke-dasharray="7 4""#
            } else {
                ""
            }
        )
    };
    let items = [
        (
            swatch("stroke change-0", LINE_WIDTHS[0], false),
            "oförändrad",
        ),
        (
            swatch("stroke change-1", LINE_WIDTHS[1], false),
            "upp till 25 % av orden ändrade",
        ),
        (swatch("stroke change-2", LINE_WIDTHS[2], false), "26–50 %"),
        (swatch("stroke change-3", LINE_WIDTHS[3], false), "51–75 %"),
        (
            swatch("stroke change-4", LINE_WIDTHS[4], false),
            "mer än 75 %",
        ),
        (
            swatch("stroke change-0", LINE_WIDTHS[0], true),
            "streckad: automatiskt förslag, inte angivet av redaktionen",
        ),
    ];
    let mut out = String::from(r#"<ul class="picture-legend">"#);
    for (swatch, text) in items {
        out.push_str(&format!("<li>{swatch} {text}</li>"));
    }
    out.push_str(
        "<li><strong>ny</strong>: avsnittet fanns inte i versionen före; <strong>utgår</strong>: avsnittet finns inte i versionen efter</li>",
    );
    out.push_str("</ul>");
    out
}
