//! The cycle finder on tiny crates written to temporary directories.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{cycle_reports, lines_before_tests, resolve, tree::Tree};

/// Writes `files` (path, text) into a new temporary directory; returns its `src/lib.rs`.
fn write_crate(files: &[(&str, &str)]) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "xtask-structure-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a file has a directory"))
            .expect("temporary directory");
        std::fs::write(&file, text).expect("temporary file");
    }
    dir.join("src/lib.rs")
}

/// The cycle reports of the crate `files`, with the temporary directory taken off.
fn reports(files: &[(&str, &str)]) -> Vec<String> {
    let root = write_crate(files);
    let tree = Tree::load(&root);
    assert_eq!(tree.errors, Vec::<String>::new());
    let dir = root.parent().expect("src").display().to_string();
    let out = cycle_reports(&tree, &resolve::edges(&tree))
        .iter()
        .map(|r| r.replace(&format!("{dir}/"), ""))
        .collect();
    let _ = std::fs::remove_dir_all(root.parent().and_then(|p| p.parent()).expect("dir"));
    out
}

/// The `cycle:` lines of the reports, one string per report.
fn cycles(files: &[(&str, &str)]) -> Vec<String> {
    reports(files)
        .iter()
        .map(|r| {
            let heading = r.lines().next().unwrap_or_default().to_owned();
            let cycles: Vec<&str> = r
                .lines()
                .filter_map(|l| l.trim().strip_prefix("cycle: "))
                .collect();
            format!("{heading}: {}", cycles.join("; "))
        })
        .collect()
}

#[test]
fn two_modules_using_each_other_are_a_cycle_with_their_lines() {
    let report = reports(&[
        ("src/lib.rs", "mod a;\nmod b;\n"),
        ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
        ("src/b.rs", "pub struct B;\n\nuse super::a::A;\n"),
    ]);
    assert_eq!(
        report,
        vec![
            "modules a, b of `crate`\n    cycle: a -> b -> a\n    a -> b:\n      a.rs:1: use crate::b::B;\n    b -> a:\n      b.rs:3: use super::a::A;"
        ]
    );
}

#[test]
fn a_parent_using_its_children_and_a_child_its_parents_items_is_no_cycle() {
    let found = cycles(&[
        (
            "src/lib.rs",
            "mod a;\nmod b;\npub struct P;\nfn f() { a::g(); b::h(); }\n",
        ),
        ("src/a.rs", "use crate::P;\npub fn g() { super::b::h() }\n"),
        ("src/b.rs", "pub fn h() { let _ = super::P; }\n"),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_name_the_parent_re_exports_leads_to_its_module() {
    let found = cycles(&[
        ("src/lib.rs", "mod a;\nmod b;\npub(crate) use b::B;\n"),
        ("src/a.rs", "use crate::B;\npub struct A;\n"),
        ("src/b.rs", "pub struct B;\nfn f(_: crate::a::A) {}\n"),
    ]);
    assert_eq!(found, vec!["modules a, b of `crate`: a -> b -> a"]);
}

#[test]
fn use_super_of_a_re_exported_name_is_an_edge() {
    let found = cycles(&[
        ("src/lib.rs", "mod m;\n"),
        ("src/m/mod.rs", "mod x;\nmod y;\npub use y::Y;\n"),
        ("src/m/x.rs", "use super::Y;\npub struct X;\n"),
        ("src/m/y.rs", "pub struct Y(super::x::X);\n"),
    ]);
    assert_eq!(found, vec!["modules x, y of `crate::m`: x -> y -> x"]);
}

#[test]
fn a_cycle_through_nested_modules_is_between_their_top_modules() {
    let found = cycles(&[
        ("src/lib.rs", "mod a;\nmod b;\n"),
        ("src/a/mod.rs", "mod deep;\n"),
        ("src/a/deep.rs", "pub fn f() { crate::b::g() }\n"),
        (
            "src/b.rs",
            "mod inner {\n    pub fn g() {}\n}\npub fn g() {}\nfn h() { super::a::deep::f() }\n",
        ),
    ]);
    assert_eq!(found, vec!["modules a, b of `crate`: a -> b -> a"]);
}

#[test]
fn paths_in_expressions_types_and_macros_are_edges() {
    let report = reports(&[
        ("src/lib.rs", "mod a;\nmod b;\n"),
        (
            "src/a.rs",
            "pub fn f() -> String {\n    format!(\"{}\", crate::b::N)\n}\n",
        ),
        (
            "src/b.rs",
            "pub const N: u8 = 1;\nfn g(_: Option<super::a::T>) {}\n",
        ),
    ]);
    assert_eq!(report.len(), 1);
    assert!(
        report[0].contains("a.rs:2: format!(\"{}\", crate::b::N)"),
        "{report:?}"
    );
    assert!(
        report[0].contains("b.rs:2: fn g(_: Option<super::a::T>) {}"),
        "{report:?}"
    );
}

#[test]
fn test_code_makes_no_edge() {
    let found = cycles(&[
        ("src/lib.rs", "mod a;\nmod b;\n"),
        ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
        (
            "src/b.rs",
            "pub struct B;\n#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n#[cfg(test)]\nuse crate::a::A;\n",
        ),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn inline_modules_and_path_attributes_are_modules() {
    let found = cycles(&[
        (
            "src/lib.rs",
            "mod a {\n    pub fn f() { crate::b::g() }\n}\n#[path = \"elsewhere/bee.rs\"]\nmod b;\n",
        ),
        ("src/elsewhere/bee.rs", "pub fn g() { super::a::f() }\n"),
    ]);
    assert_eq!(found, vec!["modules a, b of `crate`: a -> b -> a"]);
}

#[test]
fn a_glob_of_the_parent_brings_its_re_exports() {
    let found = cycles(&[
        ("src/lib.rs", "mod a;\nmod b;\npub use b::B;\n"),
        ("src/a.rs", "use super::*;\npub struct A(B);\n"),
        ("src/b.rs", "pub struct B;\nuse crate::a::A;\n"),
    ]);
    assert_eq!(found, vec!["modules a, b of `crate`: a -> b -> a"]);
}

#[test]
fn three_modules_report_every_cycle_among_them() {
    let found = cycles(&[
        ("src/lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\n"),
        ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
        ("src/b.rs", "use crate::{a::A, c::C};\npub struct B;\n"),
        (
            "src/c.rs",
            "use crate::a::A as Renamed;\npub struct C;\nuse crate::d;\n",
        ),
        ("src/d.rs", "pub struct D;\n"),
    ]);
    assert_eq!(
        found,
        vec!["modules a, b, c of `crate`: a -> b -> a; a -> b -> c -> a"]
    );
}

#[test]
fn other_crates_and_local_names_are_not_modules() {
    let found = cycles(&[
        ("src/lib.rs", "mod a;\nmod b;\n"),
        (
            "src/a.rs",
            "use std::fmt;\npub fn f(b: u8) -> u8 { let a = b; a }\n",
        ),
        (
            "src/b.rs",
            "use serde::a;\npub fn g() { a::f(); crate::a::f(1); }\n",
        ),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn lines_are_counted_up_to_the_first_cfg_test() {
    assert_eq!(lines_before_tests("a\nb\n#[cfg(test)]\nmod tests;\n"), 2);
    assert_eq!(lines_before_tests("a\nb\nc"), 3);
    assert_eq!(lines_before_tests(""), 0);
}
