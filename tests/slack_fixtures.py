"""Pytest fixtures around the Slack Web API stand-in.

Load them from the top-level `tests/conftest.py` (pytest only honours `pytest_plugins` there):

    pytest_plugins = ["tests.slack_fixtures"]
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from tests.slack_stand_in import DEFAULT_SIGNING_SECRET, SlackStandIn


@pytest.fixture
def slack_stand_in() -> Iterator[SlackStandIn]:
    """A fresh stand-in per test, on its own port.

    One server per test (rather than per session) means a listener thread still running from an
    earlier test cannot post into this test's recorded calls.
    """
    with SlackStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def slack_web_client(slack_stand_in: SlackStandIn) -> WebClient:
    """A `WebClient` authenticated against the stand-in, without retry handlers beyond the
    default connection-error one."""
    return WebClient(token=slack_stand_in.token, base_url=slack_stand_in.base_url)


@pytest.fixture
def slack_signing_secret() -> str:
    """The signing secret that `sign_request` and a bolt `App` under test should share."""
    return DEFAULT_SIGNING_SECRET
