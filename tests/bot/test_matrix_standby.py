"""Several processes on one database with the same Matrix bot account: one syncs, the
others stand by, and one of them takes over when the syncing one stops. (Two syncs of one
account would answer every command twice.)"""

from __future__ import annotations

from pathlib import Path

from bot.matrix.config import matrix_settings
from bot.matrix.runner import MatrixStandby
from bot.wiring import build
from tests.bot.matrix_world import bot_env, world_config, world_toml
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock, wait_until


def test_one_process_syncs_the_account_and_another_takes_over_when_it_stops(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    bot = synapse.register_user("bryggan")
    doctor, contact = synapse.register_user("doktor"), synapse.register_user("kontakt")

    def standby(name: str) -> MatrixStandby:
        toml = world_toml(
            synapse,
            bot=bot,
            doctor=doctor,
            contact=contact,
            room_id="!ingen:bryggan.test",
            store_path=tmp_path / f"store-{name}",
        )
        config = world_config(database_url, toml)
        app = build(config, clock)
        return MatrixStandby(app, matrix_settings(config, bot_env(bot)), interval=0.2).start()

    first = standby("a")
    assert first.service is not None  # it syncs
    assert wait_until(lambda: first.service and first.service.bot.ready.is_set(), 30, "a sync")
    if database_url.startswith("sqlite"):  # one bot process per SQLite file: always syncs
        first.stop()
        first.app.database.engine.dispose()
        return
    second = standby("b")
    try:
        assert second.service is None  # standing by
        first.stop()
        wait_until(lambda: second.service is not None, 10, "the other process taking over")
        assert second.service is not None
        assert wait_until(second.service.bot.ready.is_set, 30, "its first sync")
    finally:
        second.stop()
        second.app.database.engine.dispose()
        first.app.database.engine.dispose()
