//! The fixture language of the end-to-end feature tests: a test states the project's files, the
//! cursor and the expected findings as one annotated text, and the server's answers are
//! compared with it (or rendered for an `expect![[...]]` snapshot).
//!
//! ```text
//! //- /src/a.ts
//! if (e.code === "EXCEED_RATE_LIMIT") {}
//!                 ^^^^^^^^^^^^^^^^^ warning misspelled-code: unknown error code `EXCEED_RATE_LIMIT`
//! const x = "FUNC$0";
//! //- /errcode.toml
//! allow = ["MY_CODE"]
//! ```
//!
//! * `//- /path` starts a file (relative to a temporary project root). Text before the first
//!   header is the file `/a.ts`. Every file is written to disk; each is also opened in the
//!   editor (`didOpen`, version 1, language from the extension), except `package.json`,
//!   `errcode.toml`, `.errcode.toml`, `.gitignore` and files whose header ends in ` closed`
//!   (` open` opens one of those).
//! * The project has a CloudBase `package.json` unless the fixture has its own
//!   `//- /package.json` or a line `//- no-cloudbase`.
//! * `$0` marks the cursor (hover, completion, code actions, references...); `$1`..`$9` mark
//!   further positions for tests that ask at several places (`Session::hover_at(1)`). The
//!   markers are removed from the text (so `$` and a digit cannot be fixture text).
//! * A line of blanks and carets, `^^^ label`, annotates the columns it marks on the nearest
//!   text line above it, and is removed from the text (several may follow one line). Columns
//!   count `char`s of the line as written (markers included: carets under `SER$0VICE` span
//!   the `$0` too), like the scanner fixtures (`core/tests/fixtures/scan/`); the layer converts
//!   them to the negotiated position encoding (UTF-16 or UTF-8). Labels:
//!   - `<severity> <code>[ (deprecated)]: <message>` is an expected diagnostic, `severity` one of
//!     `error`, `warning`, `info`, `hint`, `(deprecated)` the `Deprecated` tag; the message may
//!     be cut short (a prefix) or left out with its colon. Every diagnostic must be annotated.
//!   - `ref` is an expected use of the code under the cursor (references, highlights).
//!   - `link` is an expected document link.
//! * A fixture written as an indented raw string starting with a line break is dedented.
//!
//! One-shot helpers start a server on a fixture, ask, and shut it down: `check_diagnostics`,
//! `hover`/`check_hover`, `completion`/`check_completion_list`/`check_completion`,
//! `code_actions`, `check_fix`, `check_fix_all`, `check_references`. A `Session` keeps the
//! server for a test that asks several things or edits (`change` sends the smallest ranged
//! edit, `write`/`delete` change files on disk and tell the server).
//!
//! The `check_*` functions compare the whole annotated text and on a mismatch print expected
//! and actual as a line diff (`-` expected, `+` actual), then the actual text in full, ready to
//! paste. Hover Markdown, completion lists and code-action lists are rendered as text for
//! `expect![[...]]` snapshots (expect-test; `UPDATE_EXPECT=1 cargo test` rewrites them).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use errcode_core::text::Unit;
use serde_json::{json, Value};

use super::{default_capabilities, lsp_offset_in, Client, Project};

/// One annotation: a byte range of the file's (clean) text and its label.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Annotation {
    pub start: usize,
    pub end: usize,
    pub label: String,
}

/// One file of a fixture.
#[derive(Clone, Debug)]
pub struct File {
    /// Relative to the project root, without the leading `/`.
    pub path: String,
    pub text: String,
    /// Opened in the editor.
    pub open: bool,
    /// Cursor markers: (`$n`, byte offset).
    pub cursors: Vec<(u8, usize)>,
    pub annotations: Vec<Annotation>,
}

/// A parsed fixture.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub files: Vec<File>,
    /// Write the default CloudBase `package.json`.
    pub cloudbase: bool,
}

const DEFAULT_PATH: &str = "a.ts";

/// `FileChangeType`s of `didChangeWatchedFiles`.
pub const CREATED: u8 = 1;
pub const CHANGED: u8 = 2;
pub const DELETED: u8 = 3;
const CLOSED_BY_DEFAULT: [&str; 4] = ["package.json", "errcode.toml", ".errcode.toml", ".gitignore"];

/// Removes the common indentation of an indented raw string that starts with a line break.
fn dedent(fixture: &str) -> String {
    let Some(body) = fixture.strip_prefix('\n') else { return fixture.to_string() };
    let mut lines: Vec<&str> = body.split_inclusive('\n').collect();
    // The closing quote's indentation.
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines.iter().map(|l| if l.trim().is_empty() { l.trim_start_matches([' ', '\t']) } else { &l[indent..] }).collect()
}

/// The annotation of a caret line: (first char column, last char column, label).
fn parse_caret_line(line: &str) -> Option<(usize, usize, String)> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    if !trimmed.starts_with('^') {
        return None;
    }
    let first = line.chars().count() - trimmed.chars().count();
    let carets = trimmed.chars().take_while(|&c| c == '^').count();
    let rest = &trimmed[carets..];
    let label = match rest.strip_prefix(' ') {
        Some(label) => label.trim_end().to_string(),
        None if rest.trim().is_empty() => String::new(),
        None => return None,
    };
    Some((first, first + carets - 1, label))
}

