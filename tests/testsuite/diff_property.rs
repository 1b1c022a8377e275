//! For any two texts, the old side of the word diff rebuilds the first exactly and the new
//! side the second, and the rendered HTML sides say the same once tags are removed;
//! white space alone is never marked removed or added.

use avtal::compare::words::{self, Op};
use avtal::render::compare_pages::{inline_html, side_html};
use proptest::prelude::*;

/// Swedish-like text: words with å/ä/ö, punctuation, spaces, line breaks, and characters
/// HTML must escape.
fn text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("kommunerna".to_string()),
        Just("länets".to_string()),
        Just("överenskommelse".to_string()),
        Just("självförsörjning".to_string()),
        Just("och".to_string()),
        Just("§ 5".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just(" ".to_string()),
        Just("\n\n".to_string()),
        Just("”citat”".to_string()),
        Just("<&>".to_string()),
        "[a-zåäö]{1,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn sides_rebuild_the_texts(a in text(), b in text()) {
        let segments = words::diff(&a, &b);
        prop_assert_eq!(words::old_side(&segments), a.clone());
        prop_assert_eq!(words::new_side(&segments), b.clone());
        prop_assert_eq!(unescape(&side_html(&segments, true)), a.clone());
        prop_assert_eq!(unescape(&side_html(&segments, false)), b.clone());
        // The inline view holds both: old = equal + deleted, new = equal + inserted;
        // white space alone is never marked (a screen reader would announce an empty
        // "tillagt").
        let inline = inline_html(&segments);
        let marked = |op| segments.iter().filter(|s| s.op == op && !s.text.trim().is_empty()).count();
        prop_assert_eq!(inline.matches("<del>").count(), marked(Op::Delete));
        prop_assert_eq!(inline.matches("<ins>").count(), marked(Op::Insert));
        prop_assert_eq!(unescape(&inline).len(), segments.iter().map(|s| s.text.len()).sum::<usize>());
        let share = words::changed_share(&segments);
        prop_assert!((0.0..=1.0).contains(&share));
        if a == b {
            prop_assert_eq!(share, 0.0);
        }
    }
}
