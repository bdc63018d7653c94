"""Reading a posted body with a ceiling, for every HTTP entry of the bot (the Telegram webhook,
the KakaoTalk skill, the staff board's forms).

Two things go wrong at this edge and neither is the bot's fault: a client hangs up halfway
through its body (a proxy's timeout, a phone losing signal), and a body is far larger than any
real update or form. Starlette raises `ClientDisconnect` for the first, which the server then
logs as a traceback of the bot; and reads the second whole into memory. Here both are one
quiet outcome, `None`, that the caller answers with a plain 400 (nobody may be waiting for it).
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect, Request

log = logging.getLogger(__name__)

# A Telegram update or a Kakao skill request is a few kilobytes; a long message with its
# entities stays far below this.
UPDATE_MAX_BYTES = 1_000_000


class BodyRefused(Exception):
    """The body was not read: the client left before its end, or it is over the ceiling."""


async def read_body(request: Request, *, max_bytes: int) -> bytes:
    """The whole body, or `BodyRefused` when the client hung up or sent more than `max_bytes`
    (the part read so far is dropped; a declared Content-Length over it is refused unread)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyRefused(f"body of {declared} bytes is over {max_bytes}")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes:
                raise BodyRefused(f"body over {max_bytes} bytes")
    except ClientDisconnect:
        log.info("%s %s: the client left before the end of its body", request.method, request.url.path)
        raise BodyRefused("client disconnected") from None
    return bytes(body)