/// Removes `$n` markers from a line; returns the clean line, the markers (n, byte offset in the
/// clean line) and, for each char column of the written line, the byte offset in the clean one.
fn strip_markers(line: &str) -> (String, Vec<(u8, usize)>, Vec<usize>) {
    let mut clean = String::new();
    let mut markers = Vec::new();
    let mut columns = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            markers.push((chars[i + 1] as u8 - b'0', clean.len()));
            columns.extend([clean.len(), clean.len()]);
            i += 2;
            continue;
        }
        columns.push(clean.len());
        clean.push(chars[i]);
        i += 1;
    }
    (clean, markers, columns)
}

/// Parses the text of one file (no header).
fn parse_file(path: &str, open: bool, body: &str) -> File {
    let mut text = String::new();
    let mut cursors = Vec::new();
    let mut annotations = Vec::new();
    // The start of the last text line in `text`, its clean content and its column map.
    let mut last: Option<(usize, String, Vec<usize>)> = None;
    for raw in body.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let (Some((line_start, clean, columns)), Some((first, last_col, label))) = (&last, parse_caret_line(line)) {
            let byte = |col: usize| columns.get(col).copied().unwrap_or(clean.len());
            let start = line_start + byte(first);
            let mut end = line_start + byte(last_col);
            // Past the last marked char (the column after the line is its line break).
            end += clean[end - line_start..].chars().next().map_or(0, char::len_utf8);
            annotations.push(Annotation { start, end, label });
            continue;
        }
        let (clean, markers, columns) = strip_markers(raw);
        let line_start = text.len();
        cursors.extend(markers.into_iter().map(|(n, at)| (n, line_start + at)));
        text.push_str(&clean);
        let clean_line = clean.trim_end_matches(['\n', '\r']).to_string();
        last = Some((line_start, clean_line, columns));
    }
    File { path: path.to_string(), text, open, cursors, annotations }
}

impl Fixture {
    pub fn parse(fixture: &str) -> Fixture {
        let source = dedent(fixture);
        let mut files = Vec::new();
        let mut cloudbase = true;
        // (path, open, body)
        let mut current: Option<(String, bool, String)> = None;
        let mut preamble = String::new();
        for raw in source.split_inclusive('\n') {
            let line = raw.trim_end();
            if let Some(header) = line.strip_prefix("//- ") {
                if header == "no-cloudbase" {
                    cloudbase = false;
                    continue;
                }
                let mut words = header.split_whitespace();
                let path = words.next().and_then(|p| p.strip_prefix('/'));
                let path = path.unwrap_or_else(|| panic!("a file header is `//- /path`: {line:?}"));
                let mut open = !CLOSED_BY_DEFAULT.contains(&path);
                for flag in words {
                    match flag {
                        "closed" => open = false,
                        "open" => open = true,
                        other => panic!("unknown flag {other:?} in {line:?}"),
                    }
                }
                if let Some((p, o, body)) = current.take() {
                    files.push(parse_file(&p, o, &body));
                }
                current = Some((path.to_string(), open, String::new()));
                continue;
            }
            match &mut current {
                Some((_, _, body)) => body.push_str(raw),
                None => preamble.push_str(raw),
            }
        }
        if let Some((p, o, body)) = current.take() {
            files.push(parse_file(&p, o, &body));
        }
        if !preamble.trim().is_empty() {
            files.insert(0, parse_file(DEFAULT_PATH, true, &preamble));
        }
        if files.iter().any(|f| f.path == "package.json") {
            cloudbase = false;
        }
        Fixture { files, cloudbase }
    }
}

/// The LSP language id of a path.
pub fn language_id(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "ts" => "typescript",
        "tsx" => "typescriptreact",
        "js" | "mjs" | "cjs" => "javascript",
        "py" => "python",
        "go" => "go",
        "rs" => "rust",
        "yaml" | "yml" => "yaml",
        "toml" => "toml",
        "json" => "json",
        _ => "plaintext",
    }
}

/// A server started on a fixture's project, with the fixture's documents open.
pub struct Session {
    pub client: Client,
    pub project: Project,
    pub files: Vec<File>,
    /// The negotiated position encoding.
    pub unit: Unit,
    versions: BTreeMap<String, i64>,
    /// The diagnostics last received for each document, with the version they are for.
    published: BTreeMap<String, (i64, Vec<Value>)>,
}

/// What can go wrong in the middle of a test, spelled as a panic with the context.
fn fail(what: &str, expected: &str, actual: &str) -> ! {
    panic!("{what} differ (- expected, + actual):\n{}\nactual, in full:\n{actual}", line_diff(expected, actual));
}

impl Session {
    /// Starts a server with VS Code-like capabilities and no initialization options.
    pub fn new(fixture: &str) -> Session {
        Session::with(fixture, json!({}), default_capabilities())
    }

    pub fn with(fixture: &str, options: Value, capabilities: Value) -> Session {
        let fixture = Fixture::parse(fixture);
        let project = if fixture.cloudbase { Project::cloudbase() } else { Project::empty() };
        for f in &fixture.files {
            project.write(&f.path, &f.text);
        }
        let mut client = Client::spawn();
        let init = client.initialize(&project.root(), options, capabilities);
        let unit = match init["capabilities"]["positionEncoding"].as_str() {
            Some("utf-8") => Unit::Utf8,
            Some("utf-32") => Unit::Chars,
            _ => Unit::Utf16,
        };
        let mut s = Session {
            client,
            project,
            files: fixture.files,
            unit,
            versions: BTreeMap::new(),
            published: BTreeMap::new(),
        };
        for f in s.files.clone().iter().filter(|f| f.open) {
            let uri = s.uri(&f.path);
            s.client.open(&uri, language_id(&f.path), &f.text);
            s.versions.insert(f.path.clone(), 1);
        }
        s
    }

