"""The identity-number guard's throughput on 2,000-character texts, before and after the
widening for pasted numbers (#13). It runs on every message and every log record.

The baseline is the guard as it was before the widening, read from git at BASELINE_COMMIT and
loaded as a module of its own, so both run in the same process on the same texts. Prints, per
kind of text, the best time per text of rounds taken in turn, texts per second and the ratio
new/old, then the time per character of the worst case at 2 kB, 20 kB and 200 kB (a linear
scan keeps it flat). Also the log masking (`bot.logs.mask`, which reads dumped payloads
through their escapes) on the same texts as JSON dumps, against the guard alone. No assertions.

    python -m bench.bench_privacy [--repeat 15]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
import types
from collections.abc import Callable
from pathlib import Path

from bot.logs import mask
from handlers.kernel import privacy

BASELINE_COMMIT = "91de28f"  # the last version of handlers/kernel/privacy.py before #13
LENGTH = 2000

PROSE = (
    "Hej! Gäller en kvinna, 45 år, sjukskriven sedan 2026-09-14 (F32.1, F43.2). Ring mig på "
    "070-123 45 67 eller 08-123 456 78 efter kl 14.30. Beslut 2026-11-20, belopp 12 500 kr, "
    "org.nr 556016-0680, ärende 2026-123456, Dnr 1.2.3-4567/2026, postnummer 211 45 Malmö. "
    "Hur ser planeringen ut inför avstämningsmötet den 3/12 kl 10? "
)
PASTED = PROSE.replace(" ", "\u00a0", 9).replace("-", "\u2011").replace("kl ", "kl\u200b ")


def text_of(piece: str, number: str = "") -> str:
    """A 2,000-character text made of ``piece``, with ``number`` in its middle if given."""
    text = (piece * (LENGTH // len(piece) + 1))[:LENGTH]
    if number:
        middle = LENGTH // 2
        text = text[:middle] + f" {number} " + text[middle : LENGTH - len(number) - 2]
    return text


TEXTS = {
    "Swedish prose with look-alikes": text_of(PROSE),
    "  same, one personnummer": text_of(PROSE, "19121212-1212"),
    "pasted (no-break spaces, dashes, ZWSP)": text_of(PASTED),
    "  same, one pasted personnummer": text_of(PASTED, "19\u200b121212\u20111212"),
    "worst case: digits and spaces": text_of("850101 1234 "),
    "worst case: digits only": text_of("8"),
}


def baseline_guard() -> types.ModuleType:
    """The guard before the widening, from git, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:handlers/kernel/privacy.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    module = types.ModuleType("privacy_before_13")
    exec(compile(source, "privacy_before_13.py", "exec"), module.__dict__)
    return module


def per_call(
    before: Callable[[str], object], after: Callable[[str], object], text: str, repeat: int
) -> tuple[float, float]:
    """Seconds per call of each, the best of ``repeat`` rounds taken in turn (the machine is
    shared: the best round is the least disturbed), each round ~0.05 s."""
    calls = 1
    while True:
        started = time.perf_counter()
        for _ in range(calls):
            before(text)
        if time.perf_counter() - started > 0.05:
            break
        calls *= 2
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for index, function in enumerate((before, after)):
            started = time.perf_counter()
            for _ in range(calls):
                function(text)
            best[index] = min(best[index], (time.perf_counter() - started) / calls)
    return best[0], best[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    old_guard = baseline_guard().redact_identity_numbers
    new_guard = privacy.redact_identity_numbers
    print(f"redact_identity_numbers on {LENGTH}-character texts (baseline: {BASELINE_COMMIT})")
    print(f"{'text':40} {'before':>10} {'after':>10} {'texts/s after':>14} {'after/before':>13}")
    for name, text in TEXTS.items():
        before, after = per_call(old_guard, new_guard, text, args.repeat)
        print(
            f"{name:40} {before * 1e6:8.1f}µs {after * 1e6:8.1f}µs "
            f"{1 / after:14,.0f} {after / before:12.2f}×"
        )
    print("\nbot.logs.mask (every log record) on the same texts dumped as JSON, against the guard")
    for name, text in TEXTS.items():
        dump = json.dumps({"text": text})
        guard, logs = per_call(new_guard, mask, dump, args.repeat)
        figures = f"{guard * 1e6:8.1f}µs {logs * 1e6:8.1f}µs {1 / logs:14,.0f}"
        print(f"{name:40} {figures} {logs / guard:12.2f}×")
    print("\nworst case (digits and spaces), time per character:")
    for length in (2_000, 20_000, 200_000):
        text = ("850101 1234 " * (length // 12 + 1))[:length]
        before, after = per_call(old_guard, new_guard, text, args.repeat)
        print(
            f"{length:>8,} characters: before {before / length * 1e9:6.1f} ns, "
            f"after {after / length * 1e9:6.1f} ns"
        )


if __name__ == "__main__":
    main()
