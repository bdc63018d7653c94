"""Posted bodies at the HTTP edge (bot.adapters.request_bodies): a client that hangs up mid-body
and a body over the ceiling are one quiet refusal, never a traceback or a whole read."""

from __future__ import annotations

import logging

import pytest
from starlette.requests import Request

from bot.adapters.request_bodies import BodyRefused, read_body


def request_receiving(*messages: dict, headers: dict[str, str] | None = None) -> Request:
    """A POST whose body arrives as `messages` (ASGI receive events), in that order."""
    pending = list(messages)

    async def receive() -> dict:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    raw_headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {"type": "http", "method": "POST", "path": "/telegram", "headers": raw_headers, "query_string": b""}
    return Request(scope, receive)


def chunk(data: bytes, more: bool) -> dict:
    return {"type": "http.request", "body": data, "more_body": more}


async def test_a_body_in_chunks_is_read_whole():
    request = request_receiving(chunk(b'{"a": ', True), chunk(b"1}", False))
    assert await read_body(request, max_bytes=100) == b'{"a": 1}'


async def test_a_client_that_hangs_up_midway_is_refused_with_one_quiet_line(caplog):
    request = request_receiving(chunk(b'{"update_id": 1, "mess', True), {"type": "http.disconnect"})
    with caplog.at_level(logging.INFO), pytest.raises(BodyRefused):
        await read_body(request, max_bytes=100)
    [record] = [r for r in caplog.records if r.name == "bot.adapters.request_bodies"]
    assert "left before the end" in record.getMessage() and record.exc_info is None


async def test_a_body_that_grows_over_the_ceiling_stops_being_read():
    pending = [chunk(b"x" * 60, True), chunk(b"x" * 60, True), chunk(b"never read", False)]

    async def receive() -> dict:
        return pending.pop(0)

    scope = {"type": "http", "method": "POST", "path": "/board", "query_string": b"", "headers": []}
    with pytest.raises(BodyRefused):
        await read_body(Request(scope, receive), max_bytes=100)
    assert pending == [chunk(b"never read", False)]


async def test_a_declared_length_over_the_ceiling_is_refused_before_reading():
    received: list[dict] = []

    async def receive() -> dict:
        received.append({})
        return chunk(b"x", False)

    scope = {"type": "http", "method": "POST", "path": "/kakao", "query_string": b"",
             "headers": [(b"content-length", b"5000000")]}
    with pytest.raises(BodyRefused):
        await read_body(Request(scope, receive), max_bytes=1000)
    assert received == []
