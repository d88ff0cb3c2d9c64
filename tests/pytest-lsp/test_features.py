"""Hover, completion and code actions on examples/cloudbase-app/src/api.ts."""

from __future__ import annotations

import copy

from conftest import Session, apply_edits, wait_until
from lsprotocol import types as t

FOUND_LINE = 14  # if (err.code === "FUNCTION_NOT_FOUND") {


async def opened(session: Session, options: dict | None = None, capabilities=None) -> str:
    await session.initialize(options=options, capabilities=capabilities)
    uri = session.open("src/api.ts")
    await session.diagnostics(uri, version=1)
    return uri


# ---------------------------------------------------------------------------- hover


async def test_hover_on_code(session: Session):
    uri = await opened(session)
    hover = await session.hover(uri, session.position(uri, FOUND_LINE, "FUNCTION_NOT_FOUND", offset=5))
    assert hover is not None
    assert isinstance(hover.contents, t.MarkupContent)
    # Both captured clients list markdown first in hover.contentFormat.
    assert hover.contents.kind == t.MarkupKind.Markdown
    value = hover.contents.value
    assert "**`FUNCTION_NOT_FOUND`**" in value
    assert "cloudbase-sdk" in value or "cloudbase-http" in value  # the catalog
    assert "Cloud Function" in value  # the category
    assert "No cloud function with this name exists" in value  # the summary
    assert "](https://docs.cloudbase.net/" in value  # a docs link
    # The range is the code itself.
    start = session.position(uri, FOUND_LINE, "FUNCTION_NOT_FOUND")
    end = session.position(uri, FOUND_LINE, "FUNCTION_NOT_FOUND", offset=len("FUNCTION_NOT_FOUND"))
    assert hover.range == t.Range(start=start, end=end)


async def test_hover_plaintext_client(session: Session):
    caps = copy.deepcopy(session.capabilities)
    caps.text_document.hover.content_format = [t.MarkupKind.PlainText]
    uri = await opened(session, capabilities=caps)
    hover = await session.hover(uri, session.position(uri, FOUND_LINE, "FUNCTION_NOT_FOUND"))
    assert hover is not None
    assert hover.contents.kind == t.MarkupKind.PlainText
    assert "FUNCTION_NOT_FOUND" in hover.contents.value
    assert "**" not in hover.contents.value and "](" not in hover.contents.value


async def test_no_hover_on_non_codes(session: Session):
    uri = await opened(session)
    # An identifier, a look-alike string, and whitespace.
    assert await session.hover(uri, session.position(uri, FOUND_LINE, "err.code", offset=1)) is None
    assert await session.hover(uri, session.position(uri, 25, "NODE_ENV", offset=2)) is None
    assert await session.hover(uri, session.position(uri, 26, "USER_NOT_FOUND", offset=2)) is None
    assert await session.hover(uri, t.Position(line=FOUND_LINE, character=1)) is None


async def test_hover_after_multibyte_prefix(session: Session):
    await session.initialize()
    text = 'const s = "✨🚀✨"; const c = "FUNCTION_NOT_FOUND";\n'
    uri = session.open("src/hover.ts", text=text)
    await session.diagnostics(uri, version=1)
    # The last character of the code, in the negotiated encoding.
    pos = session.position(uri, 0, "FUNCTION_NOT_FOUND", offset=len("FUNCTION_NOT_FOUND") - 1)
    hover = await session.hover(uri, pos)
    assert hover is not None and "FUNCTION_NOT_FOUND" in hover.contents.value
    assert hover.range.start == session.position(uri, 0, "FUNCTION_NOT_FOUND")


# ---------------------------------------------------------------------------- completion


def items_of(result) -> list[t.CompletionItem]:
    if result is None:
        return []
    if isinstance(result, t.CompletionList):
        return list(result.items)
    return list(result)