    pub fn uri(&self, path: &str) -> String {
        self.project.uri(path.trim_start_matches('/'))
    }

    pub fn file(&self, path: &str) -> &File {
        let path = path.trim_start_matches('/');
        self.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no file /{path} in the fixture"))
    }

    fn file_mut(&mut self, path: &str) -> &mut File {
        let path = path.trim_start_matches('/');
        self.files.iter_mut().find(|f| f.path == path).unwrap_or_else(|| panic!("no file /{path} in the fixture"))
    }

    /// The file holding marker `$n` and its byte offset.
    pub fn marker(&self, n: u8) -> (String, usize) {
        self.files
            .iter()
            .find_map(|f| f.cursors.iter().find(|c| c.0 == n).map(|c| (f.path.clone(), c.1)))
            .unwrap_or_else(|| panic!("no ${n} in the fixture"))
    }

    /// The LSP position of byte `offset` of `text`, in the negotiated encoding.
    pub fn position(&self, text: &str, offset: usize) -> Value {
        let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line = super::line_starts(&text[..offset]).len() - 1;
        let s = &text[line_start..offset];
        let character = match self.unit {
            Unit::Utf8 => s.len(),
            Unit::Utf16 => s.encode_utf16().count(),
            Unit::Chars => s.chars().count(),
        };
        json!({"line": line, "character": character})
    }

    /// The byte offset in `text` of an LSP position in the negotiated encoding.
    pub fn offset(&self, text: &str, pos: &Value) -> usize {
        lsp_offset_in(text, pos, self.unit)
    }

    /// `{"textDocument", "position"}` at marker `$n`.
    pub fn at(&self, n: u8) -> Value {
        let (path, offset) = self.marker(n);
        let pos = self.position(&self.file(&path).text, offset);
        json!({"textDocument": {"uri": self.uri(&path)}, "position": pos})
    }

    /// The project-relative path of a URI, `None` outside the project.
    fn path_of_uri(&self, uri: &str) -> Option<String> {
        uri.strip_prefix(&format!("file://{}/", self.project.root().display())).map(str::to_string)
    }

    /// A range (LSP JSON) of file `path` as byte offsets of its text.
    fn range_in(&self, path: &str, range: &Value) -> (usize, usize) {
        let text = &self.file(path).text;
        (self.offset(text, &range["start"]), self.offset(text, &range["end"]))
    }

    // ---------------------------------------------------------------------------------------
    // Diagnostics

    /// The diagnostics of open document `path` for its current version (waiting for them).
    pub fn diagnostics(&mut self, path: &str) -> Vec<Value> {
        let path = path.trim_start_matches('/').to_string();
        let version = *self.versions.get(&path).unwrap_or_else(|| panic!("/{path} is not open"));
        if let Some((v, diags)) = self.published.get(&path) {
            if *v == version {
                return diags.clone();
            }
        }
        let uri = self.uri(&path);
        let diags = self.client.diagnostics(&uri, Some(version));
        self.published.insert(path, (version, diags.clone()));
        diags
    }

    /// Checks that the diagnostics of every open document are the fixture's diagnostic
    /// annotations (range, severity, code, the `Deprecated` tag and the start of the message),
    /// and that they all come from `errcode`.
    pub fn check_diagnostics(&mut self) {
        let paths: Vec<String> = self.files.iter().filter(|f| f.open).map(|f| f.path.clone()).collect();
        let mut expected = BTreeMap::new();
        let mut actual = BTreeMap::new();
        for path in paths {
            let wanted: Vec<Annotation> =
                self.file(&path).annotations.iter().filter(|a| is_diagnostic(&a.label)).cloned().collect();
            let mut got = Vec::new();
            for d in self.diagnostics(&path) {
                assert_eq!(d["source"], "errcode", "{d}");
                let (start, end) = self.range_in(&path, &d["range"]);
                let label = diagnostic_label(&d);
                // An expected annotation that says less (a message prefix) stands for the actual one.
                let label = wanted
                    .iter()
                    .find(|a| a.start == start && a.end == end && label_matches(&a.label, &label))
                    .map_or(label, |a| a.label.clone());
                got.push(Annotation { start, end, label });
            }
            expected.insert(path.clone(), wanted);
            actual.insert(path, got);
        }
        let (expected, actual) = (self.render_files(&expected), self.render_files(&actual));
        if expected != actual {
            fail("diagnostics", &expected, &actual);
        }
    }

    /// The open files, each with the given annotations, in the fixture language.
    fn render_files(&self, annotations: &BTreeMap<String, Vec<Annotation>>) -> String {
        let mut out = String::new();
        for f in &self.files {
            if let Some(a) = annotations.get(&f.path) {
                out.push_str(&format!("//- /{}\n", f.path));
                out.push_str(&render(&f.text, a));
            }
        }
        out
    }

    // ---------------------------------------------------------------------------------------
    // Hover

