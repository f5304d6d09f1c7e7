"""The outbox pump both chat platforms run: when it drains, and how it stops."""

from __future__ import annotations

import threading

from bot.outbox_pump import OutboxPump
from bot.wiring import Bryggan
from handlers.delivery.outbox import OutboxSender
from handlers.kernel.ports import OutboxKind
from tests.support import RecordingMessenger, wait_until

LONG = 60.0
"""An interval no test waits for: a post that goes out came from a wake-up."""


class HeldMessenger(RecordingMessenger):
    """Holds each channel post until `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.posting = threading.Event()
        self.release = threading.Event()

    def post_message(self, *, channel: str, text: str, attachment: str | None, key: str) -> None:
        self.posting.set()
        self.release.wait(10)
        super().post_message(channel=channel, text=text, attachment=attachment, key=key)


def queue_post(app: Bryggan, text: str) -> None:
    with app.stores() as store:
        store.enqueue(
            platform="console", kind=OutboxKind.CHANNEL, at=app.core.clock(), channel="c", text=text
        )


class WatchedEvent(threading.Event):
    """An event that tells when someone started waiting on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waited_on = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.waited_on.set()
        return super().wait(timeout)


def posted(messenger: RecordingMessenger, count: int) -> None:
    """Wait (at most 5 s) until `count` posts went out."""
    wait_until(
        lambda: len(messenger.messages) >= count,
        5,
        f"{count} posts",
        seen=lambda: [text for _, text, _ in messenger.messages],
    )


def test_posts_go_out_at_start_and_when_woken(app: Bryggan) -> None:
    messenger = RecordingMessenger()
    queue_post(app, "before the start")
    pump = OutboxPump(OutboxSender(app.core.stores, messenger, app.core.clock), LONG).start()
    try:
        posted(messenger, 1)
        queue_post(app, "after a commit")
        pump.wake("console")
        posted(messenger, 2)
        queue_post(app, "for this platform, committed by another")
        pump.wake("matrix")
        posted(messenger, 3)
    finally:
        pump.stop()
    assert [text for _, text, _ in messenger.messages] == [
        "before the start",
        "after a commit",
        "for this platform, committed by another",
    ]


def test_nothing_goes_out_until_the_platform_is_ready(app: Bryggan) -> None:
    messenger, ready = RecordingMessenger(), WatchedEvent()
    queue_post(app, "waits for the connection")
    sender = OutboxSender(app.core.stores, messenger, app.core.clock)
    pump = OutboxPump(sender, LONG, ready=ready).start()
    try:
        pump.wake("console")
        assert ready.waited_on.wait(5), "the pump never waited for the platform"
        assert messenger.messages == []
        ready.set()
        posted(messenger, 1)
    finally:
        pump.stop()


def test_stopping_finishes_the_post_in_flight(app: Bryggan) -> None:
    messenger = HeldMessenger()
    queue_post(app, "in flight at shutdown")
    pump = OutboxPump(OutboxSender(app.core.stores, messenger, app.core.clock), LONG).start()
    assert messenger.posting.wait(5)
    stopping = threading.Thread(target=pump.stop)
    stopping.start()
    stopping.join(0.2)
    assert stopping.is_alive(), "stop() did not wait for the post in flight"
    messenger.release.set()
    stopping.join(5)
    assert not stopping.is_alive()
    assert [text for _, text, _ in messenger.messages] == ["in flight at shutdown"]
    with app.stores() as store:
        assert store.pending_posts(platform="console", now=app.core.clock()) == []
