"""The weekly summary as people meet it on Monday morning: the text and the bar chart
arrive in the unit's Slack channel (the v2 file upload, against the Slack stand-in) and in
the unit's Matrix room (an `m.image` with an mxc URL, on the real Synapse)."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.runner import start_scheduler
from bot.slack.config import slack_settings
from bot.slack.runner import SlackService
from bot.weekly import post_due_summaries, weekly_settings
from bot.wiring import Bryggan, build
from storage.models import OutboxRow
from tests.bot.matrix_people import Participant, first
from tests.bot.matrix_world import unit_room
from tests.bot.slack_support import CHANNEL, SLACK_TOML, SlackHarness, ack_text, slack_env
from tests.matrix_homeserver import SERVER_NAME, SynapseHomeserver
from tests.slack_stand_in import UPLOAD, SlackStandIn
from tests.support import Clock
from tests.support import test_config as make_config

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The test clock stands on Monday 23 November 2026, 09:00 in Stockholm: week 48, whose
# summary covers week 47.
SLACK_TITLE = "📊 Veckosammanfattning v. 47 2026 (16–22 nov) · Vuxenpsykiatri Ystad"
MATRIX_TITLE = "📊 Veckosammanfattning v. 47 2026 (16–22 nov) · Vuxenpsykiatri Malmö"
SLACK_CHART = "slack_CYSTAD_2026-W48.png"


@pytest.fixture
def charts(tmp_path: Path) -> Path:
    return tmp_path / "charts"


@pytest.fixture
def slack_weekly(
    database_url: str, clock: Clock, slack_stand_in: SlackStandIn, charts: Path
) -> Iterator[SlackHarness]:
    """The Slack harness, with `[statistics] chart_dir` in the test's folder."""
    table = SLACK_TOML.format(base_url=slack_stand_in.base_url)
    config = make_config(database_url, f'{table}\n[statistics]\nchart_dir = "{charts}"\n')
    bryggan = build(config, clock)
    try:
        service = SlackService(bryggan, slack_settings(config, slack_env(slack_stand_in)))
        service.start()
        try:
            yield SlackHarness(bryggan, service, slack_stand_in, clock)
        finally:
            service.stop()
    finally:
        bryggan.database.engine.dispose()


def ask_last_week(slack: SlackHarness) -> str:
    """A question in Ystad's channel last Thursday, closed by Anna; the clock comes back."""
    slack.clock.advance(days=-4)
    ref = slack.ask("Hur påverkas SGI vid halvtid?")
    closed = slack.command(f"stäng {ref}", user="UANNA", command="/bryggan")
    assert ack_text(closed) == f"{ref} är stängd."
    slack.clock.advance(days=4)
    slack.flush()
    return ref


def channel_posts(app: Bryggan) -> list[OutboxRow]:
    with app.database.session() as session:
        rows = list(session.scalars(select(OutboxRow).where(OutboxRow.kind == "channel")))
        session.expunge_all()
        return rows


def shared_files(stand_in: SlackStandIn, channel: str) -> list[dict[str, Any]]:
    """The messages in `channel` that carry files, as the channel shows them."""
    return [m for m in stand_in.messages(channel) if m.get("files")]


# -- Slack ----------------------------------------------------------------------------------


def test_monday_start_uploads_the_chart_with_the_summary_to_the_units_channel(
    slack_weekly: SlackHarness, charts: Path
) -> None:
    """`bryggan run` on a Monday after 08:00 (the scheduler's catch-up at start): the chart
    goes up through files.getUploadURLExternal, the upload URL and
    files.completeUploadExternal, and is shared in the channel with the summary as comment."""
    slack, stand_in = slack_weekly, slack_weekly.stand_in
    ask_last_week(slack)
    scheduler = start_scheduler(slack.bryggan)
    try:
        completed = stand_in.wait_for("files.completeUploadExternal", timeout=30)[0]
    finally:
        scheduler.shutdown(wait=True)
    slack.flush()  # waits for the pump's drain to record the delivery
    chart = charts / SLACK_CHART
    data = chart.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000

    [asked] = stand_in.calls("files.getUploadURLExternal")
    assert (asked["filename"], asked["length"]) == (SLACK_CHART, str(len(data)))
    [upload] = stand_in.calls(UPLOAD)
    assert upload["data"] == data
    file_id = upload["file_id"]
    assert stand_in.uploaded_bytes(file_id) == data
    assert completed["channel_id"] == CHANNEL
    assert [entry["id"] for entry in json.loads(completed["files"])] == [file_id]

    [post] = shared_files(stand_in, CHANNEL)
    assert [(f["id"], f["name"], f["size"]) for f in post["files"]] == [
        (file_id, SLACK_CHART, len(data))
    ]
    lines = post["text"].splitlines()
    assert lines[0] == SLACK_TITLE
    assert lines[1] == "Förra veckan kom 1 fråga; 1 av dem är redan hanterade."
    assert "SGI och övriga förmåner" in post["text"]
    assert "Hur påverkas SGI vid halvtid?" not in post["text"]  # counts only, no free text
    # Posted once, with its chart: not also as a plain message.
    assert not any(SLACK_TITLE in c["text"] for c in stand_in.calls("chat.postMessage"))
    [row] = channel_posts(slack.bryggan)
    assert (row.channel, row.attachment) == (CHANNEL, str(chart))
    assert row.sent_at is not None and row.failed_at is None


