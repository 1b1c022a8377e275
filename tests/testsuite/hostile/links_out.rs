//! Hostile input: links out of the site folder, things that are not files where a file is
//! read, and files over the limit of their kind (issue 15, items 3, 4, 15b, 15c).
//!
//! Every file avtal reads goes through one function (`site_files::read_site_bytes`)
//! and every folder it lists through one walk (`walk_site_folder`): no symbolic link in
//! the site folder is followed, at the top of a walk, below it, or on the way to a file.
//! Each case puts a secret outside the site and asserts that it appears nowhere: not in
//! stdout, not in stderr, not in the built site.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::hostile::support::{Outcome, TestSite, snapshot};

/// A folder outside every test site, holding `secret.txt` with a text found nowhere else.
struct Outside {
    folder: PathBuf,
    secret: String,
}

impl Outside {
    fn new(case: &str) -> Outside {
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("outside")
            .join(case);
        if folder.exists() {
            fs::remove_dir_all(&folder).expect("remove old outside folder");
        }
        fs::create_dir_all(&folder).expect("create outside folder");
        let secret = format!("HEMLIGT-{case}-{}", std::process::id());
        // Each line would show in some message if the file were read: as YAML that does
        // not parse, as an unused word of the word list, as template or page text.
        let text = format!("{secret}: [\n{secret}\n{{% if %}}{secret}\n");
        fs::write(folder.join("secret.txt"), text).expect("write the secret");
        Outside { folder, secret }
    }

    fn file(&self) -> PathBuf {
        self.folder.join("secret.txt")
    }

    /// Asserts that the secret is nowhere in what avtal printed or built.
    #[track_caller]
    fn assert_not_leaked(&self, site: &TestSite, outcome: &Outcome) {
        assert!(
            !outcome.stdout.contains(&self.secret) && !outcome.stderr.contains(&self.secret),
            "the secret was printed:\n{}{}",
            outcome.stdout,
            outcome.stderr
        );
        let public = site.path("public");
        if public.exists() {
            for (path, bytes) in snapshot(&public) {
                assert!(
                    !String::from_utf8_lossy(&bytes).contains(&self.secret),
                    "the secret was published in {path}"
                );
            }
        }
    }
}

