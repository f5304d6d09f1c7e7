"""The Slack adapter: `/fraga` and `/bryggan`, the question form, cards with buttons,
answers in threads, the Home tab; Socket Mode or HTTP. Only `bot/` imports slack_bolt."""

from bot.slack.runner import SlackService, start_slack

__all__ = ["SlackService", "start_slack"]