async def test_completion_inside_string(session: Session):
    uri = await opened(session)
    line = len(session.texts[uri].split("\n")) - 1  # the empty last line
    version = session.change(
        uri, [t.TextEdit(range=t.Range(start=t.Position(line=line, character=0), end=t.Position(line=line, character=0)), new_text='const probe = "EXCEED_";')]
    )
    await session.diagnostics(uri, version=version)
    cursor = session.position(uri, line, "EXCEED_", offset=len("EXCEED_"))
    items = items_of(await session.complete(uri, cursor))
    labels = [i.label for i in items]
    assert "EXCEED_RATELIMIT" in labels, labels
    assert all(label.startswith("E") for label in labels), labels
    item = next(i for i in items if i.label == "EXCEED_RATELIMIT")
    assert isinstance(item.text_edit, t.TextEdit)
    assert item.text_edit.new_text == "EXCEED_RATELIMIT"
    # The edit replaces the whole token typed so far, from just after the quote.
    assert item.text_edit.range == t.Range(start=session.position(uri, line, "EXCEED_"), end=cursor)
    assert apply_edits(session.texts[uri], [item.text_edit], session.encoding).endswith(
        'const probe = "EXCEED_RATELIMIT";'
    )


async def test_completion_replaces_whole_token(session: Session):
    """With the cursor in the middle of a token, the edit still covers all of it."""
    uri = await opened(session)
    cursor = session.position(uri, 10, "EXCEED_RATE_LIMIT", offset=len("EXCEED_"))
    items = items_of(await session.complete(uri, cursor))
    item = next((i for i in items if i.label == "EXCEED_RATELIMIT"), None)
    assert item is not None, [i.label for i in items]
    start = session.position(uri, 10, "EXCEED_RATE_LIMIT")
    end = session.position(uri, 10, "EXCEED_RATE_LIMIT", offset=len("EXCEED_RATE_LIMIT"))
    assert item.text_edit.range == t.Range(start=start, end=end)
    fixed = apply_edits(session.texts[uri], [item.text_edit], session.encoding)
    assert 'if (err.code === "EXCEED_RATELIMIT") {' in fixed


async def test_completion_after_emoji(session: Session):
    await session.initialize()
    text = 'const a = "🚀"; const b = "EXCEED_";\n'
    uri = session.open("src/complete.ts", text=text)
    await session.diagnostics(uri, version=1)
    cursor = session.position(uri, 0, "EXCEED_", offset=len("EXCEED_"))
    items = items_of(await session.complete(uri, cursor))
    item = next((i for i in items if i.label == "EXCEED_RATELIMIT"), None)
    assert item is not None, [i.label for i in items]
    assert item.text_edit.range == t.Range(start=session.position(uri, 0, "EXCEED_"), end=cursor)
    assert apply_edits(text, [item.text_edit], session.encoding) == 'const a = "🚀"; const b = "EXCEED_RATELIMIT";\n'


async def test_no_completion_outside_strings(session: Session):
    uri = await opened(session)
    items = items_of(await session.complete(uri, session.position(uri, FOUND_LINE, "err.code", offset=3)))
    assert items == []


# ---------------------------------------------------------------------------- code actions


def misspelled(session: Session, uri: str) -> t.Diagnostic:
    return next(d for d in session.client.diagnostics[uri] if d.code == "misspelled-code")


async def test_quick_fix(session: Session):
    uri = await opened(session)
    diagnostic = misspelled(session, uri)
    actions = await session.code_actions(uri, diagnostic.range, [diagnostic], only=["quickfix"])
    titles = [a.title for a in actions]
    assert "Replace with `EXCEED_RATELIMIT`" in titles, titles
    assert all(a.kind == t.CodeActionKind.QuickFix for a in actions), actions

    replace = next(a for a in actions if a.title == "Replace with `EXCEED_RATELIMIT`")
    assert replace.is_preferred is True
    assert replace.diagnostics and replace.diagnostics[0].code == "misspelled-code"
    assert replace.edit is not None and replace.edit.changes is not None
    assert list(replace.edit.changes) == [uri]
    (edit,) = replace.edit.changes[uri]
    assert edit.range == diagnostic.range and edit.new_text == "EXCEED_RATELIMIT"

    # Applying the fix (as the editor would) removes the diagnostic.
    version = session.change(uri, [edit])
    remaining = await session.diagnostics(uri, version=version)
    assert [d.code for d in remaining] == ["deprecated-code"]


async def test_deprecated_quick_fix(session: Session):
    uri = await opened(session)
    diagnostic = next(d for d in session.client.diagnostics[uri] if d.code == "deprecated-code")
    actions = await session.code_actions(uri, diagnostic.range, [diagnostic])
    replace = next(a for a in actions if a.title == "Replace with `INVALID_ENV`")
    assert replace.is_preferred is True
    # Deprecated codes are real codes: no "Allow" action.
    assert not any(a.title.startswith("Allow") for a in actions), [a.title for a in actions]


