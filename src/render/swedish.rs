//! Small pieces of Swedish running text that several pages and pictures write.

/// `a`, `a och b`, `a, b och c`.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} och {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// The text with its first letter in upper case: `beslut` → `Beslut`.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_join_with_commas_and_och() {
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a och b");
        assert_eq!(list(&["a", "b", "c"]), "a, b och c");
    }

    #[test]
    fn the_first_letter_is_capitalised() {
        assert_eq!(capitalised("tjänsteutlåtande"), "Tjänsteutlåtande");
        assert_eq!(capitalised("överenskommelse"), "Överenskommelse");
        assert_eq!(capitalised(""), "");
    }
}
