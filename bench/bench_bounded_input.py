"""Bounded work for any input (#16): what a long message costs, before and after.

The baseline is the command grammar as it was before the bounds (`handlers/commands/
grammar.py` at BASELINE_COMMIT, read from git and loaded as a module of its own), so both
run in the same process on the same texts. Prints, per shape of text, the time per
character of `ask_fields` and `parse_categories` (the old one used `shlex`) at 10 kB and
100 kB (a linear parser keeps it flat; the ratio 100 kB / 10 kB is ~1 when linear, ~10
when quadratic), then what `Core.handle` spends on a 1 kB question and on 100 kB and
900 kB lines, which the bounds refuse after measuring their length. No assertions.

    python -m bench.bench_bounded_input
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

from bot.wiring import build
from handlers.commands import Request
from handlers.commands import grammar as new
from tests.support import Clock, test_config

BASELINE_COMMIT = "4a09b6e"  # the last commit before the bounds
SHAPES = {
    "one word": lambda n: "x" * n,
    "digits": lambda n: "1" * n,
    "dashes": lambda n: "-" * n,
    "words": lambda n: "ord " * (n // 4),
    "fields": lambda n: "a:b " * (n // 4),
}


def baseline_grammar() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:handlers/commands/grammar.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    module = types.ModuleType("grammar_before_16")
    exec(compile(source, "grammar_before_16.py", "exec"), module.__dict__)
    return module


def seconds(work: Callable[[], object]) -> float:
    """The best of three runs (the machine is shared)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def parsers(old: types.ModuleType) -> None:
    print(f"{'shape':10} {'parser':17} {'µs/char 10k':>12} {'100k':>9} {'ratio':>6}   (old)")
    for shape, make in SHAPES.items():
        for name in ("ask_fields", "parse_categories"):
            rows = []
            for module in (new, old):
                parse = getattr(module, name)
                small, large = make(10_000), make(100_000)
                a = seconds(lambda: parse("ny " + small)) / len(small)  # noqa: B023
                b = seconds(lambda: parse("ny " + large)) / len(large)  # noqa: B023
                rows.append((a * 1e6, b * 1e6, b / a))
            (na, nb, nr), (oa, ob, orr) = rows
            print(
                f"{shape:10} {name:17} {na:12.3f} {nb:9.3f} {nr:6.1f}   "
                f"({oa:.3f} {ob:.3f} {orr:.1f})"
            )


def core() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = build(test_config(f"sqlite:///{folder}/bench.sqlite3"), Clock())
        question = "/fråga kategori:sgi " + "Hur påverkas SGI vid deltid? " * 35
        for label, line in [
            ("1 kB question", question),
            ("100 kB word", "/fråga kategori:sgi " + "x" * 100_000),
            ("900 kB word", "/fråga kategori:sgi " + "x" * 900_000),
        ]:
            took = seconds(lambda: app.core.handle(Request("console", "lisa", line)))  # noqa: B023
            print(f"Core.handle {label:14} {took * 1000:8.2f} ms")
        app.database.engine.dispose()


if __name__ == "__main__":
    parsers(baseline_grammar())
    core()
