"""Delivering the durable outbox to a chat platform through its `Messenger`."""

from handlers.delivery.outbox import (
    DeliveryError,
    OutboxSender,
    RetryPolicy,
    blocked_key,
    tell_admins,
)

__all__ = [
    "DeliveryError",
    "OutboxSender",
    "RetryPolicy",
    "blocked_key",
    "tell_admins",
]
