"""initialize: position encoding negotiation and the announced capabilities."""

from __future__ import annotations

import copy

import pytest
from conftest import EXPECTED_ENCODING, Session
from lsprotocol import types as t


async def test_capabilities(session: Session):
    result = await session.initialize()
    caps = result.capabilities

    # The encoding follows what the client offers: VS Code 1.65 offers nothing (UTF-16),
    # Neovim 0.11 offers utf-8 first.
    offered = (session.capabilities.general.position_encodings if session.capabilities.general else None) or []
    assert caps.position_encoding == EXPECTED_ENCODING[session.name]
    assert caps.position_encoding == ("utf-8" if "utf-8" in offered else "utf-16")

    assert result.server_info is not None and result.server_info.name == "errcode-lsp"
    assert result.server_info.version

    assert caps.hover_provider is True

    completion = caps.completion_provider
    assert completion is not None
    assert set(completion.trigger_characters or []) >= {'"', "'", "`", "_"}

    code_action = caps.code_action_provider
    assert isinstance(code_action, t.CodeActionOptions)
    assert set(code_action.code_action_kinds or []) >= {"quickfix", "source.fixAll.errcode"}

    sync = caps.text_document_sync
    assert isinstance(sync, t.TextDocumentSyncOptions)
    assert sync.open_close is True
    assert sync.change == t.TextDocumentSyncKind.Incremental


@pytest.mark.parametrize(
    "offered, expected",
    [
        ([t.PositionEncodingKind.Utf16], "utf-16"),
        ([t.PositionEncodingKind.Utf32], "utf-16"),
        ([t.PositionEncodingKind.Utf32, t.PositionEncodingKind.Utf8], "utf-8"),
    ],
    ids=["utf16-only", "utf32-only", "utf32-then-utf8"],
)
async def test_encoding_negotiation_variants(session: Session, offered, expected):
    caps = copy.deepcopy(session.capabilities)
    caps.general = t.GeneralClientCapabilities(position_encodings=offered)
    result = await session.initialize(capabilities=caps)
    assert result.capabilities.position_encoding == expected


async def test_watchers_registered_only_for_dynamic_clients(session: Session):
    await session.initialize()
    # errcode/statusChanged follows `initialized`; registration (if any) comes before it.
    await session.diagnostics(session.open("src/api.ts"))
    watched = session.capabilities.workspace.did_change_watched_files
    if watched is not None and watched.dynamic_registration:
        regs = [r for r in session.client.registrations if r.method == "workspace/didChangeWatchedFiles"]
        assert len(regs) == 1, session.client.registrations
        globs = [w["globPattern"] for w in regs[0].register_options["watchers"]]
        assert any("errcode.toml" in g for g in globs), globs
    else:
        assert session.client.registrations == []
