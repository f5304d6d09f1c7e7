"""Configuration: the embedded example works as is; mistakes name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config


def test_embedded_example_is_valid() -> None:
    config = load_config(None, env={})
    assert config.console_user == "lisa"
    assert {u.slug for u in config.units} == {"kristianstad", "hassleholm"}
    assert config.database_url.startswith("sqlite:///") and config.database_url.endswith(
        "bryggan.sqlite3"
    )
    assert not config.enabled("slack") and not config.enabled("matrix")


def test_environment_overrides_the_database(tmp_path: Path) -> None:
    config = load_config(None, env={"BRYGGAN_DATABASE_URL": "postgresql://x@h/db"})
    assert config.database_url == "postgresql://x@h/db"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[people]]\nkey = 'a'\n", "[[people]] nr 1: key och name krävs"),
        ("[[people]]\nkey='a'\nname='A'\nroles=['boss']\n", "roles ska vara en lista"),
        ("[[units]]\nslug='x'\nname='X'\nvard_till_fk=['ghost']\n", "okända personer ['ghost']"),
        ("[console]\nuser = 'ghost'\n", "[console] user = 'ghost' finns inte"),
        ("[retention]\ndays = 'ninety'\n", "[retention] days ska vara int"),
        ("this is not toml", "ogiltig TOML"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="kan inte läsas"):
        load_config(tmp_path / "nope.toml", env={})
