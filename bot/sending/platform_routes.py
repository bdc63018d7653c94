"""One transport for every messenger: each message goes out through its chat's messenger.

The outbox, the check-in and the notice senders are written once over a `Transport`; a chat id
says which messenger it belongs to (`bot.people.identities.platform_of`), so a staff alert
goes to Telegram and a Kakao resident's check-in to KakaoTalk through the same sender, the
same shared send rate (`LimitedTransport` wraps this), retries and "unreachable" rules.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.core.messages import Outgoing
from bot.people.identities import Platform, platform_of
from bot.sending.outbox_sender import TransientSendError
from bot.sending.send_rate import MessageTransport

log = logging.getLogger(__name__)


class PlatformRoutes:
    """A `Transport` that hands each message to the transport of its chat's messenger.

    A message for a messenger this process does not serve (a Kakao resident while only
    Telegram is configured) is a transient failure: the outbox keeps it for its retries, in
    case the messenger is configured and the bot restarted meanwhile, and the resident is not
    marked unreachable for a setting of ours.
    """

    def __init__(self, transports: Mapping[Platform, MessageTransport] | None = None):
        self._transports: dict[Platform, MessageTransport] = dict(transports or {})

    def route(self, platform: Platform, transport: MessageTransport) -> None:
        """Send `platform`'s messages through `transport` from now on."""
        self._transports[platform] = transport

    def serves(self, platform: Platform) -> bool:
        return platform in self._transports

    async def send(self, message: Outgoing) -> int | None:
        platform = platform_of(message.chat_id)
        transport = self._transports.get(platform)
        if transport is None:
            log.error("no %s transport configured: chat %s not sent to", platform, message.chat_id)
            raise TransientSendError(f"{platform}:not_configured")
        return await transport.send(message)


__all__ = ["PlatformRoutes"]