    /// The raw hover at `$n`.
    pub fn hover_raw_at(&mut self, n: u8) -> Value {
        let params = self.at(n);
        self.client.request("textDocument/hover", params)
    }

    /// The hover at `$0`, rendered (see `render_hover`); `None` for no hover.
    pub fn hover(&mut self) -> Option<String> {
        self.hover_at(0)
    }

    pub fn hover_at(&mut self, n: u8) -> Option<String> {
        let h = self.hover_raw_at(n);
        if h.is_null() {
            return None;
        }
        let (path, _) = self.marker(n);
        Some(self.render_hover(&path, &h))
    }

    /// The text the hover at `$n` is about (its range), `None` for no hover.
    pub fn hovered_at(&mut self, n: u8) -> Option<String> {
        let h = self.hover_raw_at(n);
        if h.is_null() {
            return None;
        }
        let (path, _) = self.marker(n);
        let (start, end) = self.range_in(&path, &h["range"]);
        Some(self.file(&path).text[start..end].to_string())
    }

    /// A hover as text: the hovered line with its range marked and the content's kind, then the
    /// content.
    pub fn render_hover(&self, path: &str, h: &Value) -> String {
        let mut out = String::new();
        let kind = h["contents"]["kind"].as_str().unwrap_or("?");
        if h["range"].is_object() {
            let text = &self.file(path).text;
            let (start, end) = self.range_in(path, &h["range"]);
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line = &text[line_start..line_end];
            let a = Annotation { start: start - line_start, end: end.min(line_end) - line_start, label: kind.into() };
            out.push_str(&render(line, &[a]));
        } else {
            out.push_str(&format!("(no range) {kind}\n"));
        }
        out.push_str("---\n");
        out.push_str(h["contents"]["value"].as_str().unwrap_or_else(|| panic!("hover contents: {h}")).trim_end());
        out.push('\n');
        out
    }

    // ---------------------------------------------------------------------------------------
    // Completion

    /// The whole completion answer at `$n` (a list with `isIncomplete`, items, or null).
    pub fn completion_raw_at(&mut self, n: u8) -> Value {
        let params = self.at(n);
        self.client.request("textDocument/completion", params)
    }

    /// The completion items at `$n`, sorted as clients sort them without a typed filter (by
    /// `sortText`, else label).
    pub fn completion_items_at(&mut self, n: u8) -> Vec<Value> {
        let r = self.completion_raw_at(n);
        let mut items = r.get("items").unwrap_or(&r).as_array().cloned().unwrap_or_default();
        let key = |i: &Value| i.get("sortText").or(i.get("label")).and_then(Value::as_str).unwrap_or("").to_string();
        items.sort_by_key(key);
        items
    }

    pub fn completion_items(&mut self) -> Vec<Value> {
        self.completion_items_at(0)
    }

    /// The labels offered at `$n`, in `sortText` order.
    pub fn completion_at(&mut self, n: u8) -> Vec<String> {
        labels(&self.completion_items_at(n))
    }

    pub fn completion(&mut self) -> Vec<String> {
        self.completion_at(0)
    }

    /// The text of `$0`'s file after accepting the item `label` (its `textEdit`).
    pub fn accept_completion(&mut self, label: &str) -> String {
        self.accept_completion_at(0, label)
    }

    pub fn accept_completion_at(&mut self, n: u8, label: &str) -> String {
        let items = self.completion_items_at(n);
        let item = items.iter().find(|i| i["label"] == label);
        let item = item.unwrap_or_else(|| panic!("{label} not offered: {:?}", labels(&items)));
        let (path, cursor) = self.marker(n);
        let mut text = self.file(&path).text.clone();
        let edit = &item["textEdit"];
        let (start, end, new) = if edit.is_object() {
            let range = if edit["range"].is_object() { &edit["range"] } else { &edit["replace"] };
            let (s, e) = self.range_in(&path, range);
            (s, e, edit["newText"].as_str().unwrap().to_string())
        } else {
            let new = item.get("insertText").unwrap_or(&item["label"]).as_str().unwrap().to_string();
            (cursor, cursor, new)
        };
        text.replace_range(start..end, &new);
        text
    }

    // ---------------------------------------------------------------------------------------
    // Code actions

    /// The code actions for `diagnostics` of `$0`'s file over `$0` (or the whole start of the
    /// file without a `$0`), of kind `only` if given.
    pub fn code_actions_for(&mut self, diagnostics: &[Value], only: Option<&str>) -> Vec<Value> {
        let (uri, pos) = if self.files.iter().any(|f| f.cursors.iter().any(|c| c.0 == 0)) {
            let at = self.at(0);
            (at["textDocument"]["uri"].clone(), at["position"].clone())
        } else {
            (json!(self.uri(&self.main_path())), json!({"line": 0, "character": 0}))
        };
        let mut context = json!({"diagnostics": diagnostics});
        if let Some(kind) = only {
            context["only"] = json!([kind]);
        }
        let params = json!({"textDocument": {"uri": uri}, "range": {"start": pos, "end": pos}, "context": context});
        self.client.request("textDocument/codeAction", params).as_array().cloned().unwrap_or_default()
    }

    /// The code actions at `$0` for the published diagnostics there, as an editor asks for
    /// them, each resolved if the server left its edit to `codeAction/resolve`.
    pub fn code_actions(&mut self, only: Option<&str>) -> Vec<Value> {
        self.code_actions_at(0, only)
    }

