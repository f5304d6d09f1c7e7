"""The Slack stand-in in a process of its own, so it competes for the CPU like Slack's
servers would not, but never for the load generator's or the bot's interpreter lock.

Prints its Web API base URL on the first line; then answers each line on stdin:
`summary` prints one JSON line (cards per reference, chat.postMessage count), `reset`
forgets every call, end of input stops it.

    python -m bench.stand_in_process
"""

from __future__ import annotations

import json
import sys

from tests.faults.harness import card_refs
from tests.slack_stand_in import SlackStandIn


def main() -> None:
    with SlackStandIn() as stand_in:
        print(stand_in.base_url, flush=True)
        for line in sys.stdin:
            if line.strip() == "reset":
                stand_in.reset()
                print("{}", flush=True)
            elif line.strip() == "summary":
                posts = stand_in.calls("chat.postMessage")
                cards = card_refs(posts)
                summary = {"posts": len(posts), "cards": dict(cards)}
                print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
