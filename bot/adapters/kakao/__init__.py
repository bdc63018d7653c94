"""The KakaoTalk adapter: the same conversation on Kakao i Open Builder.

`skill` turns skill requests into the conversation's turns and `responses` its replies into skill
responses; `events` sends what residents did not ask for through the Event API, announcing a
message `held` for the skill to show; `channel` puts them together from the settings, beside
Telegram or alone. Kakao people get ids of their own (`bot.people.identities`), so every other
part of the bot serves them as it serves Telegram's.
"""
