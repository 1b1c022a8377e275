//! Small helpers for writing SVG text by hand: escaping, numbers, and text widths
//! estimated without font metrics.

pub use crate::render::escape_html as escape;

/// A coordinate with at most one decimal, so the markup stays short and stable.
pub fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// Estimated width of `text` at `size` px. Errs wide: the browser's font is unknown
/// at build time, and the widest common one (DejaVu Sans) sets the measure, so text
/// never runs out of its box.
pub fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | 'í' | 'ì' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '-' | '/' => 0.4,
            'm' | 'w' | 'M' | 'W' | '…' | '–' | '—' => 0.95,
            c if c.is_uppercase() => 0.75,
            c if c.is_ascii_digit() => 0.64,
            '§' => 0.55,
            _ => 0.62,
        })
        .sum();
    em * size
}

/// Cuts `text` to fit `width` at `size` px, ending with an ellipsis when cut.
pub fn fit(text: &str, size: f64, width: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let candidate = format!("{out}{c}…");
        if text_width(&candidate, size) > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Breaks `text` into at most `max_lines` lines of `width` px at `size` px, at spaces;
/// the first line is `first_width` wide (room left after a label). The last line ends
/// with an ellipsis if words remain.
pub fn wrap(text: &str, size: f64, first_width: f64, width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let limit = |lines: &Vec<String>| if lines.is_empty() { first_width } else { width };
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut index = 0;
    while index < words.len() {
        let word = words[index];
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= limit(&lines) {
            current = candidate;
            index += 1;
            continue;
        }
        if lines.len() + 1 == max_lines {
            // Last line: whatever remains, cut to fit.
            let rest = words[index..].join(" ");
            let joined = if current.is_empty() {
                rest
            } else {
                format!("{current} {rest}")
            };
            lines.push(fit(&joined, size, limit(&lines)));
            return lines;
        }
        if current.is_empty() {
            // One word wider than the line: cut it rather than overflow.
            lines.push(fit(word, size, limit(&lines)));
            index += 1;
        } else {
            lines.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape("Överenskommelse § 2"), "Överenskommelse § 2");
    }

    /// The same as the templates: every character as tera escapes it, so that the
    /// short cut for text with nothing to escape misses none.
    #[test]
    fn escapes_every_character_as_the_templates_do() {
        for c in (0..=0x7f_u8).map(char::from).chain(['å', '§', '–', '”']) {
            let text = format!("a{c}b");
            let mut by_tera = Vec::new();
            tera::escape_html(&text, &mut by_tera).expect("into memory");
            assert_eq!(escape(&text).as_bytes(), by_tera, "{c:?}");
        }
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(12.36), "12.4");
        assert_eq!(num(-0.5), "-0.5");
    }

    #[test]
    fn wrapping_keeps_within_width_and_marks_cuts() {
        let lines = wrap(
            "Överenskommelsens art och omfattning",
            13.0,
            150.0,
            150.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        for line in &lines {
            assert!(text_width(line, 13.0) <= 150.0, "{line}");
        }
        assert_eq!(lines.join(" "), "Överenskommelsens art och omfattning");
        let cut = wrap(
            "ett två tre fyra fem sex sju åtta nio tio elva tolv",
            13.0,
            60.0,
            60.0,
            2,
        );
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let lines = wrap("Samverkansöverenskommelsen", 13.0, 80.0, 80.0, 2);
        assert!(lines[0].ends_with('…'));
        assert!(text_width(&lines[0], 13.0) <= 80.0);
    }
}
