"""Getting to know a new resident: language, district, consent, then (optionally) age and gender.

Nothing is stored about the person before they agree: until then the conversation state holds
only the language and district they picked. The resident row is written at consent.

A flyer's link (`/start seocho_ko`, bot.conversation.start_links) presets the district and the
language, so the first answer is the consent notice; a payload that is not exactly a district a
resident can choose is ignored and the questions are asked as usual. A resident already set up
who scans a flyer keeps what they chose: they are told which district the flyer is for and how
to change theirs. Once set up, a resident has three buttons under the typing field (find, my
requests, help) that stay there, for those who never find the menu.
"""

from __future__ import annotations

import re
import unicodedata

from bot.conversation.district_names import find_district
from bot.conversation.start_links import StartPreset, read_payload
from bot.conversation.states import State
from bot.conversation.turn import Turn, fit_message, log
from bot.conversation.typed_answers import NO_WORDS, SKIP_WORDS, YES_WORDS, labelled, means, plain
from bot.core.buttons import SKIP, Action, button
from bot.core.messages import Outgoing
from bot.people.residents import register_resident, update_resident
from bot.store.models import AgeBand, Gender, Language

_GENDER_WORDS = {
    "여성": Gender.FEMALE, "여자": Gender.FEMALE, "여": Gender.FEMALE, "할머니": Gender.FEMALE,
    "woman": Gender.FEMALE, "female": Gender.FEMALE, "f": Gender.FEMALE,
    "남성": Gender.MALE, "남자": Gender.MALE, "남": Gender.MALE, "할아버지": Gender.MALE,
    "man": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE,
}
# Read from `plain` text (no spaces): "72", "72살", "72세예요", "I'm 72", "72 years old";
# "70대", "70s" (a decade).
_AGE = re.compile(r"(?:i'?m|iam|만)?(\d{1,3})(살|세|years?(?:old)?|y/?o)?")
_DECADE = re.compile(r"(\d)0(대|s|'s)(?:이상|초반|중반|후반)?")
# Polite endings after a typed answer: "72살이에요", "여자예요", "70대입니다".
_ENDING = re.compile(r"(이에요|예요|이요|입니다|요)$")
_SKIP_OR_NO = SKIP_WORDS | NO_WORDS
YOUNGEST_TYPED_AGE, OLDEST_TYPED_AGE = 15, 120
# The buttons kept under the typing field (`keyboard.*` texts), and the command each sends.
KEYBOARD_COMMANDS = (("keyboard.find", "find"), ("keyboard.bookings", "bookings"), ("keyboard.help", "help"))
_LANGUAGE_WORDS = {
    "한국어": Language.KO, "한국말": Language.KO, "korean": Language.KO, "ko": Language.KO,
    "english": Language.EN, "영어": Language.EN, "en": Language.EN,
}
_LANGUAGE_BUTTONS = {Language.KO: "button.korean", Language.EN: "button.english"}


def start(turn: Turn, argument: str = "") -> None:
    """/start: a returning resident is greeted; anyone else begins with the language, or, from
    a flyer's link (`argument`, the link's payload), with the consent notice."""
    preset = read_payload(argument, turn.tools.resident_districts) if argument else None
    if argument and preset is None:  # the payload's length only: it may be anything at all
        log.info("start link not understood (%s characters) from user %s", len(argument), turn.user_id)
    if turn.resident is not None:
        welcome_back(turn, preset)
        return
    if preset is not None:
        language = preset.language or messenger_language(turn)
        turn.go(State.CONSENT, {"language": language, "district": preset.district})
        ask_consent(turn, offer_other_language=True)
        return
    ask_language(turn)


def welcome_back(turn: Turn, preset: StartPreset | None = None) -> None:
    """A resident already set up: greeted, with the buttons under the typing field. A flyer of
    another district changes nothing: they are told, and shown how to change it themselves."""
    turn.go(State.READY)
    say_with_keyboard(
        turn,
        turn.t("onboarding.welcome_back", name=turn.resident.first_name or turn.t("common.friend"))
        + "\n\n" + turn.t("help.resident"),
    )
    if preset is not None and preset.district != turn.resident.district:
        text = turn.t("onboarding.link_other_district", link_district=turn.district_name(preset.district),
                      district=turn.district_name(turn.resident.district))
    else:
        text = turn.t("onboarding.change_setup")
    turn.say(text, [[button(turn.t("button.setup"), Action.SETUP)]])


