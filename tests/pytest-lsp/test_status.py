"""The custom `errcode/status` request and `errcode/statusChanged` notification."""

from __future__ import annotations

from conftest import Session, wait_until


async def test_status_request(session: Session):
    await session.initialize()
    uri = session.open("src/api.ts")
    await session.diagnostics(uri, version=1)

    status = await session.status(uri)
    assert status.root == str(session.root)
    assert set(status.activeCatalogs) >= {"cloudbase-http", "cloudbase-sdk"}, status
    assert "cloudbase" in status.summary
    assert status.config is None  # the example has no errcode.toml

    # Without a uri: the first workspace folder.
    assert (await session.status()).root == str(session.root)


async def test_status_changed_notification(session: Session):
    await session.initialize()
    changed = await wait_until(lambda: session.client.status_changed, "errcode/statusChanged after initialized")
    assert changed[0].root == str(session.root)
    assert set(changed[0].activeCatalogs) >= {"cloudbase-http", "cloudbase-sdk"}

    # A configuration change that disables the CloudBase catalogs is announced.
    count = len(session.client.status_changed)
    session.client.workspace_did_change_configuration(
        _config({"disable": ["cloudbase-http", "cloudbase-sdk"]})
    )
    latest = await wait_until(
        lambda: session.client.status_changed[count:], "errcode/statusChanged after didChangeConfiguration"
    )
    assert not {"cloudbase-http", "cloudbase-sdk"} & set(latest[-1].activeCatalogs), latest[-1]
    status = await session.status(session.uri("src/api.ts"))
    assert not {"cloudbase-http", "cloudbase-sdk"} & set(status.activeCatalogs), status


async def test_status_outside_cloudbase(session: Session):
    (session.root / "package.json").write_text('{"name": "plain"}\n')
    await session.initialize()
    status = await session.status(session.uri("src/api.ts"))
    assert status.root == str(session.root)
    assert not any(c.startswith("cloudbase") for c in status.activeCatalogs), status


def _config(errcode: dict):
    from lsprotocol import types as t

    return t.DidChangeConfigurationParams(settings={"errcode": errcode})
