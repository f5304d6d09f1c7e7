"""Pytest fixtures for tests against a real Synapse (see `tests.matrix_homeserver`).

Load with `pytest_plugins = ["tests.matrix_fixtures"]` in a conftest.py (or a test module).
`synapse` is one homeserver for the whole session (under two seconds to start); users are
cheap, so each test registers its own. `matrix_client` opens logged-in nio clients inside
the test's own event loop (pytest-asyncio is not installed, so tests use `asyncio.run`):

    def test_example(synapse, matrix_client):
        alice = synapse.register_user("alice")

        async def scenario() -> None:
            async with matrix_client(alice, encrypted=True) as client:
                ...

        asyncio.run(scenario())
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.matrix_homeserver import MatrixClientFactory, SynapseHomeserver


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseHomeserver]:
    """A running Synapse on loopback, stopped (and its process reaped) after the session."""
    server = SynapseHomeserver(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def matrix_client(synapse: SynapseHomeserver, tmp_path: Path) -> MatrixClientFactory:
    """`matrix_client(user, encrypted=..., fresh_device=...)`: an async context manager
    yielding a logged-in `nio.AsyncClient`; encrypted clients keep their store in tmp_path."""
    return MatrixClientFactory(synapse.base_url, tmp_path / "nio")
