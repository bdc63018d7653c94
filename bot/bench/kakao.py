"""`ddokddok bench kakao`: skill requests per second through the KakaoTalk adapter.

The real skill endpoint (`KakaoSkill` from `bot.adapters.kakao.channel.kakao_skill_for`) with the
real conversation, catalog and matcher on a SQLite file in a temporary folder, against a bare
Starlette skill server that answers every request with the same `simpleText`. Both run under
uvicorn on loopback ports of their own in this process, and both are driven the same way: one
httpx client, over real sockets, the same skill requests as Kakao i Open Builder sends them.

What each request asks: a fixed search ("보일러가 고장나서 너무 추워요") from residents onboarded
through the skill beforehand (untimed), several residents at once, each resident's requests in
order (the skill answers one person at a time, as Kakao's chat does). The ratio says how much
of a bare skill server's speed the bot keeps: printed for comparison, without a goal.

Rounds alternate between the two servers, so a slower moment of the machine falls on both;
the medians of the rounds are printed side by side, then one line of JSON with the same figures.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

SECRET = "bench-skill-secret"
SECRET_HEADER = "X-Skill-Secret"
PATH = "/kakao/skill"
SEARCH = "보일러가 고장나서 너무 추워요"
ONBOARDING_PRESSES = ["lang:ko", "dist:seocho", "consent:yes", "age:skip", "gender:skip"]
FIXED_ANSWER = {"version": "2.0", "template": {"outputs": [{"simpleText": {"text": "안녕하세요"}}]}}


def run(*, quick: bool = False, size: int | None = None) -> int:
    """`size` is the number of residents writing at once (default 8)."""
    people = size or 8
    rounds = 3 if quick else 7
    per_person = 10 if quick else 20
    bot_log = logging.getLogger("bot")
    level = bot_log.level
    bot_log.setLevel(logging.WARNING)  # no per-request INFO lines in the timing
    try:
        figures = asyncio.run(_measure(people=people, rounds=rounds, per_person=per_person))
    finally:
        bot_log.setLevel(level)
    figures.update(quick=quick, rounds=rounds, people=people, requests_per_person=per_person)
    print(f"kakao skill: {figures['skill_requests_per_s']:.0f} requests/s "
          f"({figures['skill_ms_per_request']:.2f} ms per request, median of {rounds} rounds of "
          f"{figures['requests_per_round']} searches from {people} residents at once)")
    print(f"bare skill:  {figures['bare_requests_per_s']:.0f} requests/s "
          f"({figures['bare_ms_per_request']:.2f} ms per request: a fixed simpleText, no conversation)")
    print(f"ratio: {figures['ratio']:.3f} (for comparison, without a goal)")
    print(json.dumps({"benchmark": "kakao", **figures}))
    return 0


def skill_request(user_key: str, utterance: str, press: str | None = None) -> dict[str, Any]:
    """A skill request as Kakao i Open Builder sends it from a fallback block."""
    return {
        "intent": {"id": "fallback", "name": "폴백 블록"},
        "userRequest": {
            "timezone": "Asia/Seoul", "utterance": utterance, "lang": "ko",
            "params": {"surface": "Kakaotalk.plusfriend"},
            "block": {"id": "fallback", "name": "폴백 블록"},
            "user": {"id": user_key, "type": "botUserKey", "properties": {"isFriend": True}},
        },
        "bot": {"id": "bench-bot", "name": "똑똑"},
        "action": {"id": "skill", "name": "skill", "params": {}, "detailParams": {},
                   "clientExtra": {"press": press} if press else {}},
    }


async def _measure(*, people: int, rounds: int, per_person: int) -> dict[str, Any]:
    import httpx
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from bot.adapters.kakao.channel import kakao_skill_for
    from bot.app import build_conversation, open_store, settle_for_a_long_run
    from bot.core.settings import Settings

    async def fixed_answer(_request: Any) -> JSONResponse:
        return JSONResponse(FIXED_ANSWER)

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite:///{(Path(scratch) / 'bench.sqlite3').as_posix()}",
            kakao_skill_secret=SECRET,
            # Each resident sends more than a person would in a minute: the flood gate would
            # answer most of them with its notice, which is not what is measured.
            flood_max_messages=10_000,
        )
        engine = open_store(settings)
        skill = kakao_skill_for(settings, conversation=build_conversation(settings, engine), engine=engine)
        bare = Starlette(routes=[Route(PATH, fixed_answer, methods=["POST"])])
        users = [f"bench-resident-{n}" for n in range(people)]
        skill_rates: list[float] = []
        bare_rates: list[float] = []
        try:
            async with _serving(Starlette(routes=skill.routes(PATH))) as skill_url, _serving(bare) as bare_url, \
                    httpx.AsyncClient(headers={SECRET_HEADER: SECRET}, timeout=30,
                                      limits=httpx.Limits(max_connections=people)) as client:
                for user in users:  # onboarded through the skill itself, untimed
                    await _post(client, skill_url, skill_request(user, "안녕하세요"))
                    for press in ONBOARDING_PRESSES:
                        await _post(client, skill_url, skill_request(user, press, press))
                answer = await _post(client, skill_url, skill_request(users[0], SEARCH))
                if not any(reply.get("extra", {}).get("press", "").startswith("req:")
                           for reply in answer["template"].get("quickReplies", [])):
                    raise RuntimeError("the search offered nothing to request: the bench would not "
                                       "measure a search")
                await _one_round(client, skill_url, users, 1)  # warm-up: first-call costs
                await _one_round(client, bare_url, users, 1)
                settle_for_a_long_run()
                for _ in range(rounds):
                    count, seconds = await _one_round(client, skill_url, users, per_person)
                    skill_rates.append(count / seconds)
                    count, seconds = await _one_round(client, bare_url, users, per_person)
                    bare_rates.append(count / seconds)
        finally:
            await skill.aclose()
            engine.dispose()
            gc.unfreeze()
    skill_rate, bare_rate = statistics.median(skill_rates), statistics.median(bare_rates)
    return {
        "requests_per_round": people * per_person,
        "skill_requests_per_s": round(skill_rate, 1),
        "bare_requests_per_s": round(bare_rate, 1),
        "ratio": round(skill_rate / bare_rate, 3),
        "skill_ms_per_request": round(1000 / skill_rate, 3),
        "bare_ms_per_request": round(1000 / bare_rate, 3),
        "skill_rounds": [round(rate, 1) for rate in skill_rates],
        "bare_rounds": [round(rate, 1) for rate in bare_rates],
    }


async def _one_round(client: Any, url: str, users: list[str], per_person: int) -> tuple[int, float]:
    """Every resident sends `per_person` searches, one after another, all residents at once;
    (requests, seconds)."""

    async def resident(user: str) -> None:
        for _ in range(per_person):
            await _post(client, url, skill_request(user, SEARCH))

    started = time.perf_counter()
    await asyncio.gather(*(resident(user) for user in users))
    return len(users) * per_person, time.perf_counter() - started


async def _post(client: Any, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body)
    if response.status_code != 200:
        raise RuntimeError(f"the skill answered HTTP {response.status_code}")
    answer = response.json()
    if answer.get("version") != "2.0":
        raise RuntimeError("the skill's answer is not a version 2.0 skill response")
    return answer


@asynccontextmanager
async def _serving(app: Any) -> AsyncIterator[str]:
    """`app` on a loopback port of its own; yields the skill's URL."""
    from bot.adapters.http_serving import serving_on_loopback

    async with serving_on_loopback(app) as base_url:
        yield f"{base_url}{PATH}"