/// Replaces `relative` in the site with a symbolic link to `target`.
fn link(site: &TestSite, relative: &str, target: &Path) {
    let path = site.path(relative);
    if let Ok(metadata) = fs::symlink_metadata(&path) {
        if metadata.is_dir() {
            fs::remove_dir_all(&path).expect("remove folder");
        } else {
            fs::remove_file(&path).expect("remove file");
        }
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    symlink(target, &path).expect("symlink");
}

/// Replaces `relative` in the site with a FIFO.
fn fifo(site: &TestSite, relative: &str) {
    let path = site.path(relative);
    if path.exists() {
        fs::remove_file(&path).expect("remove file");
    }
    let status = Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A build refused with exactly one error, on `file`, saying `message`; nothing built and
/// nothing of the secret shown. Check reports the same.
#[track_caller]
fn assert_refused(site: &TestSite, outside: &Outside, file: &str, message: &str) {
    let checked = site.check();
    checked.assert_error(file, None, message);
    outside.assert_not_leaked(site, &checked);
    let built = site.build();
    built.assert_error(file, None, message);
    outside.assert_not_leaked(site, &built);
    assert!(
        !site.path("public").exists(),
        "a refused build wrote a site"
    );
}

// --- Item 3: the theme's folders and files ---

#[test]
fn theme_static_folder_linked_out_is_refused() {
    let site = TestSite::new("link-static-folder");
    let outside = Outside::new("link-static-folder");
    link(&site, "themes/default/static", &outside.folder);
    assert_refused(
        &site,
        &outside,
        "themes/default/static",
        "`themes/default/static` is a symbolic link, and static files are not read through links",
    );
}

#[test]
fn theme_static_folder_linked_to_the_root_of_the_disk_is_refused_without_a_walk() {
    let site = TestSite::new("link-static-root");
    let outside = Outside::new("link-static-root");
    link(&site, "themes/default/static", Path::new("/"));
    assert_refused(
        &site,
        &outside,
        "themes/default/static",
        "`themes/default/static` is a symbolic link",
    );
}

#[test]
fn theme_templates_folder_linked_out_is_refused() {
    let site = TestSite::new("link-templates-folder");
    let outside = Outside::new("link-templates-folder");
    copy_dir(
        &site.path("themes/default/templates"),
        &outside.folder.join("templates"),
    );
    fs::write(
        outside.folder.join("templates/hemlig.html"),
        fs::read(outside.file()).expect("read the secret"),
    )
    .expect("write");
    link(
        &site,
        "themes/default/templates",
        &outside.folder.join("templates"),
    );
    assert_refused(
        &site,
        &outside,
        "themes/default/templates",
        "`themes/default/templates` is a symbolic link, and templates are not read through links",
    );
}

/// The themes/ folder, and the theme's own folder, linked to a copy of the theme outside
/// that carries the secret as a static file: refused on the way to the templates.
#[test]
fn themes_folder_and_theme_folder_linked_out_are_refused() {
    for (case, linked, message) in [
        ("link-themes", "themes", "`themes` is a symbolic link"),
        (
            "link-theme-default",
            "themes/default",
            "`themes/default` is a symbolic link",
        ),
    ] {
        let site = TestSite::new(case);
        let outside = Outside::new(case);
        let copy = outside.folder.join("themes");
        copy_dir(&site.path("themes"), &copy);
        fs::copy(outside.file(), copy.join("default/static/secret.txt")).expect("copy");
        let target = if linked == "themes" {
            copy
        } else {
            copy.join("default")
        };
        link(&site, linked, &target);
        assert_refused(&site, &outside, "themes/default/templates", message);
    }
}

#[test]
fn named_theme_linked_out_is_refused() {
    let site = TestSite::new("link-named-theme");
    let outside = Outside::new("link-named-theme");
    fs::create_dir_all(outside.folder.join("static")).expect("create");
    fs::copy(outside.file(), outside.folder.join("static/secret.txt")).expect("copy");
    link(&site, "themes/egen", &outside.folder);
    site.edit(
        "content/site.yaml",
        "title: \"Provsajt\"",
        "title: \"Provsajt\"\ntheme: egen",
    );
    assert_refused(
        &site,
        &outside,
        "themes/egen",
        "`themes/egen` is a symbolic link",
    );
}

#[test]
fn links_below_the_theme_folders_are_refused() {
    let site = TestSite::new("link-below-static");
    let outside = Outside::new("link-below-static");
    link(&site, "themes/default/static/hemlig.txt", &outside.file());
    link(&site, "themes/default/static/utanfor", &outside.folder);
    link(&site, "themes/default/templates/page.html", &outside.file());
    let outcome = site.build();
    outcome.assert_errors(&[(
        "themes/default/templates/page.html",
        None,
        "templates may not be symbolic links",
    )]);
    outside.assert_not_leaked(&site, &outcome);

    // With the templates whole again, both static links are refused at once.
    site.remove("themes/default/templates/page.html");
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html");
    fs::copy(original, site.path("themes/default/templates/page.html")).expect("restore");
    let outcome = site.build();
    outcome.assert_errors(&[
        (
            "themes/default/static/hemlig.txt",
            None,
            "static files may not be symbolic links",
        ),
        (
            "themes/default/static/utanfor",
            None,
            "static files may not be symbolic links",
        ),
    ]);
    outside.assert_not_leaked(&site, &outcome);
    assert!(!site.path("public").exists());
}

/// Links that stay inside the site are refused as well: no link is followed, so whether
/// one leads out never has to be decided.
#[test]
fn a_link_inside_the_site_is_refused_too() {
    let site = TestSite::new("link-inside");
    symlink("page.html", site.path("themes/default/templates/sida.html")).expect("symlink");
    symlink("2013.md", site.path("content/avtal/kopia.md")).expect("symlink");
    let outcome = site.check();
    outcome.assert_errors(&[
        (
            "themes/default/templates/sida.html",
            None,
            "templates may not be symbolic links",
        ),
        (
            "content/avtal/kopia.md",
            None,
            "content files may not be symbolic links",
        ),
    ]);
}

// --- The content folder ---

#[test]
fn content_folder_linked_out_is_refused() {
    let site = TestSite::new("link-content");
    let outside = Outside::new("link-content");
    let copy = outside.folder.join("content");
    copy_dir(&site.path("content"), &copy);
    fs::write(
        copy.join("hemlig.md"),
        format!("---\nkind: page\ntitle: \"x\"\n---\n{}\n", outside.secret),
    )
    .expect("write");
    link(&site, "content", &copy);
    assert_refused(
        &site,
        &outside,
        "content",
        "`content` is a symbolic link, and content files are not read through links",
    );
}

#[test]
fn folder_in_content_linked_out_is_not_followed() {
    let site = TestSite::new("link-content-folder");
    let outside = Outside::new("link-content-folder");
    fs::write(
        outside.folder.join("hemlig.md"),
        format!("---\nkind: page\ntitle: \"x\"\n---\n{}\n", outside.secret),
    )
    .expect("write");
    link(&site, "content/hemligt", &outside.folder);
    let outcome = site.build();
    outcome.assert_clean();
    let warnings = outcome.warnings();
    assert_eq!(warnings.len(), 1, "{}", outcome.stderr);
    assert_eq!(warnings[0].file, "content/hemligt");
    assert!(
        warnings[0].message.contains("is not followed"),
        "{}",
        outcome.stderr
    );
    outside.assert_not_leaked(&site, &outcome);
    assert!(!site.path("public/hemligt").exists());
}

#[test]
fn content_file_linked_out_is_refused() {
    let site = TestSite::new("link-content-file");
    let outside = Outside::new("link-content-file");
    link(&site, "content/dokument/hemlig.md", &outside.file());
    assert_refused(
        &site,
        &outside,
        "content/dokument/hemlig.md",
        "content files may not be symbolic links",
    );
}

// --- Item 4: the files read by name ---

#[test]
fn configuration_files_linked_out_are_refused_without_their_text() {
    for (file, message) in [
        (
            "content/site.yaml",
            "configuration files may not be symbolic links",
        ),
        (
            "content/antaganden.yaml",
            "configuration files may not be symbolic links",
        ),
        (
            "content/ordlista.txt",
            "word lists may not be symbolic links",
        ),
    ] {
        let case = format!("link-{}", file.trim_start_matches("content/"));
        let site = TestSite::new(&case);
        let outside = Outside::new(&case);
        link(&site, file, &outside.file());
        assert_refused(&site, &outside, file, message);
    }
}

/// A link that leads into a linked folder on the way: the folder is refused by name.
#[test]
fn a_file_read_through_a_linked_folder_is_refused() {
    let site = TestSite::new("link-on-the-way");
    let outside = Outside::new("link-on-the-way");
    copy_dir(
        &site.path("content/dokument"),
        &outside.folder.join("dokument"),
    );
    link(&site, "content/dokument", &outside.folder.join("dokument"));
    let problem = avtal::site_files::read_site_text(
        &site.root,
        "content/dokument/beslut.md",
        avtal::site_files::FileKind::Content,
    )
    .expect_err("read through a link");
    assert_eq!(
        problem.message,
        "`content/dokument` is a symbolic link, and content files are not read through links"
    );
}

// --- Item 15b: not a file where a file is read ---

#[test]
fn a_fifo_as_a_configuration_file_is_named_and_never_opened() {
    for file in [
        "content/site.yaml",
        "content/antaganden.yaml",
        "content/ordlista.txt",
    ] {
        let case = format!("fifo-{}", file.trim_start_matches("content/"));
        let site = TestSite::new(&case);
        fifo(&site, file);
        // A read that opened the FIFO would wait for a writer forever: the watchdog of
        // `run_command` fails the test then.
        let message = format!("{file} is a FIFO (named pipe), not a file");
        site.check().assert_error(file, None, &message);
        site.build().assert_error(file, None, &message);
        assert!(!site.path("public").exists());
    }
}

#[test]
fn a_fifo_as_a_content_file_a_template_or_a_static_file_is_named() {
    for file in [
        "content/dokument/ror.md",
        "themes/default/templates/ror.html",
        "themes/default/static/ror.css",
    ] {
        let case = format!("fifo-{}", file.replace('/', "-"));
        let site = TestSite::new(&case);
        fifo(&site, file);
        site.build().assert_error(
            file,
            None,
            &format!("{file} is a FIFO (named pipe), not a file"),
        );
    }
}

#[test]
fn a_folder_as_the_site_configuration_is_named_a_folder() {
    let site = TestSite::new("folder-site-yaml");
    site.remove("content/site.yaml");
    fs::create_dir(site.path("content/site.yaml")).expect("create folder");
    site.check().assert_error(
        "content/site.yaml",
        None,
        "content/site.yaml is a folder, not a file",
    );
}

#[test]
fn a_socket_as_a_template_is_named_a_socket() {
    let site = TestSite::new("socket-template");
    let _listener =
        std::os::unix::net::UnixListener::bind(site.path("themes/default/templates/uttag.html"))
            .expect("bind a socket");
    site.check().assert_error(
        "themes/default/templates/uttag.html",
        None,
        "themes/default/templates/uttag.html is a socket, not a file",
    );
}

// --- Item 15c: limits named for the kind of file ---

fn padded(text: &str, megabytes: usize) -> String {
    let mut padded = String::from(text);
    while padded.len() < megabytes * 1024 * 1024 {
        padded.push_str("{# utfyllnad som gör mallen stor, rad efter rad #}\n");
    }
    padded
}

#[test]
fn a_template_over_8_mb_is_refused_as_a_template() {
    let site = TestSite::new("large-template");
    let template = "themes/default/templates/page.html";
    site.write(template, padded(&site.read(template), 9));
    site.check().assert_error(
        template,
        None,
        "file is 9 MB, larger than the 8 MB limit for a template",
    );
}

#[test]
fn a_configuration_file_over_8_mb_is_refused_as_one() {
    let site = TestSite::new("large-site-yaml");
    let mut text = site.read("content/site.yaml");
    while text.len() < 9 * 1024 * 1024 {
        text.push_str("# en kommentar som gör filen stor, rad efter rad\n");
    }
    site.write("content/site.yaml", text);
    site.check().assert_error(
        "content/site.yaml",
        None,
        "file is 9 MB, larger than the 8 MB limit for a configuration file",
    );
}

#[test]
fn a_static_file_over_32_mb_is_refused_as_one() {
    let site = TestSite::new("large-static");
    site.write(
        "themes/default/static/stor.bin",
        vec![7u8; 33 * 1024 * 1024],
    );
    site.build().assert_error(
        "themes/default/static/stor.bin",
        None,
        "file is 33 MB, larger than the 32 MB limit for a static file",
    );
    // A static file under the limit is published as it is.
    site.write("themes/default/static/stor.bin", vec![7u8; 1024 * 1024]);
    site.build().assert_clean();
    assert_eq!(
        fs::read(site.path("public/static/stor.bin"))
            .expect("published")
            .len(),
        1024 * 1024
    );
}
