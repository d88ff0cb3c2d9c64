//! Completion: codes in code places (`err.code === "`, `code: "`, lists of codes, ...) and
//! wherever the typed word is code-shaped, replacing the whole token; nothing elsewhere.
//! Which places are code places is tested in `core/tests/completion_context.rs`.

use expect_test::expect;
use serde_json::json;

use crate::common::fixture::{check_completion_list, completion, labels, Session};

#[test]
fn completes_codes_inside_a_string_replacing_the_token() {
    let mut s = Session::new(r#"if (e.code === "EXCEED_$0RATE_LIM") {}"#);
    // The edit replaces the whole word under the cursor, not just the typed prefix.
    assert_eq!(s.accept_completion("EXCEED_RATELIMIT"), r#"if (e.code === "EXCEED_RATELIMIT") {}"#);
    let items = s.completion_items();
    // Every offered code matches what was typed.
    assert!(labels(&items).iter().all(|l| l.starts_with('E')), "{:?}", labels(&items));
    let item = items.iter().find(|i| i["label"] == "EXCEED_RATELIMIT").unwrap();
    assert!(item["detail"].as_str().unwrap().contains("General Errors"), "{item}");
    // Documentation comes with `completionItem/resolve`, for the focused item only.
    assert!(item.get("documentation").is_none(), "{item}");
    let resolved = s.client.request("completionItem/resolve", item.clone());
    assert_eq!(resolved["documentation"]["kind"], "markdown");
    assert!(resolved["documentation"]["value"].as_str().unwrap().contains("QPS"), "{resolved}");
    s.shutdown();
}

#[test]
fn the_first_codes_at_an_empty_code_place() {
    check_completion_list(
        r#"if (err.code === "$0") {}"#,
        12,
        expect![[r#"
            ACCESS_TOKEN_DISABLED · Authentication · cloudbase-sdk
            ACCESS_TOKEN_EXPIRED · Authorization and Authentication Errors · cloudbase-http, cloudbase-sdk
            ACCESS_TOKEN_INVALID · Authorization and Authentication Errors · cloudbase-http, cloudbase-sdk
            ACCESS_TOKEN_KID_INVALID · Authentication · cloudbase-sdk
            ACTION_FORBIDDEN · Authorization and Authentication Errors · cloudbase-http, cloudbase-sdk
            AI_MODEL_CONFIG_MISSING · Large Model Invocation Related Errors · cloudbase-http
            AI_MODEL_DISABLED · Large Model Invocation Related Errors · cloudbase-http
            AI_MODEL_NOT_FOUND · Large Model Invocation Related Errors · cloudbase-http
            AI_MODEL_REQUEST_FAILED · Large Model Invocation Related Errors · cloudbase-http
            APP_SIGN_EXPIRED · Basic · cloudbase-sdk
            AUTHENTICATION_FAILED · Authorization and Authentication Errors · cloudbase-http, cloudbase-sdk
            AUTH_CUSTOM_USER_ID_HAS_BEEN_BOUND · Authentication · cloudbase-sdk
        "#]],
    );
}

#[test]
fn the_first_codes_for_a_typed_prefix() {
    check_completion_list(
        r#"if (err.code === "func$0") {}"#,
        8,
        expect![[r#"
            FUNCTIONS_EXECUTE_FAIL · Cloud Functions · cloudbase-sdk
            FUNCTIONS_MEMORY_LIMIT_EXCEEDED · Cloud Functions · cloudbase-sdk
            FUNCTIONS_REQUEST_FAIL · Cloud Functions · cloudbase-sdk
            FUNCTIONS_STATUS_ABNORMITY · Cloud Functions · cloudbase-sdk
            FUNCTIONS_TIME_LIMIT_EXCEEDED · Cloud Functions · cloudbase-sdk
            FUNCTION_EXCEED_RESOURCE_LIMIT · Cloud Function Related Errors · cloudbase-http, cloudbase-sdk
            FUNCTION_EXECUTE_FAIL · Cloud Function Related Errors · cloudbase-http
            FUNCTION_INVOCATION_FAILED · Cloud Function Related Errors · cloudbase-http, cloudbase-sdk
        "#]],
    );
}

#[test]
fn deprecated_codes_are_tagged_and_sorted_last() {
    let mut s = Session::new(r#"x = "INVALID_$0""#);
    let items = s.completion_items();
    let deprecated = items.iter().find(|i| i["label"] == "INVALID_ENV_ID").expect("INVALID_ENV_ID offered");
    assert_eq!(deprecated["tags"], json!([1]));
    // Also for clients without tag support.
    assert_eq!(deprecated["deprecated"], json!(true));
    let current = items.iter().find(|i| i["label"] == "INVALID_ENV").unwrap();
    assert!(current.get("deprecated").is_none() && current.get("tags").is_none(), "{current}");
    assert!(deprecated["sortText"].as_str() > current["sortText"].as_str());
    // Deprecated codes come after every other code.
    assert_eq!(labels(&items).last().map(String::as_str), Some("INVALID_ENV_ID"), "{:?}", labels(&items));
    s.shutdown();
}

#[test]
fn an_empty_string_offers_codes_only_in_a_code_place() {
    let mut s = Session::new(
        r#"
        //- /a.py
        code = "$0"
        EXCEED_$1
        # "EXCEED_$2 in a comment
        open("$3")
        "#,
    );
    assert!(s.completion().contains(&"FUNCTION_NOT_FOUND".to_string()));
    assert_eq!(s.completion_at(1), Vec::<String>::new(), "outside a string");
    assert_eq!(s.completion_at(2), Vec::<String>::new(), "inside a comment");
    assert_eq!(s.completion_at(3), Vec::<String>::new(), "an argument of open()");
    s.shutdown();
}

#[test]
fn typing_a_quote_outside_a_code_place_is_quiet() {
    let mut s = Session::new(
        r#"
        //- /src/app.ts
        import x from "$0
        window.addEventListener("$1
        console.log("$2
        const u = `${base}/api/$3`
        import y from "./re$4
        alert("hello wor$5
        // err.code === "$6
        "#,
    );
    s.diagnostics("/src/app.ts");
    for n in 0..7 {
        let answer = s.completion_raw_at(n);
        assert!(answer.is_null(), "${n}: {answer}");
    }
    // A code-shaped word asks for codes anywhere (not in comments).
    s.change(
        "/src/app.ts",
        r#"
        console.log("FUNC$0
        // "FUNC$1
        "#,
    );
    assert!(s.completion().contains(&"FUNCTION_NOT_FOUND".to_string()));
    assert_eq!(s.completion_at(1), Vec::<String>::new());
    s.shutdown();
}

#[test]
fn a_code_place_completes_from_an_empty_or_lowercase_prefix() {
    let mut s = Session::new(
        r#"
        //- /src/app.js
        if (err.code === "$0") {}
        if (err.code === "func$1") {}
        "#,
    );
    // Once analysed, the context still comes from the text before the literal.
    s.diagnostics("/src/app.js");
    let all = s.completion();
    assert!(all.len() > 100, "{}", all.len());
    // Prefix matches ("func...") rank before fuzzy ones.
    let sorted = s.completion_at(1);
    assert!(sorted.iter().take_while(|l| l.starts_with("FUNC")).any(|l| l == "FUNCTION_NOT_FOUND"), "{sorted:?}");
    // The lowercase prefix is replaced.
    let text = s.accept_completion_at(1, "FUNCTION_NOT_FOUND");
    assert_eq!(text.lines().nth(1), Some(r#"if (err.code === "FUNCTION_NOT_FOUND") {}"#));
    s.shutdown();
}

#[test]
fn a_code_in_two_catalogs_is_one_item() {
    let labels = completion(r#"if (e.code === "FUNCTION_NOT$0") {}"#);
    assert_eq!(labels.iter().filter(|l| *l == "FUNCTION_NOT_FOUND").count(), 1, "{labels:?}");
}

#[test]
fn codes_used_in_the_workspace_rank_first() {
    let mut s = Session::new(
        r#"
        //- /src/retry.ts closed
        if (e.code === "SERVICE_TIMEOUT") retry();
        //- /src/new.ts
        const code = "$0";
        "#,
    );
    // The index is built in the background: ask until it has the other file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let first = loop {
        let first = s.completion().first().cloned();
        if first.as_deref() == Some("SERVICE_TIMEOUT") || std::time::Instant::now() > deadline {
            break first;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(first.as_deref(), Some("SERVICE_TIMEOUT"));
    s.shutdown();
}

#[test]
fn a_big_catalog_gives_a_capped_incomplete_list() {
    let mut catalog = String::from("[catalog]\nname = \"big\"\n");
    for i in 0..3000 {
        catalog.push_str(&format!(
            "\n[[codes]]\ncode = \"PAY_ERROR_{i:04}\"\ncategory = \"Billing\"\nsummary = \"Case {i}.\"\n"
        ));
    }
    let fixture = format!(
        "//- no-cloudbase\n//- /errcode.toml\ncatalogs = [\"errors/big.toml\"]\n//- /errors/big.toml closed\n{catalog}//- /a.ts\nconst errCode = \"$0\";\nconst errCode2 = \"PAY_ERROR_29$1\";\n"
    );
    let mut s = Session::new(&fixture);
    let answer = s.completion_raw_at(0);
    assert_eq!(answer["isIncomplete"], json!(true));
    assert_eq!(answer["items"].as_array().unwrap().len(), 500);
    // A narrower prefix gets the complete list.
    let answer = s.completion_raw_at(1);
    assert_eq!(answer["isIncomplete"], json!(false));
    let items = answer["items"].as_array().unwrap();
    assert!(items.len() >= 10 && labels(items).contains(&"PAY_ERROR_2999".to_string()), "{}", items.len());
    s.shutdown();
}

#[test]
fn completion_after_typing_on_a_large_file_uses_the_new_text() {
    let mut text = String::from("//- /big.ts\n");
    for i in 0..20_000 {
        text.push_str(&format!("const v{i} = \"value {i}\"; // comment's apostrophe\n"));
    }
    let mut s = Session::new(&text);
    s.diagnostics("/big.ts");
    // Type `call("FUNC` at the end and ask for completion at once.
    let typed = s.file("/big.ts").text.clone() + "call(\"FUNC$0";
    s.change("/big.ts", &typed);
    assert!(s.completion().contains(&"FUNCTION_NOT_FOUND".to_string()));
    s.shutdown();
}
