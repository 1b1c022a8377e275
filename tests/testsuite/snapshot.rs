//! The 2009→2013 comparison page, as officials read it, pinned as a snapshot.
//! After a deliberate change to the content, templates or diff, review and accept the new
//! snapshot with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test testsuite snapshot`).

use crate::support;

#[test]
fn comparison_2009_2013_page() {
    let (_guard, out) = support::build(&support::repo_root());
    let html =
        std::fs::read_to_string(out.join("overenskommelse/jamfor/2009-2013/index.html")).unwrap();
    // The main element only: the footer carries the build date.
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("main is closed") + "</main>".len();
    insta::assert_snapshot!(&html[start..end]);
}
