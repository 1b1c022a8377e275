//! `avtal new-version`: start a revision as a copy of an existing version, with
//! one-to-one lineage filled in, so its comparison with the version it came from
//! updates on every save under `serve`.

use std::path::{Path, PathBuf};

use crate::content::meta::{IsoDate, LineageDecl, LineageEntry, Provenance, Status};
use crate::model::Site;

#[derive(Debug, thiserror::Error)]
pub enum NewVersionError {
    #[error("work `{0}` does not exist (works: {1})")]
    UnknownWork(String, String),
    #[error("work `{work}` has no version `{version}` (versions: {known})")]
    UnknownVersion {
        work: String,
        version: String,
        known: String,
    },
    #[error("version `{0}` already exists in {1}")]
    Exists(String, String),
    #[error("`{0}` cannot be used as a version id: use lowercase letters, digits and -")]
    BadId(String),
    #[error("cannot write {0}: {1}")]
    Io(String, std::io::Error),
    #[error("cannot write the front matter: {0}")]
    Yaml(String),
    #[error("{}: {}", .0.file, .0.message)]
    Unreadable(crate::diagnostics::Diagnostic),
}

/// Writes the new version's file and returns its path.
pub fn create(
    root: &Path,
    site: &Site,
    work: &str,
    id: &str,
    from: &str,
    today: IsoDate,
) -> Result<PathBuf, NewVersionError> {
    if !crate::content::is_url_segment(id) {
        return Err(NewVersionError::BadId(id.to_string()));
    }
    let known_works: Vec<&str> = site.works.iter().map(|w| w.id.as_str()).collect();
    let work_model = site
        .work(work)
        .ok_or_else(|| NewVersionError::UnknownWork(work.to_string(), known_works.join(", ")))?;
    let versions: Vec<&str> = work_model
        .versions
        .iter()
        .filter_map(|&i| site.pages[i].version())
        .map(|v| v.version.as_str())
        .collect();
    if let Some(existing) = site.version(work, id) {
        return Err(NewVersionError::Exists(
            id.to_string(),
            existing.source.name.clone(),
        ));
    }
    let source = site
        .version(work, from)
        .ok_or_else(|| NewVersionError::UnknownVersion {
            work: work.to_string(),
            version: from.to_string(),
            known: versions.join(", "),
        })?;
    let mut meta = source
        .version()
        .cloned()
        .expect("a version page has version metadata");
    meta.version = id.to_string();
    meta.status = Status::Proposal;
    meta.date = today;
    meta.events = Vec::new();
    meta.editorial_notice = Some(format!(
        "Utkast till ny version, påbörjat som en kopia av version {from}."
    ));
    meta.source = Provenance {
        file: String::new(),
        body: meta.source.body.clone(),
        identifiers: Vec::new(),
        editorial: format!(
            "Utkast skapat med `avtal new-version` från version {from}; ändra här vad som ändrats."
        ),
    };
    meta.lineage = Some(LineageDecl {
        from: from.to_string(),
        clauses: source
            .body
            .clauses
            .iter()
            .map(|c| LineageEntry {
                from: vec![c.id.clone()],
                to: vec![c.id.clone()],
                note: None,
            })
            .collect(),
    });
    let yaml = serde_yaml::to_string(&meta).map_err(|e| NewVersionError::Yaml(e.to_string()))?;
    let text = source
        .source
        .source_text()
        .map_err(NewVersionError::Unreadable)?;
    let body =
        &text.text[crate::content::front_matter::split(&text).map_or(0, |s| s.body_offset)..];
    let folder = Path::new(&source.path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = root.join("content").join(folder).join(format!("{id}.md"));
    if path.exists() {
        return Err(NewVersionError::Exists(
            id.to_string(),
            path.display().to_string(),
        ));
    }
    std::fs::write(&path, format!("---\n{yaml}---\n{body}"))
        .map_err(|e| NewVersionError::Io(path.display().to_string(), e))?;
    Ok(path)
}
