"""The `bryggan` command: run, console, db upgrade, purge."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bot.config import ConfigError, load_config
from bot.logs import configure_logging
from bot.outbox_cli import add_outbox_command, run_outbox_command
from bot.statistics_cli import add_statistics_commands, run_statistics_command
from bot.wiring import Bryggan, build
from handlers.kernel import StoreBusy, texts
from handlers.questions import purge_closed_questions
from storage.db import UNREACHABLE, make_engine, startup_lock, upgrade, where
from storage.leadership import SecondProcess

logger = logging.getLogger("bryggan")


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
    db = sub.add_parser("db", help="databasen")
    db.add_argument("action", choices=["upgrade"], metavar="upgrade", help="skapa eller uppgradera")
    sub.add_parser("purge", help="gallra fritext i stängda frågor nu")
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
        if args.command == "db":
            engine = make_engine(config.database_url)
            with startup_lock(engine):
                upgrade(engine)
            print(texts.CLI_UPGRADED)
            return 0
        app = build(config)
        for tool in (run_statistics_command, run_outbox_command):
            result = tool(app, args)
            if result is not None:
                return result
        if args.command == "purge":
            count = purge_closed_questions(
                app.core.stores, app.core.clock, days=config.retention_days
            )
            print(texts.CLI_PURGED.format(questions=texts.questions(count)))
            return 0
        if args.command == "console":
            return run_console(app, args.user)
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


def run_console(app: Bryggan, user: str | None = None) -> int:
    from bot.console import Console, interactive_lines

    console = Console(app)
    if user:
        console.user = user
    purge_closed_questions(app.core.stores, app.core.clock, days=app.config.retention_days)
    from bot.scheduler import start_due_scheduler

    stop_reminders = start_due_scheduler(app, after=console.sender.drain)
    try:
        console.run(interactive_lines(console))
    finally:
        stop_reminders()
    return 0


def run(app: Bryggan) -> int:
    """Start every platform the config enables; the console when none is."""
    from bot.runner import run_platforms

    if not any(app.config.enabled(p) for p in ("slack", "matrix")):
        return run_console(app)
    return run_platforms(app)


if __name__ == "__main__":
    raise SystemExit(main())