def messenger_language(turn: Turn) -> str:
    """The language the person's messenger is set to, if the bot speaks it; Korean otherwise."""
    code = (turn.incoming.language_code or "").strip().lower()
    return Language.EN if code.startswith("en") else Language.KO


def ask_language(turn: Turn) -> None:
    """Both languages, the messenger's first: an English phone sees [English] [한국어]."""
    turn.go(State.CHOOSING_LANGUAGE)
    languages = [Language.KO, Language.EN]
    if messenger_language(turn) == Language.EN:
        languages.reverse()
    turn.say(
        turn.t("onboarding.choose_language"),
        [[button(turn.t(_LANGUAGE_BUTTONS[language]), Action.LANGUAGE, language)
          for language in languages]],
    )


def on_language(turn: Turn, language: str) -> None:
    """The language chosen. At the consent notice of a flyer's link (the district is already
    there), the notice is shown again in that language; otherwise the district comes next."""
    if turn.state is State.CONSENT and "district" in turn.data:
        turn.go(State.CONSENT, {"language": language, "district": turn.data["district"]})
        ask_consent(turn, offer_other_language=True)
        return
    turn.go(State.CHOOSING_DISTRICT, {"language": language})
    ask_district(turn)


def ask_district(turn: Turn) -> None:
    buttons = [button(turn.district_name(code), Action.DISTRICT, code)
               for code in turn.tools.resident_districts]
    turn.say(turn.t("onboarding.choose_district"), [buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def on_district(turn: Turn, district: str) -> bool:
    """False when `district` is not one a resident can choose (a forged or outdated button)."""
    if district not in turn.tools.resident_districts:
        return False
    turn.go(State.CONSENT, {"language": turn.data["language"], "district": district})
    ask_consent(turn)
    return True


def ask_consent(turn: Turn, *, offer_other_language: bool = False) -> None:
    """The consent notice. `offer_other_language`: when the language was not the person's own
    choice (a flyer's link chose it), a button to read the notice in the other language."""
    rows = [[button(turn.t("button.agree"), Action.CONSENT, "yes"),
             button(turn.t("button.disagree"), Action.CONSENT, "no")]]
    if offer_other_language:
        other = Language.EN if turn.language == Language.KO else Language.KO
        rows.append([button(turn.t(_LANGUAGE_BUTTONS[other]), Action.LANGUAGE, other)])
    turn.say(
        turn.t("consent.notice", district=turn.district_name(turn.data["district"]),
               retention_days=turn.tools.settings.booking_retention_days),
        rows,
    )


def on_consent(turn: Turn, agreed: bool) -> None:
    language, district = turn.data["language"], turn.data["district"]
    if not agreed:
        if turn.resident is not None:  # changing settings: the earlier consent still stands
            turn.go(State.READY)
            turn.say(turn.t("onboarding.setup_kept"))
            return
        text = turn.t("consent.declined")  # still in the chosen language: data is cleared next
        turn.go(State.NEW)
        turn.say(text)
        return
    turn.resident = register_resident(
        session=turn.session,
        platform_user_id=turn.user_id,
        chat_id=turn.incoming.chat_id,
        first_name=clean_name(turn.incoming.first_name),
        language=language,
        district=district,
        now=turn.now,
    )
    turn.go(State.PROFILE_AGE)
    turn.say(turn.t("consent.thanks"))
    ask_age(turn)


def ask_age(turn: Turn) -> None:
    bands = [button(turn.t(f"age.{band}"), Action.AGE, band) for band in AgeBand]
    rows = [bands[i : i + 3] for i in range(0, len(bands), 3)]
    rows.append([button(turn.t("button.skip"), Action.AGE, SKIP)])
    turn.say(turn.t("profile.ask_age"), rows)


def on_age(turn: Turn, band: str) -> None:
    update_resident(session=turn.session, resident=turn.resident, now=turn.now,
                    age_band=None if band == SKIP else band)
    turn.go(State.PROFILE_GENDER)
    turn.say(
        turn.t("profile.ask_gender"),
        [[button(turn.t(f"gender.{g}"), Action.GENDER, g) for g in Gender],
         [button(turn.t("button.skip"), Action.GENDER, SKIP)]],
    )


def on_gender(turn: Turn, gender: str) -> None:
    update_resident(session=turn.session, resident=turn.resident, now=turn.now,
                    gender=None if gender == SKIP else gender)
    turn.go(State.READY)
    say_with_keyboard(turn, turn.t("profile.done", district=turn.district_name(turn.resident.district))
                      + "\n\n" + turn.t("help.resident"))


def keyboard_labels(turn: Turn, language: str | None = None) -> tuple[str, ...]:
    """The labels of the buttons under the typing field, in the resident's language."""
    return tuple(turn.t_in(language or turn.language, key) for key, _command in KEYBOARD_COMMANDS)


def say_with_keyboard(turn: Turn, text: str, *, hint: bool = True) -> None:
    """Say `text` with the buttons under the typing field (sent again, they come back if the
    resident closed them), and with `hint`, a line saying they are there."""
    labels = keyboard_labels(turn)
    if hint:
        text += "\n\n" + turn.t("keyboard.hint", **{command: label for (_key, command), label
                                                   in zip(KEYBOARD_COMMANDS, labels, strict=True)})
    turn.reply.messages.append(Outgoing(turn.incoming.chat_id, fit_message(text), keyboard=labels))


def keyboard_command(turn: Turn, text: str) -> str | None:
    """The command ("/find") a press of a button under the typing field sent, in either
    language (a resident who changed language may still have the old buttons); None for any
    other text. Only a whole label counts: "도움말이 필요해요" is a message, not a press."""
    typed = plain(text)
    for key, command in KEYBOARD_COMMANDS:
        if any(plain(turn.t_in(language, key)) == typed for language in Language):
            return f"/{command}"
    return None


def on_typed(turn: Turn, text: str) -> None:
    """Typed text while a choice is asked: understand the obvious answers, else ask again."""
    word = unicodedata.normalize("NFKC", text).strip().lower().rstrip(".!")
    if turn.state is State.CHOOSING_LANGUAGE:
        if word in _LANGUAGE_WORDS:
            on_language(turn, _LANGUAGE_WORDS[word])
        else:
            ask_language(turn)
    elif turn.state is State.CHOOSING_DISTRICT:
        district = find_district(text, turn.tools.catalog.districts, turn.tools.resident_districts)
        if district is None or not on_district(turn, district):
            turn.say(turn.t("onboarding.district_unknown"))
            ask_district(turn)
    elif turn.state is State.CONSENT:
        if means(turn, text, YES_WORDS, "button.agree"):
            on_consent(turn, True)
        elif means(turn, text, NO_WORDS, "button.disagree"):
            on_consent(turn, False)
        else:
            turn.say(turn.t("onboarding.press_a_button"))
            ask_consent(turn)
    else:
        raise AssertionError(f"not an onboarding state: {turn.state}")  # pragma: no cover


def on_profile_typed(turn: Turn, text: str) -> bool:
    """Typed text while the age band or gender is asked: an age ("72살", "70대", "I'm 72"),
    a gender ("여자예요"), a button's label, or "skip" is taken as the answer, as older people
    often write rather than press. False for anything else: it is what they need, not an answer."""
    word = _ENDING.sub("", plain(text))
    skipped = means(turn, text, _SKIP_OR_NO, "button.skip")
    if turn.state is State.PROFILE_AGE:
        band = SKIP if skipped else _typed_age_band(turn, word)
        if band is None:
            return False
        on_age(turn, band)
        return True
    gender = SKIP if skipped else _GENDER_WORDS.get(word) or labelled(turn, word, Gender, lambda g: f"gender.{g}")
    if gender is None:
        return False
    on_gender(turn, gender)
    return True


def _typed_age_band(turn: Turn, word: str) -> str | None:
    if (decade := _DECADE.fullmatch(word)) is not None:
        return _age_band(int(decade.group(1)) * 10)
    if (age := _AGE.fullmatch(word)) is not None:
        years = int(age.group(1))
        return _age_band(years) if YOUNGEST_TYPED_AGE <= years <= OLDEST_TYPED_AGE else None
    return labelled(turn, word, AgeBand, lambda band: f"age.{band}")


def _age_band(years: int) -> AgeBand:
    if years >= 70:
        return AgeBand.SEVENTY_PLUS
    if years < 40:
        return AgeBand.UNDER_40
    return {4: AgeBand.FORTIES, 5: AgeBand.FIFTIES, 6: AgeBand.SIXTIES}[years // 10]


def clean_name(name: str) -> str:
    """A messenger first name without control or format characters (they break logs and texts)."""
    return "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()

