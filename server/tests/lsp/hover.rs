//! Hover: documentation of the code under the cursor, anywhere inside a literal.

use expect_test::expect;
use serde_json::json;

use crate::common::default_capabilities;
use crate::common::fixture::{check_hover, Session};

#[test]
fn hover_on_an_http_code() {
    check_hover(
        r#"const a = "FUNC$0TION_NOT_FOUND";"#,
        expect![[r#"
            const a = "FUNCTION_NOT_FOUND";
                       ^^^^^^^^^^^^^^^^^^ markdown
            ---
            **`FUNCTION_NOT_FOUND`** · cloudbase-sdk · Cloud Functions

            No cloud function with this name exists in the environment.

            **What to do**
            - Check the name and that the function is deployed to this environment.

            [Documentation](https://docs.cloudbase.net/en/error-code/basic/FUNCTION_NOT_FOUND)

            *Also in:* `cloudbase-http` (Cloud Function Related Errors) · [Documentation](https://docs.cloudbase.net/en/error-code/service)
        "#]],
    );
}

#[test]
fn hover_on_an_sdk_code_shows_its_numeric_code() {
    check_hover(
        r#"if (res.code === "SYS_E$0RR") retry();"#,
        expect![[r#"
            if (res.code === "SYS_ERR") retry();
                              ^^^^^^^ markdown
            ---
            **`SYS_ERR`** (-501001) · cloudbase-http · System Errors

            An internal error occurred in the platform.

            **What to do**
            - Open a support ticket; the fault is on the platform side.

            [Documentation](https://docs.cloudbase.net/en/error-code/service)

            *Also in:* `cloudbase-sdk` (Basic) · [Documentation](https://docs.cloudbase.net/en/error-code/basic)
        "#]],
    );
}

#[test]
fn hover_on_a_deprecated_code_names_its_replacement() {
    check_hover(
        r#"const d = "INVALID_E$0NV_ID";"#,
        expect![[r#"
        const d = "INVALID_ENV_ID";
                   ^^^^^^^^^^^^^^ markdown
        ---
        **`INVALID_ENV_ID`** · cloudbase-http · General Errors

        ⚠️ **Deprecated**: use `INVALID_ENV` instead.

        Former name of INVALID_ENV: bad environment ID or no matching environment.

        **What to do**
        - Match on `INVALID_ENV` instead; current responses use that name for an unknown or invalid environment ID.

        *Note:* Older name: an earlier snapshot of the same HTTP access service list had INVALID_ENV_ID where the current list has INVALID_ENV.

        [Documentation](https://docs.cloudbase.net/en/error-code/service)
    "#]],
    );
}

#[test]
fn hover_on_a_legacy_code() {
    check_hover(
        r#"codes = ["EXCEED_SYS_$0RATE_LIMIT"]"#,
        expect![[r#"
        codes = ["EXCEED_SYS_RATE_LIMIT"]
                  ^^^^^^^^^^^^^^^^^^^^^ markdown
        ---
        **`EXCEED_SYS_RATE_LIMIT`** · cloudbase-sdk · Basic

        🕰 **Legacy**: no longer documented.

        The request rate went over a system-wide limit.

        **What to do**
        - Throttle requests and retry with backoff.

        *Note:* Provenance is thin: seen only in a third-party copy of an older docs table. Current docs list only EXCEED_RATELIMIT; it may have been renamed or removed (unverified).
    "#]],
    );
}

#[test]
fn hover_works_inside_longer_strings_and_at_token_edges() {
    let mut s = Session::new("const b = `got $0SERVICE$1_TIMEOUT$2 from gateway`;\n");
    for n in 0..3 {
        assert_eq!(s.hovered_at(n).as_deref(), Some("SERVICE_TIMEOUT"), "at ${n}");
    }
    s.shutdown();
}

#[test]
fn no_hover_on_unknown_codes_comments_or_code() {
    let mut s = Session::new(
        r#"
        co$2nst c = "NOT_A_$0CODE_AT_ALL";
        // FUNCTION_$1NOT_FOUND in a comment
        "#,
    );
    assert_eq!(s.hover_at(0), None, "not a code");
    assert_eq!(s.hover_at(1), None, "comments are not literals");
    assert_eq!(s.hover_at(2), None, "`const` is code");
    s.shutdown();
}

#[test]
fn plain_text_for_clients_without_markdown() {
    let mut s = Session::with(r#"const a = "FUNC$0TION_NOT_FOUND";"#, json!({}), json!({}));
    let h = s.hover().unwrap();
    assert!(!h.contains("**"), "{h}");
    expect![[r#"
        const a = "FUNCTION_NOT_FOUND";
                   ^^^^^^^^^^^^^^^^^^ plaintext
        ---
        FUNCTION_NOT_FOUND - cloudbase-sdk / Cloud Functions

        No cloud function with this name exists in the environment.

        What to do
        - Check the name and that the function is deployed to this environment.

        Documentation: https://docs.cloudbase.net/en/error-code/basic/FUNCTION_NOT_FOUND

        Also in: cloudbase-http (Cloud Function Related Errors), https://docs.cloudbase.net/en/error-code/service
    "#]]
    .assert_eq(&h);
    s.shutdown();
}

/// A client that lists plain text first gets plain text, though it also takes Markdown.
#[test]
fn the_clients_preferred_format_wins() {
    let mut caps = default_capabilities();
    caps["textDocument"]["hover"]["contentFormat"] = json!(["plaintext", "markdown"]);
    let mut s = Session::with(r#"const a = "FUNC$0TION_NOT_FOUND";"#, json!({}), caps);
    let h = s.hover_raw_at(0);
    assert_eq!(h["contents"]["kind"], "plaintext", "{h}");
    assert!(!h["contents"]["value"].as_str().unwrap().contains("**"), "{h}");
    s.shutdown();
}

#[test]
fn hover_right_after_an_edit_sees_the_new_text() {
    let mut s = Session::new(r#"const c = "NOT_A_CODE_AT_ALL";"#);
    // Hover before diagnostics for the edit come back.
    s.change("/a.ts", r#"const c = "BA$0D_GATEWAY";"#);
    assert_eq!(s.hovered_at(0).as_deref(), Some("BAD_GATEWAY"));
    s.shutdown();
}

/// The opening quote belongs to the literal: hovering it shows the code's docs.
#[test]
fn hover_on_the_opening_quote() {
    let mut s = Session::new(r#"const a $1= $0"FUNCTION_NOT_FOUND";"#);
    // Before the document is analysed (the text around the cursor is scanned) and after (the
    // analysis' spans are used).
    for analysed in [false, true] {
        if analysed {
            s.diagnostics("/a.ts");
        }
        assert_eq!(s.hovered_at(0).as_deref(), Some("FUNCTION_NOT_FOUND"), "analysed: {analysed}");
        assert_eq!(s.hover_at(1), None, "not on the `=` before it");
    }
    s.shutdown();
}