def test_a_failed_upload_is_retried_and_the_channel_gets_one_post(
    slack_weekly: SlackHarness, charts: Path
) -> None:
    slack, stand_in = slack_weekly, slack_weekly.stand_in
    settings = weekly_settings(slack.bryggan.config)
    stand_in.error_next("files.completeUploadExternal", "internal_error")
    assert post_due_summaries(slack.bryggan, settings) == 1
    stand_in.wait_for("files.completeUploadExternal")
    slack.flush()  # the failure is recorded; the retry is not due yet
    assert shared_files(stand_in, CHANNEL) == []
    slack.clock.advance(minutes=1)
    slack.flush()
    [post] = shared_files(stand_in, CHANNEL)
    assert post["text"].startswith(SLACK_TITLE)
    assert "Inga nya frågor förra veckan." in post["text"]
    assert [f["name"] for f in post["files"]] == [SLACK_CHART]
    assert len(stand_in.calls("files.getUploadURLExternal")) == 2  # the chart, sent again
    assert post_due_summaries(slack.bryggan, settings) == 0  # this week's is out
    slack.flush()
    assert len(shared_files(stand_in, CHANNEL)) == 1


# -- Matrix ---------------------------------------------------------------------------------


def download(synapse: SynapseHomeserver, person: Participant, mxc: str) -> bytes:
    """Fetch an attachment through the authenticated media API, as Element does."""
    server, media_id = mxc.removeprefix("mxc://").split("/", 1)
    url = f"{synapse.base_url}/_matrix/client/v1/media/download/{server}/{media_id}"
    headers = {"Authorization": f"Bearer {person.client.access_token}"}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
        data: bytes = response.read()
    return data


def test_the_chart_arrives_in_an_unencrypted_matrix_room_as_an_image(
    synapse: SynapseHomeserver, tmp_path: Path, clock: Clock, charts: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"  # Matrix is the point here

    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, room, bot = s.doctor, s.room, s.bot_id
            assert not doctor.client.rooms[room].encrypted
            settings = replace(weekly_settings(s.app.config), chart_dir=charts)
            assert await asyncio.to_thread(post_due_summaries, s.app, settings) == 1

            def bot_events(msgtype: str) -> list[Any]:
                return [
                    e
                    for e in doctor.events(room, bot)
                    if e.source["content"].get("msgtype") == msgtype
                ]

            image = await doctor.until(lambda: first(bot_events("m.image")), "the chart")
            summary = first(
                e for e in bot_events("m.text") if e.source["content"]["body"].startswith("📊")
            )
            assert summary is not None, "the chart came without the summary"
            events = doctor.events(room, bot)
            assert events.index(summary) < events.index(image)  # text first, then the chart

            body = summary.source["content"]["body"]
            assert body.splitlines()[0] == MATRIX_TITLE
            assert "Inga nya frågor förra veckan." in body

            [chart] = list(charts.glob("matrix_*.png"))
            data = chart.read_bytes()
            content = image.source["content"]
            assert "file" not in content  # not encrypted: a plain mxc URL
            assert content["body"] == chart.name
            assert content["info"] == {"mimetype": "image/png", "size": len(data)}
            assert re.fullmatch(rf"mxc://{re.escape(SERVER_NAME)}/[A-Za-z0-9_-]+", content["url"])
            fetched = await asyncio.to_thread(download, synapse, doctor, content["url"])
            assert fetched == data and fetched.startswith(PNG_MAGIC)
            await asyncio.to_thread(s.service.sender.drain)  # the worker has recorded it
            [row] = channel_posts(s.app)
            assert row.channel == room and row.sent_at is not None

    asyncio.run(scenario())
