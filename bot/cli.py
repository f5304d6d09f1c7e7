"""The `bryggan` command: run, console, db upgrade, purge."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, load_config
from bot.console_clock import ConsoleClock, read_moment
from bot.logs import configure_logging
from bot.outbox_cli import add_outbox_command, run_outbox_command
from bot.purge_cli import add_purge_command, run_purge_command
from bot.retention_config import check_retention_config, retention_settings
from bot.statistics_cli import add_statistics_commands, run_statistics_command
from bot.wiring import Bryggan, build
from handlers.kernel import StoreBusy, texts
from handlers.questions import purge_closed_questions
from storage.db import UNREACHABLE, make_engine, startup_lock, upgrade, where
from storage.leadership import SecondProcess

logger = logging.getLogger("bryggan")
_PLATFORMS = ("slack", "matrix")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bryggan", description="Bryggan: frågor mellan vården och FK"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FIL", help="config.toml (standard: inbyggd exempelconfig)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="mer loggning")
    sub = parser.add_subparsers(dest="command", metavar="kommando")
    sub.add_parser("run", help="starta alla plattformar som configen slår på (standard)")
    console = sub.add_parser("console", help="chatta med Bryggan i terminalen")
    console.add_argument(
        "--as", dest="user", metavar="KEY", help="vem du är (en key bland [[people]])"
    )
    console.add_argument(
        "--now",
        type=_console_now,
        metavar="TID",
        help='starta klockan vid en annan tid, t.ex. --now "2026-12-07 09:00" '
        "(prova påminnelser och veckosammanfattningen; /klocka +2d flyttar den sedan)",
    )
    console.add_argument(
        "--echo",
        action="store_true",
        help="skriv ut inskickade rader före svaren, som ett samtal (personnummer maskade)",
    )
    db = sub.add_parser("db", help="databasen")
    db.add_argument("action", choices=["upgrade"], metavar="upgrade", help="skapa eller uppgradera")
    add_purge_command(sub)
    add_statistics_commands(sub)
    add_outbox_command(sub)
    return parser


@contextmanager
def _swedish_argparse() -> Iterator[None]:
    """argparse's own words (usage, options, errors) in Swedish while the command line is
    read. argparse looks them up through its module's `_`; it is put back afterwards."""
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda message: texts.ARGPARSE.get(message, english(message))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    with _swedish_argparse():
        args = _parser().parse_args(argv)
    configure_logging(verbose=args.verbose)
    config = None
    try:
        config = load_config(args.config)
        check_retention_config(config)
        if args.command == "db":
            engine = make_engine(config.database_url)
            with startup_lock(engine):
                upgrade(engine)
            print(texts.CLI_UPGRADED)
            return 0
        chat = args.command == "console" or (
            args.command in (None, "run") and not any(config.enabled(p) for p in _PLATFORMS)
        )
        clock = ConsoleClock() if chat else None  # the console's own, that /klocka moves
        if clock is not None and getattr(args, "now", None) is not None:
            clock.move_to(args.now)
        app = build(config, clock) if clock is not None else build(config)
        for tool in (run_statistics_command, run_outbox_command, run_purge_command):
            result = tool(app, args)
            if result is not None:
                return result
        if args.command == "console":
            return run_console(app, args.user, echo=args.echo)
        return run(app)
    except ConfigError as error:
        print(texts.CLI_BAD_CONFIG.format(error=error), file=sys.stderr)
        return 2
    except StoreBusy:
        logger.debug("database busy", exc_info=True)
        print(texts.STORE_BUSY, file=sys.stderr)
        return 1
    except SecondProcess as error:
        print(texts.CLI_SECOND_PROCESS.format(path=error), file=sys.stderr)
        return 1
    except UNREACHABLE:
        assert config is not None
        logger.debug("database unreachable", exc_info=True)
        print(texts.CLI_NO_DATABASE.format(where=where(config.database_url)), file=sys.stderr)
        return 1
    except OSError as error:
        logger.debug("file error", exc_info=True)
        print(_file_error(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _file_error(error: OSError) -> str:
    """One Swedish line for a file the command could not read or write."""
    code = errno.errorcode.get(error.errno or 0, "")
    reason = texts.FILE_ERRORS.get(code) or error.strerror or str(error)
    return texts.CLI_FILE_ERROR.format(path=error.filename or "", reason=reason)


def _console_now(typed: str) -> datetime:
    """`--now`: a date and time as in the commands (`2026-12-07 09:00`, `måndag 08:00`)."""
    moment = read_moment(typed, datetime.now(UTC))
    if moment is None:
        raise argparse.ArgumentTypeError(texts.CONSOLE_NOW_BAD.format(typed=typed[:40]))
    return moment


def run_console(app: Bryggan, user: str | None = None, *, echo: bool = False) -> int:
    """The console chat; what falls due (reminders, the weekly summary) is sent once a
    minute, and at once when `/klocka` moves the console's clock. Piped lines are not
    written back unless `echo` (then with identity numbers masked)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.console import Console, interactive_lines

    console = Console(app, echo=echo)
    if user:
        console.user = console.person_key(user) or user
    retention = retention_settings(app.config)
    purge_closed_questions(
        app.core.stores,
        app.core.clock,
        days=retention.days,
        close_answered_after=retention.close_answered_after,
    )
    scheduler = BackgroundScheduler(timezone="Europe/Stockholm")
    scheduler.add_job(console.tick, "interval", minutes=1, coalesce=True, max_instances=1)
    scheduler.start()
    try:
        console.run(interactive_lines(console))
    finally:
        scheduler.shutdown(wait=False)
    return 0


def run(app: Bryggan) -> int:
    """Start every platform the config enables; the console when none is."""
    from bot.runner import run_platforms

    if not any(app.config.enabled(p) for p in ("slack", "matrix")):
        return run_console(app)
    return run_platforms(app)


if __name__ == "__main__":
    raise SystemExit(main())
