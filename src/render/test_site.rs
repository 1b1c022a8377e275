//! A site folder loaded, aligned and rendered into memory for render's own tests, by the
//! stages below render (`pipeline` does the same for the program, but render may not
//! use what stands above it).

use std::path::Path;

use super::RenderOptions;
use super::theme::{self, Theme};
use crate::compare::{self, Alignment};
use crate::model::Site;
use crate::output::{Collected, OutputFile};

pub struct Prepared {
    pub site: Site,
    pub alignment: Alignment,
    pub theme: Theme,
}

pub struct Built {
    pub site: Site,
    pub files: Vec<OutputFile>,
}

/// The site under `root`, its versions aligned, and its theme; panics on any error.
pub fn prepared(root: &Path) -> Prepared {
    let (site, problems) = crate::content::load(root);
    let Some(site) = site else {
        panic!("{} must load: {problems:?}", root.display());
    };
    let (alignment, problems) = compare::align(&site);
    assert!(
        !problems.has_errors(),
        "{} must align: {problems:?}",
        root.display()
    );
    let theme = theme::load(root, &site.config.theme)
        .unwrap_or_else(|problems| panic!("{}'s theme must load: {problems:?}", root.display()));
    Prepared {
        site,
        alignment,
        theme,
    }
}

/// The site under `root` rendered into memory; panics on any error.
pub fn built(root: &Path, options: &RenderOptions) -> Built {
    let Prepared {
        site,
        alignment,
        theme,
    } = prepared(root);
    let collected = Collected::default();
    if let Err(problems) =
        super::engine::Engine::new(&site, &alignment, &theme, options).render_site(&collected, None)
    {
        panic!("{} must render: {problems:?}", root.display());
    }
    Built {
        site,
        files: collected.into_files(),
    }
}