    pub fn code_actions_at(&mut self, n: u8, only: Option<&str>) -> Vec<Value> {
        let (path, cursor) = self.marker(n);
        let diags: Vec<Value> = self
            .diagnostics(&path)
            .into_iter()
            .filter(|d| {
                let (s, e) = self.range_in(&path, &d["range"]);
                s <= cursor && cursor <= e
            })
            .collect();
        let params = self.at(n);
        let mut context = json!({"diagnostics": diags});
        if let Some(kind) = only {
            context["only"] = json!([kind]);
        }
        let range = json!({"start": params["position"], "end": params["position"]});
        let params = json!({"textDocument": params["textDocument"], "range": range, "context": context});
        let actions = self.client.request("textDocument/codeAction", params).as_array().cloned().unwrap_or_default();
        actions.into_iter().map(|a| self.resolve(a)).collect()
    }

    /// An action with its edit: as given, or resolved.
    pub fn resolve(&mut self, action: Value) -> Value {
        if action.get("edit").is_some() || action.get("command").is_some_and(Value::is_string) {
            return action;
        }
        self.client.request("codeAction/resolve", action)
    }

    /// The code actions at `$0` as text, one per line: title, kind and whether preferred.
    pub fn code_action_list(&mut self) -> String {
        render_actions(&self.code_actions(None))
    }

    /// Checks the code actions at `$0` (see `render_actions`) against a snapshot.
    pub fn check_code_actions(&mut self, expect: expect_test::Expect) {
        expect.assert_eq(&self.code_action_list());
    }

    /// The action titled `title` at `$0` (resolved).
    pub fn code_action(&mut self, title: &str) -> Value {
        self.code_action_at(0, title)
    }

    pub fn code_action_at(&mut self, n: u8, title: &str) -> Value {
        let actions = self.code_actions_at(n, None);
        let titles = titles(&actions);
        actions.into_iter().find(|a| a["title"] == title).unwrap_or_else(|| panic!("no action {title:?}: {titles:?}"))
    }

    /// The first open file (the one a fixture without headers is about).
    fn main_path(&self) -> String {
        self.files.iter().find(|f| f.open).map(|f| f.path.clone()).expect("an open file")
    }

    /// The current text of a project file: the fixture's (open documents) or the disk's.
    fn current_text(&self, path: &str) -> Option<String> {
        match self.files.iter().find(|f| f.path == path && f.open) {
            Some(f) => Some(f.text.clone()),
            None => std::fs::read_to_string(self.project.path(path)).ok(),
        }
    }

    /// Applies a `WorkspaceEdit` as an editor does: open documents are changed in the editor
    /// (`didChange`), other files on disk (file creation honours `ignoreIfExists`). Returns the
    /// paths it changed, in order.
    pub fn apply_edit(&mut self, edit: &Value) -> Vec<String> {
        let mut changed: Vec<String> = Vec::new();
        let mut ops: Vec<(String, Vec<Value>)> = Vec::new();
        for (uri, edits) in edit["changes"].as_object().into_iter().flatten() {
            ops.push((uri.clone(), edits.as_array().unwrap().clone()));
        }
        for op in edit["documentChanges"].as_array().into_iter().flatten() {
            match op["kind"].as_str() {
                Some("create") => {
                    let path = self.path_of_uri(op["uri"].as_str().unwrap()).expect("a file in the project");
                    let keep = op["options"]["ignoreIfExists"] == true && self.project.path(&path).exists();
                    if !keep {
                        self.project.write(&path, "");
                        changed.push(path);
                    }
                }
                Some(other) => panic!("resource operation {other} not supported by the test client"),
                None => ops.push((
                    op["textDocument"]["uri"].as_str().unwrap().into(),
                    op["edits"].as_array().unwrap().clone(),
                )),
            }
        }
        for (uri, edits) in ops {
            let path = self.path_of_uri(&uri).unwrap_or_else(|| panic!("an edit outside the project: {uri}"));
            let text = super::applied_edits_in(&self.current_text(&path).unwrap_or_default(), &edits, self.unit);
            if self.versions.contains_key(&path) {
                self.set_text(&path, text);
            } else {
                self.project.write(&path, &text);
            }
            if !changed.contains(&path) {
                changed.push(path);
            }
        }
        changed
    }

    /// Checks that applying the action titled `title` at `$0` gives `after`: the changed files
    /// (a fixture; without a header, the file of `$0`).
    pub fn check_fix(&mut self, title: &str, after: &str) {
        let action = self.code_action(title);
        self.check_edit(&action["edit"], after);
    }

    /// Checks that fix-all (`source.fixAll`) on the first open file gives `after`.
    pub fn check_fix_all(&mut self, after: &str) {
        let path = self.main_path();
        self.diagnostics(&path);
        let actions = self.code_actions_for(&[], Some("source.fixAll"));
        assert_eq!(actions.len(), 1, "{}", render_actions(&actions));
        assert_eq!(actions[0]["kind"], "source.fixAll.errcode");
        let action = self.resolve(actions[0].clone());
        self.check_edit(&action["edit"], after);
    }

