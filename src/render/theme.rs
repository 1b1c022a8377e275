//! Loading a theme: tera templates and static files, with a named theme overriding
//! single files of the default one.

use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::content::source::{display_path, is_ignored_name};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::output::OutputFile;

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
/// under `themes/` that overrides it.
enum ThemeFile {
    BuiltIn(&'static [u8]),
    Disk(PathBuf),
}

/// Files of the built-in default theme, overridden by `themes/default/` and then by
/// `theme`'s files with the same path.
fn layered_files(themes: &Path, theme: &str, sub: &str) -> Vec<(String, ThemeFile)> {
    let mut files: Vec<(String, ThemeFile)> = super::embedded_theme::files(sub)
        .map(|(path, bytes)| (path.to_string(), ThemeFile::BuiltIn(bytes)))
        .collect();
    let mut layers = vec![DEFAULT_THEME];
    if theme != DEFAULT_THEME {
        layers.push(theme);
    }
    for layer in layers {
        let folder = themes.join(layer).join(sub);
        for entry in WalkDir::new(&folder)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() || is_ignored_name(&entry.file_name().to_string_lossy())
            {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&folder) else {
                continue;
            };
            let relative = display_path(relative);
            files.retain(|(r, _)| *r != relative);
            files.push((relative, ThemeFile::Disk(entry.path().to_path_buf())));
        }
    }
    files
}

pub fn load(root: &Path, theme: &str) -> Result<Theme, Vec<Diagnostic>> {
    let themes = root.join("themes");
    if theme != DEFAULT_THEME && !themes.join(theme).is_dir() {
        return Err(vec![
            Diagnostic::error(
                "content/site.yaml",
                format!("theme `{theme}` does not exist"),
            )
            .with_help(format!("create themes/{theme}/ or set theme: default")),
        ]);
    }
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for (name, file) in layered_files(&themes, theme, "templates") {
        match file {
            ThemeFile::BuiltIn(bytes) => sources.push((
                name.clone(),
                SourceText {
                    name: format!("themes/{DEFAULT_THEME}/templates/{name} (built in)"),
                    text: String::from_utf8_lossy(bytes).into(),
                },
            )),
            ThemeFile::Disk(path) => {
                let label = display_path(path.strip_prefix(root).unwrap_or(&path));
                match crate::content::source::read_text(&path, &label) {
                    Ok(text) => sources.push((name, text)),
                    Err(d) => problems.push(d),
                }
            }
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
    let static_files = layered_files(&themes, theme, "static")
        .into_iter()
        .map(|(name, file)| match file {
            ThemeFile::BuiltIn(bytes) => Ok(OutputFile::new(format!("static/{name}"), bytes)),
            ThemeFile::Disk(path) => std::fs::read(&path)
                .map(|bytes| OutputFile::new(format!("static/{name}"), bytes))
                .map_err(|e| {
                    Diagnostic::error(display_path(&path), format!("cannot read static file: {e}"))
                }),
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|d| vec![d])?;
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
            crate::content::meta::IsoDate::parse(value)
                .map(|d| d.swedish())
                .unwrap_or_else(|_| value.to_string())
        },
    );
}
