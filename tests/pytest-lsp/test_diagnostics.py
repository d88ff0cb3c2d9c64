"""Diagnostics for examples/cloudbase-app/src/api.ts, edits in the negotiated encoding, and
settings that change them."""

from __future__ import annotations

from conftest import Session, position_in
from lsprotocol import types as t

MISSPELLED_LINE = 10  # if (err.code === "EXCEED_RATE_LIMIT") {
DEPRECATED_LINE = 17  # if (err.code === "INVALID_ENV_ID") {


def by_code(diagnostics: list[t.Diagnostic]) -> dict[str, t.Diagnostic]:
    out = {}
    for d in diagnostics:
        assert d.code not in out, diagnostics
        out[d.code] = d
    return out


def rng(line: int, start: int, end: int) -> t.Range:
    return t.Range(start=t.Position(line=line, character=start), end=t.Position(line=line, character=end))


async def test_fixture_diagnostics(session: Session):
    await session.initialize()
    uri = session.open("src/api.ts")
    diagnostics = await session.diagnostics(uri, version=1)
    assert len(diagnostics) == 2, diagnostics
    found = by_code(diagnostics)

    misspelled = found["misspelled-code"]
    # The range covers the literal's content, without the quotes.
    assert misspelled.range == rng(MISSPELLED_LINE, 22, 39)
    assert misspelled.source == "errcode"
    assert misspelled.message == "unknown error code `EXCEED_RATE_LIMIT`: did you mean `EXCEED_RATELIMIT`?"
    assert misspelled.severity == t.DiagnosticSeverity.Warning
    assert misspelled.data["suggestions"][0] == "EXCEED_RATELIMIT"
    assert not misspelled.tags

    deprecated = found["deprecated-code"]
    assert deprecated.range == rng(DEPRECATED_LINE, 22, 36)
    assert deprecated.source == "errcode"
    assert "INVALID_ENV_ID" in deprecated.message and "deprecated" in deprecated.message
    assert list(deprecated.tags) == [t.DiagnosticTag.Deprecated]
    assert deprecated.data["suggestions"] == ["INVALID_ENV"]

    # Codes that exist (FUNCTION_NOT_FOUND) and look-alikes (NODE_ENV, USER_NOT_FOUND) are quiet.
    lines = session.texts[uri].split("\n")
    assert {d.range.start.line for d in diagnostics} == {MISSPELLED_LINE, DEPRECATED_LINE}
    assert "FUNCTION_NOT_FOUND" in lines[14]


async def test_close_clears_diagnostics(session: Session):
    await session.initialize()
    uri = session.open("src/api.ts")
    assert await session.diagnostics(uri, version=1)
    since = len(session.client.published)
    session.client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    assert await session.diagnostics(uri, since=since) == []


async def test_multibyte_edit_moves_range(session: Session):
    """An emoji inserted before the literal shifts the range by its size in the negotiated
    encoding: 2 UTF-16 units for VS Code, 4 bytes for Neovim."""
    await session.initialize()
    uri = session.open("src/api.ts")
    await session.diagnostics(uri, version=1)

    insert_at = t.Position(line=MISSPELLED_LINE, character=21)  # just before the opening quote
    version = session.change(uri, [t.TextEdit(range=t.Range(start=insert_at, end=insert_at), new_text="/*🚀*/")])
    found = by_code(await session.diagnostics(uri, version=version))

    emoji = {"utf-16": 2, "utf-8": 4}[session.encoding]
    start = 22 + 4 + emoji
    assert found["misspelled-code"].range == rng(MISSPELLED_LINE, start, start + 17)
    assert session.position(uri, MISSPELLED_LINE, "EXCEED_RATE_LIMIT") == found["misspelled-code"].range.start
    # Other lines are untouched.
    assert found["deprecated-code"].range == rng(DEPRECATED_LINE, 22, 36)

    # A second edit positioned after the emoji (so its column must be read in the negotiated
    # encoding) fixes the literal; only the deprecated diagnostic stays.
    version = session.change(uri, [t.TextEdit(range=found["misspelled-code"].range, new_text="EXCEED_RATELIMIT")])
    assert 'if (err.code === /*🚀*/"EXCEED_RATELIMIT")' in session.texts[uri]
    remaining = await session.diagnostics(uri, version=version)
    assert [d.code for d in remaining] == ["deprecated-code"]


async def test_multibyte_inside_literal_line(session: Session):
    """A literal after a non-BMP character inside another string on the same line."""
    await session.initialize()
    text = 'const a = "héllo 🚀"; const b = "EXCEED_RATE_LIMIT";\n'
    uri = session.open("src/emoji.ts", text=text)
    diagnostics = await session.diagnostics(uri, version=1)
    assert len(diagnostics) == 1, diagnostics
    line = text.split("\n")[0]
    start = line.index("EXCEED_RATE_LIMIT")
    expected = rng(
        0,
        position_in(line, start, session.encoding),
        position_in(line, start + len("EXCEED_RATE_LIMIT"), session.encoding),
    )
    assert diagnostics[0].range == expected


async def test_did_change_configuration_allow(session: Session):
    await session.initialize()
    uri = session.open("src/api.ts")
    assert len(await session.diagnostics(uri, version=1)) == 2

    since = len(session.client.published)
    session.client.workspace_did_change_configuration(
        t.DidChangeConfigurationParams(settings={"errcode": {"allow": ["EXCEED_RATE_LIMIT"]}})
    )
    diagnostics = await session.diagnostics(uri, since=since)
    assert [d.code for d in diagnostics] == ["deprecated-code"]

    # Settings for other servers only must not wipe ours.
    since = len(session.client.published)
    session.client.workspace_did_change_configuration(
        t.DidChangeConfigurationParams(settings={"otherServer": {"allow": []}})
    )
    version = session.change(uri, [t.TextEdit(range=rng(0, 0, 0), new_text="\n")])
    diagnostics = await session.diagnostics(uri, version=version, since=since)
    assert [d.code for d in diagnostics] == ["deprecated-code"]

    # Dropping the allow list brings the diagnostic back.
    since = len(session.client.published)
    session.client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings={"errcode": {"allow": []}}))
    diagnostics = await session.diagnostics(uri, since=since)
    assert sorted(d.code for d in diagnostics) == ["deprecated-code", "misspelled-code"]


async def test_initialization_options_severity(session: Session):
    await session.initialize(options={"severity": {"misspelled": "error", "deprecated": "off"}})
    uri = session.open("src/api.ts")
    diagnostics = await session.diagnostics(uri, version=1)
    assert len(diagnostics) == 1, diagnostics
    assert diagnostics[0].code == "misspelled-code"
    assert diagnostics[0].severity == t.DiagnosticSeverity.Error


async def test_not_a_cloudbase_project(session: Session):
    """Without a CloudBase manifest the CloudBase catalogs stay off: no diagnostics."""
    (session.root / "package.json").write_text('{"name": "plain", "dependencies": {"left-pad": "1.0.0"}}\n')
    await session.initialize()
    uri = session.open("src/api.ts")
    assert await session.diagnostics(uri, version=1) == []
