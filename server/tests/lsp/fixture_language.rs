//! The fixture language itself (`common/fixture.rs`), without a server: what a fixture means,
//! and that rendering gives back what was written.

use crate::common::fixture::{line_diff, render, Annotation, Fixture};

#[test]
fn files_markers_and_annotations() {
    let f = Fixture::parse(
        r#"
        //- /src/a.ts
        if (e.code === "EXCEED_RATE_LIMIT") {}
                        ^^^^^^^^^^^^^^^^^ warning misspelled-code
        const x = "FUNC$0";
        //- /errcode.toml
        allow = ["A"]
        //- /conf/c.yaml closed
          - SERVICE_TIMEOUT
        "#,
    );
    assert!(f.cloudbase);
    let paths: Vec<(&str, bool)> = f.files.iter().map(|f| (f.path.as_str(), f.open)).collect();
    assert_eq!(paths, [("src/a.ts", true), ("errcode.toml", false), ("conf/c.yaml", false)]);
    let a = &f.files[0];
    assert_eq!(a.text, "if (e.code === \"EXCEED_RATE_LIMIT\") {}\nconst x = \"FUNC\";\n");
    assert_eq!(&a.text[a.annotations[0].start..a.annotations[0].end], "EXCEED_RATE_LIMIT");
    assert_eq!(a.annotations[0].label, "warning misspelled-code");
    assert_eq!(a.cursors, [(0, a.text.find("\";\n").unwrap())]);
    // Dedented, indentation inside the text kept.
    assert_eq!(f.files[2].text, "  - SERVICE_TIMEOUT\n");
}

#[test]
fn no_header_is_a_ts_and_a_package_json_or_no_cloudbase_replaces_the_default() {
    let f = Fixture::parse("x = \"A$0\"");
    assert_eq!((f.files[0].path.as_str(), f.files[0].text.as_str(), f.cloudbase), ("a.ts", "x = \"A\"", true));
    assert!(!Fixture::parse("//- no-cloudbase\nx\n").cloudbase);
    let f = Fixture::parse("//- /package.json\n{}\n//- /b.py\nx\n");
    assert!(!f.cloudbase && !f.files[0].open && f.files[1].open);
}

/// Columns count chars of the line as written: markers before a range shift it, and CJK or
/// emoji count one each.
#[test]
fn columns_count_chars_as_written() {
    let f = Fixture::parse("s = \"中文😀\" $1+ \"EXCEED\"\n               ^^^^^^ x\n");
    let file = &f.files[0];
    let a = &file.annotations[0];
    assert_eq!(&file.text[a.start..a.end], "EXCEED");
    // Rendered without the marker, the range moves two columns left.
    assert_eq!(render(&file.text, &file.annotations), "s = \"中文😀\" + \"EXCEED\"\n             ^^^^^^ x\n");
}

#[test]
fn render_round_trips() {
    let source = "a = \"X\"\n     ^ hint c: m\n     ^ ref\n\nb\n^ ref\n";
    let f = Fixture::parse(source);
    assert_eq!(render(&f.files[0].text, &f.files[0].annotations), source);
    // A range over a line break says where it ends.
    let two_lines = [Annotation { start: 1, end: 4, label: "x".into() }];
    assert_eq!(render("ab\ncd\n", &two_lines), "ab\n ^ (to line 2) x\ncd\n");
}

#[test]
fn the_diff_marks_what_differs() {
    assert_eq!(line_diff("a\nb\nc\n", "a\nB\nc\n"), "  a\n- b\n+ B\n  c\n");
}