    /// Applies a `WorkspaceEdit` (see `apply_edit`) and checks that the files it changed are
    /// `after` (a fixture; without a header, the file of `$0` or the first open file).
    pub fn check_edit(&mut self, edit: &Value, after: &str) {
        let main = self.marker_path_or_main();
        let changed = self.apply_edit(edit);
        let mut want = Fixture::parse(after);
        for f in &mut want.files {
            if f.path == DEFAULT_PATH && !after.contains("//- /") {
                f.path = main.clone();
            }
        }
        let render = |mut files: Vec<(String, String)>| -> String {
            files.sort();
            files.into_iter().map(|(p, t)| format!("//- /{p}\n{t}")).collect()
        };
        let expected = render(want.files.iter().map(|f| (f.path.clone(), f.text.clone())).collect());
        let actual = render(changed.iter().map(|p| (p.clone(), self.current_text(p).unwrap_or_default())).collect());
        if expected != actual {
            fail("files after the edit", &expected, &actual);
        }
    }

    fn marker_path_or_main(&self) -> String {
        self.files
            .iter()
            .find(|f| f.cursors.iter().any(|c| c.0 == 0))
            .map_or_else(|| self.main_path(), |f| f.path.clone())
    }

    // ---------------------------------------------------------------------------------------
    // References and highlights

    /// `textDocument/references` at `$0`.
    pub fn references(&mut self, include_declaration: bool) -> Value {
        let mut params = self.at(0);
        params["context"] = json!({"includeDeclaration": include_declaration});
        self.client.request("textDocument/references", params)
    }

    /// Checks that the references of the code at `$0` (without its declaration) are the `ref`
    /// annotations of the fixture's files. The workspace is indexed in the background: asks again
    /// until they are, for up to 10 seconds.
    pub fn check_references(&mut self) {
        self.check_ranges("references", "ref", None, true, |s| s.references(false));
    }

    /// The same, asking once: for what the server must know already (open documents).
    pub fn check_references_now(&mut self) {
        self.check_ranges("references", "ref", None, false, |s| s.references(false));
    }

    /// Checks that the document highlights at `$0` are the `ref` annotations of its file.
    pub fn check_highlights(&mut self) {
        let (path, _) = self.marker(0);
        self.check_ranges("highlights", "ref", Some(&path), false, |s| {
            let params = s.at(0);
            let uri = params["textDocument"]["uri"].clone();
            let list = s.client.request("textDocument/documentHighlight", params);
            let list = list.as_array().cloned().unwrap_or_default();
            json!(list.iter().map(|h| json!({"uri": uri, "range": h["range"]})).collect::<Vec<_>>())
        });
    }

    /// Checks that the document links of the first open file are its `link` annotations;
    /// returns the links.
    pub fn check_links(&mut self) -> Vec<Value> {
        let path = self.main_path();
        let uri = self.uri(&path);
        let links = self.client.request("textDocument/documentLink", json!({"textDocument": {"uri": uri}}));
        let list = links.as_array().cloned().unwrap_or_default();
        let locations = json!(list.iter().map(|l| json!({"uri": uri, "range": l["range"]})).collect::<Vec<_>>());
        self.check_ranges("document links", "link", Some(&path), false, |_| locations.clone());
        list
    }

