//! Loading a theme: tera templates and static files, with a named theme overriding
//! single files of the default one.

use std::path::Path;

use tera::Tera;

use crate::diagnostics::{Diagnostic, SourceText};
use crate::output::OutputFile;
use crate::site_files::{
    FileKind, link_refused, read_site_bytes, read_site_text, site_folder, walk_site_folder,
};

pub const DEFAULT_THEME: &str = "default";

pub struct Theme {
    pub tera: Tera,
    pub static_files: Vec<OutputFile>,
    /// Template texts by name, to point rendering errors at their line.
    pub sources: Vec<(String, SourceText)>,
}

impl Theme {
    /// A rendering error as a diagnostic in the template that raised it.
    pub fn render_error(&self, template: &str, err: &tera::Error) -> Diagnostic {
        let named = match err.kind() {
            tera::ErrorKind::RenderingError(report) | tera::ErrorKind::SyntaxError(report) => {
                report.filename().to_string()
            }
            _ => template.to_string(),
        };
        match self
            .sources
            .iter()
            .find(|(n, _)| *n == named || *n == template)
        {
            Some((_, source)) => template_error(source, err),
            None => Diagnostic::error(
                format!("themes/…/{template}"),
                format!("template: {}", error_chain(err)),
            ),
        }
    }
}

/// Where a theme file comes from: the default theme built into the binary, or a file
/// under `themes/` (its path below the site folder) that overrides it.
enum ThemeFile {
    BuiltIn(&'static [u8]),
    Disk(String),
}

/// Files of the built-in default theme, overridden by `themes/default/` and then by
/// `theme`'s files with the same path, as (path below `sub`, where it comes from). No
/// link is followed: a layer's folder being a link, or a link below it, is an error
/// (everything there would be read or published).
fn layered_files(
    root: &Path,
    theme: &str,
    sub: &str,
    kind: FileKind,
) -> (Vec<(String, ThemeFile)>, Vec<Diagnostic>) {
    let mut files: Vec<(String, ThemeFile)> = super::embedded_theme::files(sub)
        .map(|(path, bytes)| (path.to_string(), ThemeFile::BuiltIn(bytes)))
        .collect();
    let mut problems = Vec::new();
    let mut layers = vec![DEFAULT_THEME];
    if theme != DEFAULT_THEME {
        layers.push(theme);
    }
    for layer in layers {
        let walked = walk_site_folder(root, &format!("themes/{layer}/{sub}"), kind);
        problems.extend(walked.problems);
        for link in walked.links {
            problems.push(link_refused(&link.name, kind));
        }
        for file in walked.files {
            files.retain(|(r, _)| *r != file.relative);
            files.push((file.relative, ThemeFile::Disk(file.name)));
        }
    }
    (files, problems)
}

pub fn load(root: &Path, theme: &str) -> Result<Theme, Vec<Diagnostic>> {
    if theme != DEFAULT_THEME {
        match site_folder(root, &format!("themes/{theme}"), FileKind::Template) {
            Ok(true) => {}
            Ok(false) => {
                return Err(vec![
                    Diagnostic::error(
                        "content/site.yaml",
                        format!("theme `{theme}` does not exist"),
                    )
                    .with_help(format!("create themes/{theme}/ or set theme: default")),
                ]);
            }
            Err(problem) => return Err(vec![problem]),
        }
    }
    let mut sources = Vec::new();
    let (files, mut problems) = layered_files(root, theme, "templates", FileKind::Template);
    for (relative, file) in files {
        match file {
            ThemeFile::BuiltIn(bytes) => sources.push((
                relative.clone(),
                SourceText::new(
                    format!("themes/{DEFAULT_THEME}/templates/{relative} (built in)"),
                    String::from_utf8_lossy(bytes).into_owned(),
                ),
            )),
            ThemeFile::Disk(name) => match read_site_text(root, &name, FileKind::Template) {
                Ok(text) => sources.push((relative, text)),
                Err(d) => problems.push(d),
            },
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    register_filters(&mut tera);
    // Tera adds a batch all or nothing; add each template alone first, so that every
    // broken one is reported with its own file and line.
    for (name, text) in &sources {
        let mut probe = Tera::new();
        if let Err(err) = probe.add_raw_template(name, &text.text)
            && is_syntax_error(&err)
        {
            problems.push(template_error(text, &err));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Err(err) =
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.text.as_ref())))
    {
        let name = err_template_name(&err);
        let source = sources.iter().find(|(n, _)| *n == name).map(|(_, t)| t);
        return Err(vec![match source {
            Some(text) => template_error(text, &err),
            None => Diagnostic::error("themes/", format!("templates: {}", error_chain(&err))),
        }]);
    }
    let (files, mut problems) = layered_files(root, theme, "static", FileKind::StaticFile);
    let mut static_files = Vec::with_capacity(files.len());
    for (relative, file) in files {
        let path = format!("{}{relative}", crate::routes::THEME_FOLDER);
        match file {
            ThemeFile::BuiltIn(bytes) => static_files.push(OutputFile::new(path, bytes)),
            ThemeFile::Disk(name) => match read_site_bytes(root, &name, FileKind::StaticFile) {
                Ok(bytes) => static_files.push(OutputFile::new(path, bytes)),
                Err(d) => problems.push(d),
            },
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Theme {
        tera,
        static_files,
        sources,
    })
}

fn is_syntax_error(err: &tera::Error) -> bool {
    matches!(err.kind(), tera::ErrorKind::SyntaxError(_))
}

fn err_template_name(err: &tera::Error) -> String {
    let text = error_chain(err);
    text.split('\'').nth(1).unwrap_or_default().to_string()
}

pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

fn template_error(source: &SourceText, err: &tera::Error) -> Diagnostic {
    let message = error_chain(err);
    let location = match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some(report.span().clone())
        }
        _ => None,
    };
    let d = Diagnostic::error(&source.name, format!("template: {}", first_line(&message)))
        .with_help("fix the template syntax; see tera's documentation for tags and filters");
    match location {
        Some(span) => d.at_line(source, span.start_line, span.start_col + 1),
        None => d,
    }
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or(text)
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter(
        "sv_date",
        |value: &str, _: tera::Kwargs, _: &tera::State| -> String {
            crate::model::meta::IsoDate::parse(value)
                .map(|d| d.swedish())
                .unwrap_or_else(|_| value.to_string())
        },
    );
}
