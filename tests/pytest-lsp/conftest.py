"""Shared fixtures: an errcode-lsp server driven by pytest-lsp, posing as a real editor.

Every test that takes ``session`` runs twice: once with the client capabilities that
pytest-lsp captured from Visual Studio Code 1.65.2 (no ``positionEncodings``, so the server
must answer in UTF-16) and once with those of Neovim 0.11.0 (offers UTF-8 first).

The server binary is ``$ERRCODE_LSP_BIN`` or ``<repo>/target/release/errcode-lsp``; the
``tests/pytest-lsp.sh`` script builds it when it is missing.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import pytest_lsp
from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[2]
SERVER = Path(os.environ.get("ERRCODE_LSP_BIN") or REPO / "target" / "release" / "errcode-lsp")
FIXTURE = REPO / "examples" / "cloudbase-app"

# Test id -> pytest-lsp client spec (pinned, so the negotiated encoding is known).
CLIENTS = {
    "vscode": "visual-studio-code@v1.65.2",
    "neovim": "neovim@v0.11.0",
}
# What each client gets: the first of ours that it offers, UTF-16 when it offers none.
EXPECTED_ENCODING = {"vscode": "utf-16", "neovim": "utf-8"}

TIMEOUT = 10.0


# --------------------------------------------------------------------------------------
# A pytest-lsp client that also records every publishDiagnostics (with its version),
# errcode/statusChanged notifications and client/registerCapability requests.


def _record_diagnostics(client: LanguageClient, params: t.PublishDiagnosticsParams):
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _record_status(client: LanguageClient, params: Any):
    client.status_changed.append(params)


def _register_capability(client: LanguageClient, params: t.RegistrationParams):
    client.registrations.extend(params.registrations)
    return None


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.published = []
    client.status_changed = []
    client.registrations = []
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_diagnostics
    features["errcode/statusChanged"] = _record_status
    features[t.CLIENT_REGISTER_CAPABILITY] = _register_capability
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[str(SERVER)], client_factory=make_client),
    params=list(CLIENTS),
    ids=list(CLIENTS),
)
async def client(request, lsp_client: LanguageClient):
    lsp_client.client_name = request.param
    yield
    # The server must shut down cleanly (shutdown + exit) after every test.
    await lsp_client.shutdown_session()


# --------------------------------------------------------------------------------------
# Helpers


async def wait_until(predicate: Callable[[], Any], what: str, timeout: float = TIMEOUT):
    """Polls ``predicate`` until it returns something truthy; returns that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.01)


def position_in(line: str, index: int, encoding: str) -> int:
    """The column of Python string index ``index`` of ``line`` in ``encoding`` units."""
    prefix = line[:index]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8"))
    if encoding == "utf-16":
        return len(prefix.encode("utf-16-le")) // 2
    return len(prefix)


def apply_edits(text: str, edits: list[t.TextEdit], encoding: str) -> str:
    """Applies LSP text edits (positions in ``encoding``) to ``text``."""
    lines = text.split("\n")

    def offset(pos: t.Position) -> int:
        start = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line]
        # Convert the encoded column back to a string index.
        for i in range(len(line) + 1):
            if position_in(line, i, encoding) >= pos.character:
                return start + i
        return start + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


class Session:
    """One client/server pair working on a private copy of the CloudBase example."""

    def __init__(self, client: LanguageClient, root: Path):
        self.client = client
        self.name: str = client.client_name
        self.root = root
        self.capabilities = client_capabilities(CLIENTS[self.name])
        self.result: t.InitializeResult | None = None
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    @property
    def encoding(self) -> str:
        assert self.result is not None
        return self.result.capabilities.position_encoding

    async def initialize(
        self, options: dict | None = None, capabilities: t.ClientCapabilities | None = None
    ) -> t.InitializeResult:
        if capabilities is not None:
            self.capabilities = capabilities
        params = t.InitializeParams(
            capabilities=self.capabilities,
            client_info=t.ClientInfo(name=self.name, version="pytest-lsp"),
            root_uri=self.root.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=self.root.as_uri(), name=self.root.name)],
            initialization_options=options,
        )
        self.result = await self.client.initialize_session(params)
        return self.result

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    def open(self, rel: str, text: str | None = None, language_id: str = "typescript") -> str:
        uri = self.uri(rel)
        if text is None:
            text = (self.root / rel).read_text()
        self.texts[uri] = text
        self.versions[uri] = 1
        self.client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                text_document=t.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
            )
        )
        return uri

    def change(self, uri: str, edits: list[t.TextEdit]) -> int:
        """Sends incremental changes (ranges in the negotiated encoding); returns the version."""
        self.versions[uri] += 1
        # Content changes apply one after the other (unlike a WorkspaceEdit's edits).
        for edit in edits:
            self.texts[uri] = apply_edits(self.texts[uri], [edit], self.encoding)
        changes = [t.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=changes,
            )
        )
        return self.versions[uri]

    def replace_all(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    async def diagnostics(self, uri: str, version: int | None = None, since: int = 0) -> list[t.Diagnostic]:
        """The diagnostics of the first publish for ``uri`` (at ``version``, if given) among
        those received after the first ``since`` publishes."""

        def found():
            for p in self.client.published[since:]:
                if p.uri == uri and (version is None or p.version == version):
                    return p
            return None

        params = await wait_until(found, f"diagnostics for {uri} version {version}")
        return list(params.diagnostics)

    def position(self, uri: str, line: int, needle: str, offset: int = 0) -> t.Position:
        """The position of ``needle`` (plus ``offset`` characters) on ``line`` (0-based)."""
        text = self.texts[uri].split("\n")[line]
        index = text.index(needle) + offset
        return t.Position(line=line, character=position_in(text, index, self.encoding))

    async def hover(self, uri: str, position: t.Position) -> t.Hover | None:
        return await self.client.text_document_hover_async(
            t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=position)
        )

    async def complete(self, uri: str, position: t.Position):
        return await self.client.text_document_completion_async(
            t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=position)
        )

    async def code_actions(
        self, uri: str, range_: t.Range, diagnostics: list[t.Diagnostic], only: list[str] | None = None
    ) -> list[t.CodeAction]:
        result = await self.client.text_document_code_action_async(
            t.CodeActionParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                range=range_,
                context=t.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        actions = list(result or [])
        assert all(isinstance(a, t.CodeAction) for a in actions), actions
        return actions

    async def status(self, uri: str | None = None):
        params = {"uri": uri} if uri is not None else {}
        return await self.client.protocol.send_request_async("errcode/status", params)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of examples/cloudbase-app (tests may write files into it)."""
    root = tmp_path / "cloudbase-app"
    shutil.copytree(FIXTURE, root)
    return root.resolve()


@pytest.fixture
def session(client: LanguageClient, project: Path) -> Session:
    return Session(client, project)


def pytest_sessionstart(session):
    if not SERVER.is_file():
        raise pytest.UsageError(f"errcode-lsp binary not found at {SERVER}: run `cargo build --release` first")