    /// Compares locations (`[{uri, range}]`) with the annotations labelled `label`, of file
    /// `only` or of every file; with `retry`, asks again until they agree or 10 seconds have
    /// passed.
    fn check_ranges(
        &mut self,
        what: &str,
        label: &str,
        only: Option<&str>,
        retry: bool,
        mut get: impl FnMut(&mut Session) -> Value,
    ) {
        let in_scope: Vec<String> =
            self.files.iter().filter(|f| only.is_none_or(|o| o == f.path)).map(|f| f.path.clone()).collect();
        let mut expected = BTreeMap::new();
        for f in self.files.iter().filter(|f| in_scope.contains(&f.path)) {
            let wanted: Vec<Annotation> = f.annotations.iter().filter(|a| a.label == label).cloned().collect();
            expected.insert(f.path.clone(), wanted);
        }
        let expected = self.render_all(&expected, &[]);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let locations = get(self);
            let mut actual: BTreeMap<String, Vec<Annotation>> =
                in_scope.iter().map(|p| (p.clone(), Vec::new())).collect();
            let mut elsewhere = Vec::new();
            for l in locations.as_array().cloned().unwrap_or_default() {
                let uri = l["uri"].as_str().unwrap();
                match self.path_of_uri(uri).filter(|p| in_scope.contains(p)) {
                    Some(p) => {
                        let (start, end) = self.range_in(&p, &l["range"]);
                        actual.entry(p).or_default().push(Annotation { start, end, label: label.into() });
                    }
                    None => elsewhere.push(format!("{uri} {}", l["range"])),
                }
            }
            let actual = self.render_all(&actual, &elsewhere);
            if actual == expected {
                return;
            }
            if !retry || Instant::now() > deadline {
                fail(what, &expected, &actual);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every fixture file named in `annotations`, annotated, then locations outside the fixture.
    fn render_all(&self, annotations: &BTreeMap<String, Vec<Annotation>>, elsewhere: &[String]) -> String {
        let mut out = self.render_files(annotations);
        for e in elsewhere {
            out.push_str(&format!("//- elsewhere: {e}\n"));
        }
        out
    }

    // ---------------------------------------------------------------------------------------
    // Editing

    /// Replaces `path`'s text in the editor with `new` (a fixture for that one file: its markers
    /// and annotations replace the old ones), sending the smallest single ranged change, in the
    /// negotiated encoding, as an editor does when one types.
    pub fn change(&mut self, path: &str, new: &str) {
        let parsed = Fixture::parse(&format!("//- /{}\n{}", path.trim_start_matches('/'), dedent(new)));
        let file = parsed.files.into_iter().next().unwrap();
        let path = file.path.clone();
        let old = self.file(&path).text.clone();
        let (start, old_end, new_end) = changed_span(&old, &file.text);
        let range = json!({"start": self.position(&old, start), "end": self.position(&old, old_end)});
        let version = self.versions[&path] + 1;
        let uri = self.uri(&path);
        self.client.change(&uri, version, json!([{"range": range, "text": &file.text[start..new_end]}]));
        self.versions.insert(path.clone(), version);
        let f = self.file_mut(&path);
        f.text = file.text;
        f.cursors = file.cursors;
        f.annotations = file.annotations;
    }

    /// Sets an open document's text (a whole-text change), keeping no markers.
    fn set_text(&mut self, path: &str, text: String) {
        let version = self.versions[path] + 1;
        let uri = self.uri(path);
        self.client.change(&uri, version, json!([{"text": text}]));
        self.versions.insert(path.to_string(), version);
        let f = self.file_mut(path);
        f.text = text;
        f.cursors.clear();
        f.annotations.clear();
    }

    /// Closes an open document.
    pub fn close(&mut self, path: &str) {
        let path = path.trim_start_matches('/').to_string();
        let uri = self.uri(&path);
        self.client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        self.versions.remove(&path);
        self.published.remove(&path);
        self.file_mut(&path).open = false;
    }

    /// Writes a project file on disk and tells the server (`didChangeWatchedFiles`). `text` is a
    /// fixture for that one file: its annotations and markers replace the file's (a file that is
    /// not yet in the fixture is added, closed).
    pub fn write(&mut self, path: &str, text: &str) {
        let path = path.trim_start_matches('/');
        let parsed = Fixture::parse(&format!("//- /{path}\n{}", dedent(text)));
        let mut file = parsed.files.into_iter().next().unwrap();
        let event = if self.project.path(path).exists() { CHANGED } else { CREATED };
        self.project.write(path, &file.text);
        match self.files.iter_mut().find(|f| f.path == path) {
            Some(f) => {
                file.open = f.open;
                *f = file;
            }
            None => {
                file.open = false;
                self.files.push(file);
            }
        }
        self.file_event(path, event);
    }

    /// Deletes a project file on disk and tells the server.
    pub fn delete(&mut self, path: &str) {
        let path = path.trim_start_matches('/');
        std::fs::remove_file(self.project.path(path)).unwrap();
        self.files.retain(|f| f.path != path);
        self.file_event(path, DELETED);
    }

    /// Tells the server a project file was created, changed or deleted on disk
    /// (`didChangeWatchedFiles`), dropping the diagnostics received before, so that the next
    /// wait sees fresh ones.
    pub fn file_event(&mut self, path: &str, event: u8) {
        for uri in self.versions.keys().map(|p| self.uri(p)).collect::<Vec<_>>() {
            self.client.forget_diagnostics(&uri);
        }
        self.published.clear();
        let uri = self.uri(path.trim_start_matches('/'));
        self.client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri, "type": event}]}));
    }

    /// The diagnostics the server publishes next for `path` (after a configuration change, which
    /// republishes without a new version).
    pub fn next_diagnostics(&mut self, path: &str) -> Vec<Value> {
        let uri = self.uri(path);
        self.client.diagnostics(&uri, None)
    }

    pub fn shutdown(self) {
        self.client.shutdown();
    }
}

/// (start, end in `old`, end in `new`) of the one span where `old` and `new` differ.
fn changed_span(old: &str, new: &str) -> (usize, usize, usize) {
    let mut start = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let max = old.len().min(new.len()) - start;
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    (start, old.len() - suffix, new.len() - suffix)
}

fn is_diagnostic(label: &str) -> bool {
    matches!(label.split([' ', ':']).next(), Some("error" | "warning" | "info" | "hint"))
}

/// A diagnostic's label in the fixture language.
pub fn diagnostic_label(d: &Value) -> String {
    let severity = match d["severity"].as_u64() {
        Some(1) => "error",
        Some(2) => "warning",
        Some(3) => "info",
        Some(4) => "hint",
        _ => "(no severity)",
    };
    let code = d["code"].as_str().map(str::to_string).unwrap_or_else(|| d["code"].to_string());
    let tags: Vec<&str> = d["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| match t.as_u64() {
            Some(1) => "unnecessary",
            Some(2) => "deprecated",
            _ => "?",
        })
        .collect();
    let tags = if tags.is_empty() { String::new() } else { format!(" ({})", tags.join(", ")) };
    format!("{severity} {code}{tags}: {}", d["message"].as_str().unwrap_or(""))
}

/// Whether an expected label stands for an actual one: the same up to the message, whose start
/// (or nothing) it gives.
fn label_matches(expected: &str, actual: &str) -> bool {
    match expected.split_once(": ") {
        Some(_) => actual.starts_with(expected),
        None => actual.split_once(": ").is_some_and(|(head, _)| head == expected.trim_end_matches(':')),
    }
}

