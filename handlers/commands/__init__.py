"""The core's front door: typed lines and typed commands in, replies out."""

from handlers.commands.core import Core, CoreSettings, Request

__all__ = ["Core", "CoreSettings", "Request"]
