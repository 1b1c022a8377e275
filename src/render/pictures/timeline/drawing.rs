//! The timeline as markup: the SVG (ruler, marks with leaders and labels, each a link)
//! and the figure around it (caption, skip link, scrolling region, legend).

use super::data::Marker;
use super::layout::{FONT, Laid, MARGIN, PER_YEAR, ROW, RULER, rows};
use super::words::{self, FigureWords};
use crate::render::pictures::svg::{escape, num};

/// The figure of marks laid out in `upper` (above the ruler) and `lower` (below it),
/// for the years `first` to `last`; `x_of` gives a year's x.
pub fn figure(
    upper: &[Laid],
    lower: &[Laid],
    (first, last): (u16, u16),
    x_of: impl Fn(f64) -> f64,
    words: &FigureWords,
) -> String {
    let ruler_top = MARGIN + rows(upper) as f64 * ROW + 12.0;
    let ruler_bottom = ruler_top + RULER;
    let height = ruler_bottom + 12.0 + rows(lower) as f64 * ROW + MARGIN;
    let axis_end = x_of(f64::from(last) + 1.0);
    let width = upper
        .iter()
        .chain(lower)
        .map(|l| l.x + 5.0 + l.width)
        .fold(axis_end, f64::max)
        + MARGIN;

    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" font-size="13" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="tidslinje-titel" aria-describedby="tidslinje-beskrivning"><title id="tidslinje-titel">{title}</title><desc id="tidslinje-beskrivning">{description}</desc>"#,
        w = num(width),
        h = num(height),
        title = words.title,
        description = words.description,
    );
    svg.push_str(r#"<g class="ruler">"#);
    for year in first..=last {
        let x = x_of(f64::from(year));
        svg.push_str(&format!(
            r##"<rect class="year{odd}" x="{x}" y="{y}" width="{w}" height="{h}" fill="#f3f4f6"/><line class="tick" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#d0d0d0"/><text class="year-label" x="{mid}" y="{ty}" text-anchor="middle">{year}</text>"##,
            odd = if (year - first) % 2 == 1 { " odd" } else { "" },
            x = num(x),
            y = num(ruler_top),
            w = num(PER_YEAR),
            h = num(RULER),
            top = num(MARGIN),
            bottom = num(height - MARGIN),
            mid = num(x + PER_YEAR / 2.0),
            ty = num(ruler_top + RULER / 2.0 + 4.5),
        ));
    }
    svg.push_str(&format!(
        r##"<line class="tick" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#d0d0d0"/></g>"##,
        x = num(axis_end),
        top = num(MARGIN),
        bottom = num(height - MARGIN),
    ));
    svg.push_str(r#"<g class="documents">"#);
    for laid in upper {
        let baseline = ruler_top - 12.0 - laid.row as f64 * ROW;
        svg.push_str(&marked(laid, ruler_top, baseline, -1.0));
        svg.push('\n');
    }
    svg.push_str(r#"</g><g class="events">"#);
    for laid in lower {
        let baseline = ruler_bottom + 12.0 + laid.row as f64 * ROW + FONT;
        svg.push_str(&marked(laid, ruler_bottom, baseline, 1.0));
        svg.push('\n');
    }
    svg.push_str("</g></svg>");

    let mut legend = format!(
        r##"<ul class="picture-legend"><li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><rect class="marker version" x="2" y="2" width="10" height="10" fill="#0b50a0"/></svg> {version}</li><li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><circle class="marker document" cx="7" cy="7" r="5" fill="#0b50a0"/></svg> {document}</li><li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><circle class="marker event" cx="7" cy="7" r="4" fill="#0b50a0"/></svg> {day_event}</li><li><svg class="swatch" width="30" height="14" viewBox="0 0 30 14" aria-hidden="true" focusable="false"><rect class="marker event" x="1" y="4" width="28" height="6" fill="#0b50a0"/></svg> {period_event}</li>"##,
        version = &words.version_legend,
        document = words::DOCUMENT_LEGEND,
        day_event = words::DAY_EVENT_LEGEND,
        period_event = words::PERIOD_EVENT_LEGEND,
    );
    if let Some(summary) = &words.summary_legend {
        legend.push_str(&format!(
            r##"<li><svg class="swatch" width="30" height="14" viewBox="0 0 30 14" aria-hidden="true" focusable="false"><rect class="marker summary" x="1" y="3" width="28" height="8" fill="#0b50a0"/></svg> {summary}</li>"##,
        ));
    }
    legend.push_str("</ul>");
    format!(
        r##"<figure class="picture timeline-picture"><figcaption>{caption}</figcaption><a class="skip-picture" href="#tidslinje-slut">{skip}</a><div class="picture-scroll" tabindex="0" role="region" aria-label="{region}">{svg}</div>{legend}<div id="tidslinje-slut" tabindex="-1"></div></figure>"##,
        caption = words.caption,
        skip = words::SKIP_LINK,
        region = words::SCROLL_REGION,
    )
}

/// One marker with its leader and label, as a link. `direction` is -1 above the
/// ruler, 1 below it.
fn marked(laid: &Laid, edge: f64, baseline: f64, direction: f64) -> String {
    let mark = laid.mark;
    let kind = match mark.marker {
        Marker::Version => "version",
        Marker::Document => "document",
        Marker::Event => "event",
        Marker::Summary => "summary",
    };
    let mut out = format!(
        r#"<a href="{}" class="mark {kind}" data-date="{}" aria-label="{name}"><title>{name}</title>"#,
        escape(&mark.href),
        mark.start,
        name = escape(&mark.name),
    );
    // The leader ends level with the middle of the label's text.
    let leader_end = baseline - FONT / 2.0 + 1.5;
    out.push_str(&format!(
        r##"<line class="leader" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="#595959"/>"##,
        x = num(laid.x),
        y1 = num(edge),
        y2 = num(leader_end),
    ));
    let marker = match (mark.marker, laid.x_end) {
        (Marker::Version, _) => format!(
            r##"<rect class="marker" x="{}" y="{}" width="10" height="10" fill="#0b50a0"/>"##,
            num(laid.x - 5.0),
            num(edge - 5.0)
        ),
        // A period's bar stops 1 px short of each end, so periods that follow each
        // other (2009, 2010) read as separate bars.
        (Marker::Event, Some(end)) => format!(
            r##"<rect class="marker" x="{}" y="{}" width="{}" height="6" fill="#0b50a0"/>"##,
            num(laid.x + 1.0),
            num(edge + if direction < 0.0 { -6.0 } else { 0.0 }),
            num((end - laid.x - 2.0).max(3.0))
        ),
        (Marker::Event, None) => format!(
            r##"<circle class="marker" cx="{}" cy="{}" r="4" fill="#0b50a0"/>"##,
            num(laid.x),
            num(edge + 4.0 * direction)
        ),
        // The whole year, a little thicker than a period's bar.
        (Marker::Summary, end) => format!(
            r##"<rect class="marker" x="{}" y="{}" width="{}" height="8" fill="#0b50a0"/>"##,
            num(laid.x + 1.0),
            num(edge + if direction < 0.0 { -8.0 } else { 0.0 }),
            num((end.unwrap_or(laid.x + PER_YEAR) - laid.x - 2.0).max(3.0))
        ),
        (Marker::Document, _) => format!(
            r##"<circle class="marker" cx="{}" cy="{}" r="5" fill="#0b50a0"/>"##,
            num(laid.x),
            num(edge)
        ),
    };
    out.push_str(&marker);
    out.push_str(&format!(
        r#"<text x="{}" y="{}">"#,
        num(laid.x + 5.0),
        num(baseline)
    ));
    if !laid.lead.is_empty() {
        out.push_str(&format!(
            r#"<tspan class="label">{}</tspan> "#,
            escape(&laid.lead)
        ));
    }
    out.push_str(&escape(&laid.text));
    out.push_str("</text></a>");
    out
}
