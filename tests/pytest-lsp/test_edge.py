"""Less travelled paths a real editor takes: batched changes, CRLF, pulled settings, size
limits, and positions that do not land on a character boundary."""

from __future__ import annotations

from conftest import Session, position_in, wait_until
from lsprotocol import types as t


def at(line: int, character: int) -> t.Position:
    return t.Position(line=line, character=character)


def span(line: int, start: int, end: int) -> t.Range:
    return t.Range(start=at(line, start), end=at(line, end))


async def test_batched_content_changes(session: Session):
    """Several content changes in one didChange apply in order, each against the text the
    previous one produced."""
    await session.initialize()
    text = 'const a = "EXCEED_RATELIMIT";\n'
    uri = session.open("src/batch.ts", text=text)
    assert await session.diagnostics(uri, version=1) == []
    version = session.change(
        uri,
        [
            # Insert an emoji line above, then (in the shifted text) misspell the code.
            t.TextEdit(range=span(0, 0, 0), new_text="// 🚀🚀\n"),
            t.TextEdit(range=span(1, 22, 22), new_text="_"),  # EXCEED_RATE_LIMIT
            t.TextEdit(range=span(0, 3, 3), new_text="é"),
        ],
    )
    assert session.texts[uri] == '// é🚀🚀\nconst a = "EXCEED_RATE_LIMIT";\n'
    diagnostics = await session.diagnostics(uri, version=version)
    assert [d.range for d in diagnostics] == [span(1, 11, 28)], diagnostics


async def test_crlf_document(session: Session):
    await session.initialize()
    text = '// 🚀\r\nconst a = "ok";\r\nconst b = "EXCEED_RATE_LIMIT";\r\n'
    uri = session.open("src/crlf.ts", text=text)
    diagnostics = await session.diagnostics(uri, version=1)
    assert [d.range for d in diagnostics] == [span(2, 11, 28)], diagnostics
    # An edit on a CRLF line, after the emoji line.
    version = session.change(uri, [t.TextEdit(range=span(2, 11, 28), new_text="EXCEED_RATELIMIT")])
    assert await session.diagnostics(uri, version=version) == []


async def test_pulled_configuration(session: Session):
    """A didChangeConfiguration without errcode settings makes the server pull them with
    workspace/configuration (both captured clients support it)."""
    assert session.capabilities.workspace.configuration
    await session.initialize()
    uri = session.open("src/api.ts")
    assert len(await session.diagnostics(uri, version=1)) == 2

    session.client.set_configuration({"allow": ["EXCEED_RATE_LIMIT", "INVALID_ENV_ID"]}, section="errcode")
    since = len(session.client.published)
    session.client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
    assert await session.diagnostics(uri, since=since) == []


async def test_max_file_size(session: Session):
    await session.initialize(options={"maxFileSize": 100})
    uri = session.open("src/api.ts")
    assert len(session.texts[uri].encode()) > 100
    assert await session.diagnostics(uri, version=1) == []
    message = await wait_until(lambda: session.client.messages, "the too-large notice")
    assert message[0].type == t.MessageType.Warning
    assert "api.ts" in message[0].message

    # A small file in the same project is still checked.
    small = session.open("src/small.ts", text='const a = "EXCEED_RATE_LIMIT";\n')
    assert len(await session.diagnostics(small, version=1)) == 1


async def test_positions_off_the_text(session: Session):
    """Positions past the end of a line or of the document are answered, not failed."""
    await session.initialize()
    text = 'const a = "FUNCTION_NOT_FOUND";\n'
    uri = session.open("src/off.ts", text=text)
    await session.diagnostics(uri, version=1)
    assert await session.hover(uri, at(0, 500)) is None
    assert await session.hover(uri, at(40, 0)) is None
    await session.complete(uri, at(40, 3))
    # The server is still healthy.
    assert await session.hover(uri, at(0, 12)) is not None


async def test_position_inside_multibyte_character(session: Session):
    """A column that falls inside a multi-byte character (UTF-8) or between the halves of a
    surrogate pair (UTF-16) must not break the server."""
    await session.initialize()
    text = 'const a = "🚀FUNCTION_NOT_FOUND";\n'
    uri = session.open("src/split.ts", text=text)
    await session.diagnostics(uri, version=1)
    line = text.split("\n")[0]
    rocket = position_in(line, line.index("🚀"), session.encoding)
    for column in range(rocket + 1, position_in(line, line.index("🚀") + 1, session.encoding)):
        await session.hover(uri, at(0, column))
        await session.complete(uri, at(0, column))
    hover = await session.hover(uri, session.position(uri, 0, "FUNCTION_NOT_FOUND", offset=3))
    assert hover is not None


async def test_unknown_document(session: Session):
    await session.initialize()
    uri = session.uri("src/never-opened.ts")
    assert await session.hover(uri, at(0, 0)) is None
    assert await session.code_actions(uri, span(0, 0, 0), []) == []