/// Draws `text` with `annotations` in the fixture language: each annotation under its first
/// line (one reaching past that line is drawn to the line's end, saying where it ends).
pub fn render(text: &str, annotations: &[Annotation]) -> String {
    let mut sorted = annotations.to_vec();
    sorted.sort();
    let mut out = String::new();
    let mut offset = 0;
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        lines.push("");
    }
    for raw in lines {
        let line = raw.trim_end_matches(['\n', '\r']);
        out.push_str(line);
        out.push('\n');
        let line_end = offset + line.len();
        for a in sorted.iter().filter(|a| a.start >= offset && a.start <= line_end) {
            let first = line[..a.start - offset].chars().count();
            let width = line[a.start - offset..a.end.min(line_end) - offset].chars().count().max(1);
            out.push_str(&" ".repeat(first));
            out.push_str(&"^".repeat(width));
            if a.end > line_end {
                out.push_str(&format!(" (to line {})", text[..a.end].matches('\n').count() + 1));
            }
            if !a.label.is_empty() {
                out.push(' ');
                out.push_str(&a.label);
            }
            out.push('\n');
        }
        offset += raw.len();
    }
    out
}

pub fn labels(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

pub fn titles(actions: &[Value]) -> Vec<String> {
    actions.iter().map(|a| a["title"].as_str().unwrap().to_string()).collect()
}

/// Code actions as text: `title (kind, preferred)`, or `title (command name)` for a command.
pub fn render_actions(actions: &[Value]) -> String {
    let mut out = String::new();
    for a in actions {
        let mut notes: Vec<String> = Vec::new();
        if let Some(kind) = a["kind"].as_str() {
            notes.push(kind.into());
        }
        if a["isPreferred"] == true {
            notes.push("preferred".into());
        }
        if let Some(c) = a["command"].as_str().or(a["command"]["command"].as_str()) {
            notes.push(format!("command {c}"));
        }
        out.push_str(&format!("{} ({})\n", a["title"].as_str().unwrap_or("?"), notes.join(", ")));
    }
    out
}

/// A line diff of two texts: common lines with two blanks, `- ` and `+ ` for the others.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // The longest common subsequence, by dynamic programming from the ends.
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    out
}

// -------------------------------------------------------------------------------------------
// One-shot helpers: a server per call, shut down cleanly.

/// Checks a fixture's diagnostic annotations against what the server publishes.
pub fn check_diagnostics(fixture: &str) {
    let mut s = Session::new(fixture);
    s.check_diagnostics();
    s.shutdown();
}

/// The hover at `$0`, rendered; fails when there is none.
pub fn hover(fixture: &str) -> String {
    let mut s = Session::new(fixture);
    let h = s.hover().unwrap_or_else(|| panic!("no hover at $0"));
    s.shutdown();
    h
}

/// Checks the hover at `$0` (rendered: the hovered range, the content's kind, the content)
/// against a snapshot.
pub fn check_hover(fixture: &str, expect: expect_test::Expect) {
    expect.assert_eq(&hover(fixture));
}

/// Checks the first `n` completion items at `$0` (in `sortText` order: label, detail, and
/// whether deprecated) against a snapshot.
pub fn check_completion_list(fixture: &str, n: usize, expect: expect_test::Expect) {
    let mut s = Session::new(fixture);
    let items = s.completion_items();
    s.shutdown();
    expect.assert_eq(&render_completions(&items[..n.min(items.len())]));
}

/// Completion items as text, one per line: `label · detail`, ` (deprecated)` when tagged so.
pub fn render_completions(items: &[Value]) -> String {
    let mut out = String::new();
    for i in items {
        out.push_str(i["label"].as_str().unwrap_or("?"));
        if let Some(detail) = i["detail"].as_str() {
            out.push_str(&format!(" · {detail}"));
        }
        if i["deprecated"] == true || i["tags"].as_array().is_some_and(|t| t.contains(&json!(1))) {
            out.push_str(" (deprecated)");
        }
        out.push('\n');
    }
    out
}

/// The labels offered at `$0`, in `sortText` order.
pub fn completion(fixture: &str) -> Vec<String> {
    let mut s = Session::new(fixture);
    let labels = s.completion();
    s.shutdown();
    labels
}

/// The titles of the code actions at `$0`.
pub fn code_actions(fixture: &str) -> Vec<String> {
    let mut s = Session::new(fixture);
    let t = titles(&s.code_actions(None));
    s.shutdown();
    t
}

/// Checks a fixture's `ref` annotations against the references of the code at `$0`.
pub fn check_references(fixture: &str) {
    let mut s = Session::new(fixture);
    s.check_references();
    s.shutdown();
}

/// Checks that applying the action `title` at `$0` of `before` gives `after`.
pub fn check_fix(before: &str, title: &str, after: &str) {
    let mut s = Session::new(before);
    s.check_fix(title, after);
    s.shutdown();
}

/// Checks that fix-all on `before` gives `after`.
pub fn check_fix_all(before: &str, after: &str) {
    let mut s = Session::new(before);
    s.check_fix_all(after);
    s.shutdown();
}

/// Checks that accepting the completion `label` at `$0` of `before` gives `after`.
pub fn check_completion(before: &str, label: &str, after: &str) {
    let mut s = Session::new(before);
    let text = s.accept_completion(label);
    let want = Fixture::parse(after).files.remove(0).text;
    if text != want {
        fail("texts after the completion", &want, &text);
    }
    s.shutdown();
}
