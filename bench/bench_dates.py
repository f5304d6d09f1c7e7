"""Phrases parsed per second by the date layer, before and after the widening of #13.

The baseline is ``handlers/`` as it was before #13, exported from git at BASELINE_COMMIT into
a temporary directory; each side runs in a child process of its own (same Python, same
machine, same run), in turn, several rounds, and the best round of each counts (the machine
is shared: the best round is the least disturbed). Prints phrases per second for:

- phrases both versions read (``interpret_when``), and the ratio new/old;
- the phrases #13 adds (the old version refuses most, and some it answered wrongly: "om 1,5
  timme" five hours on, "torsdag 9–10" a Saturday in October);
- recurrences (``interpret_recurrence``), old and new phrases;
- the worst case: 80 characters (the longest phrase read) of digits, dashes and week words,
  so a regex that backtracked would show here.

No assertions.

    python -m bench.bench_dates [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

BASELINE_COMMIT = "1ca315a"  # the last commit before the date half of #13
ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))

BOTH = [
    "nästa torsdag kl 13", "3/12", "halv tio", "kvart över två", "i övermorgon kl 14.30",
    "tisdag 15.12", "v. 50 ons", "onsdag v. 53", "om 2 timmar", "2026-12-15 13:30",
    "15 dec kl 10", "imorgon fm", "den 15:e", "torsdag nästa vecka", "kl 7",
]  # fmt: skip
NEW = [
    "julafton kl 11", "dagen före midsommarafton", "skärtorsdagen", "nästa vecka onsdag",
    "onsdag veckan efter", "måndag v3", "första december", "den tjugonde", "sista december",
    "om 1,5 timme", "om en och en halv timme", "om tre kvart", "kl 13-14",
    "i morgon 13.00-14.00", "torsdag 9–10", "förra måndagen", "i måndags",
]  # fmt: skip
RECURRENCES_BOTH = [
    "varannan torsdag kl 13", "första tisdagen i månaden kl 10", "vardagar kl 9",
    "måndagar och torsdagar kl 9", "var fjärde vecka",
]  # fmt: skip
RECURRENCES_NEW = [
    "jämna veckor onsdag kl 10", "udda veckor", "varannan vecka måndag och torsdag kl 9",
    "varje vardag kl 8.30",
]  # fmt: skip
WORST = ("12-13 v.5 " * 8)[:80]

SETS: dict[str, tuple[str, list[str]]] = {
    "moments both read": ("when", BOTH),
    "moments new in #13": ("when", NEW),
    "recurrences both read": ("recurrence", RECURRENCES_BOTH),
    "recurrences new in #13": ("recurrence", RECURRENCES_NEW),
    "worst case, 80 characters": ("when", [WORST]),
}


def phrases_per_second(parse: Callable[[str], object], phrases: list[str]) -> float:
    """Phrases per second over ~0.2 s of whole passes through ``phrases``."""
    passes, elapsed = 0, 0.0
    started = time.perf_counter()
    while elapsed < 0.2:
        for phrase in phrases:
            parse(phrase)
        passes += 1
        elapsed = time.perf_counter() - started
    return passes * len(phrases) / elapsed


def child() -> None:
    """One round of every set, in whichever ``handlers`` is first on the path; JSON out."""
    from handlers.dates import interpret_recurrence, interpret_when

    parsers: dict[str, Callable[[str], object]] = {
        "when": lambda s: interpret_when(s, NOW),
        "recurrence": lambda s: interpret_recurrence(s, NOW),
    }
    understood = {
        name: sum(parsers[kind](p) is not None for p in phrases)
        for name, (kind, phrases) in SETS.items()
    }
    rates = {name: phrases_per_second(parsers[k], p) for name, (k, p) in SETS.items()}
    print(json.dumps({"rates": rates, "understood": understood}))


def export_baseline(into: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BASELINE_COMMIT, "handlers"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def run_side(path: Path) -> dict[str, dict[str, float]]:
    env = os.environ | {"PYTHONPATH": str(path)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),
    ).stdout
    result: dict[str, dict[str, float]] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    with tempfile.TemporaryDirectory() as tmp:
        export_baseline(Path(tmp))
        best: dict[str, dict[str, float]] = {"old": {}, "new": {}}
        understood: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):
            for side, path in (("old", Path(tmp)), ("new", ROOT)):
                result = run_side(path)
                understood[side] = result["understood"]
                for name, rate in result["rates"].items():
                    best[side][name] = max(best[side].get(name, 0.0), rate)
    print(f"phrases per second, best of {args.rounds} rounds (old = {BASELINE_COMMIT})")
    print(f"{'set':28} {'answered old/new':>17} {'old /s':>9} {'new /s':>9} {'new/old':>8}")
    for name, (_, phrases) in SETS.items():
        old, new = best["old"][name], best["new"][name]
        read = f"{understood['old'][name]:.0f}/{understood['new'][name]:.0f} of {len(phrases)}"
        print(f"{name:28} {read:>17} {old:9,.0f} {new:9,.0f} {new / old:8.2f}")


if __name__ == "__main__":
    main()