async def test_allow_action_creates_config(session: Session):
    uri = await opened(session)
    diagnostic = misspelled(session, uri)
    actions = await session.code_actions(uri, diagnostic.range, [diagnostic], only=["quickfix"])
    allow = next((a for a in actions if a.title == "Allow `EXCEED_RATE_LIMIT` in errcode.toml"), None)
    assert allow is not None, [a.title for a in actions]
    assert allow.is_preferred is not True
    # Clients that resolve get the edit when they apply the action (computed from the config
    # file as it is then).
    if allow.edit is None:
        allow = await session.client.code_action_resolve_async(allow)

    # No errcode.toml yet: the edit creates it, then inserts the allow list.
    ops = allow.edit.document_changes
    assert ops is not None and len(ops) == 2, allow.edit
    create, insert = ops
    config = session.root / "errcode.toml"
    assert isinstance(create, t.CreateFile) and create.uri == config.as_uri()
    assert isinstance(insert, t.TextDocumentEdit) and insert.text_document.uri == config.as_uri()
    text = apply_edits("", list(insert.edits), session.encoding)
    assert 'allow = ["EXCEED_RATE_LIMIT"]' in text

    # Apply it as the editor does, then tell the server the way this client would.
    config.write_text(text)
    since = len(session.client.published)
    if session.client.registrations:  # VS Code: file watching
        session.client.workspace_did_change_watched_files(
            t.DidChangeWatchedFilesParams(changes=[t.FileEvent(uri=config.as_uri(), type=t.FileChangeType.Created)])
        )
    else:  # Neovim: the config buffer is saved
        session.open("errcode.toml", text=text, language_id="toml")
        session.client.text_document_did_save(
            t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=config.as_uri()))
        )
    await wait_until(
        lambda: any(p.uri == uri and [d.code for d in p.diagnostics] == ["deprecated-code"] for p in session.client.published[since:]),
        "the allowed literal's diagnostic to go away",
    )
    status = await session.status(uri)
    assert status.config == str(config)


async def test_fix_all(session: Session):
    uri = await opened(session)
    end = len(session.texts[uri].split("\n")) - 1
    whole = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=end, character=0))

    for only in (["source.fixAll.errcode"], ["source.fixAll"], ["source"]):
        actions = await session.code_actions(uri, whole, [], only=only)
        assert [a.kind for a in actions] == ["source.fixAll.errcode"], (only, actions)
    # Quick fixes only: no fix-all.
    quick = await session.code_actions(uri, whole, [], only=["quickfix"])
    assert all(a.kind == t.CodeActionKind.QuickFix for a in quick)

    (fix_all,) = await session.code_actions(uri, whole, [], only=["source.fixAll.errcode"])
    # The misspelling is a safe fix; the deprecated code is compared (`err.code === "INVALID_ENV_ID"`),
    # so replacing it is unsafe (the service may still send it) and fix-all leaves it.
    assert fix_all.title == "Fix all error codes (1)"
    # Clients that resolve get the (possibly large) edit when they apply the action.
    if fix_all.edit is None:
        fix_all = await session.client.code_action_resolve_async(fix_all)
    edits = fix_all.edit.changes[uri]
    assert sorted(e.new_text for e in edits) == ["EXCEED_RATELIMIT"]

    fixed = apply_edits(session.texts[uri], edits, session.encoding)
    assert '"EXCEED_RATELIMIT"' in fixed and "EXCEED_RATE_LIMIT" not in fixed
    assert '"INVALID_ENV_ID"' in fixed
    version = session.replace_all(uri, fixed)
    left = await session.diagnostics(uri, version=version)
    assert [d.code for d in left] == ["deprecated-code"], left
    assert "also handle `INVALID_ENV`" in left[0].message
    # Nothing left to fix.
    assert await session.code_actions(uri, whole, [], only=["source.fixAll.errcode"]) == []


async def test_stale_diagnostic_gets_no_fix(session: Session):
    uri = await opened(session)
    diagnostic = misspelled(session, uri)
    # The user fixes the text by hand; the editor still asks with the old diagnostic.
    version = session.change(uri, [t.TextEdit(range=diagnostic.range, new_text="EXCEED_RATELIMIT")])
    await session.diagnostics(uri, version=version)
    actions = await session.code_actions(uri, diagnostic.range, [diagnostic], only=["quickfix"])
    assert not any(a.title.startswith("Replace") for a in actions), [a.title for a in actions]
