//! The default theme as built into the binary (see build.rs): the lowest layer under
//! `themes/default/` and `themes/NAME/` on disk, so that a site needs only `content/`.

include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// The built-in files below `sub` (`templates` or `static`), as (path below `sub`, bytes).
pub fn files(sub: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> + '_ {
    FILES.iter().filter_map(move |&(path, bytes)| {
        let rest = path.strip_prefix(sub)?.strip_prefix('/')?;
        Some((rest, bytes))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_templates_and_static_files_are_built_in() {
        let templates: Vec<&str> = super::files("templates").map(|(p, _)| p).collect();
        assert!(templates.contains(&"base.html"), "{templates:?}");
        assert!(templates.contains(&"partials/source.html"), "{templates:?}");
        let statics: Vec<&str> = super::files("static").map(|(p, _)| p).collect();
        assert!(statics.contains(&"style.css"), "{statics:?}");
        let on_disk = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/static/style.css"),
        )
        .expect("the repository has the theme");
        let built_in = super::files("static")
            .find(|(p, _)| *p == "style.css")
            .map(|(_, b)| b);
        assert_eq!(built_in, Some(on_disk.as_slice()));
    }
}
