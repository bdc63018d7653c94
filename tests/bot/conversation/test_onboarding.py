"""Language → district → consent → optional profile; nothing about a person stored before consent."""

from __future__ import annotations

from sqlmodel import Session

from bot.store.models import ConversationState

from .conftest import button_data, labels, text


def stored_state(engine, user_id: int) -> ConversationState | None:
    with Session(engine) as session:
        return session.get(ConversationState, user_id)


def test_start_offers_both_languages(person):
    reply = person().say("/start")
    assert button_data(reply) == ["lang:ko", "lang:en"]
    assert "한국어" in labels(reply) and "English" in labels(reply)


def test_district_buttons_are_the_resident_districts_with_catalog_names(person):
    mina = person()
    mina.say("/start")
    reply = mina.press("lang:ko")
    assert button_data(reply) == [
        "dist:seocho", "dist:yongsan", "dist:eunpyeong", "dist:gwangjin", "dist:gwangsan", "dist:sancheong",
    ]
    assert "서울 서초구" in labels(reply) and "경남 산청군" in labels(reply)
    assert "dist:seoul" not in button_data(reply)  # a city is not where someone lives


def test_consent_notice_says_what_why_how_long_and_how_to_see_or_delete(person, settings):
    mina = person()
    mina.say("/start")
    mina.press("lang:ko")
    reply = mina.press("dist:seocho")
    notice = text(reply)
    for word in ("언어", "지역", "이름", "전화번호", "주소", "/privacy", "/forget",
                 f"{settings.booking_retention_days}일"):
        assert word in notice
    assert button_data(reply) == ["consent:yes", "consent:no"]


def test_nothing_is_stored_about_a_person_before_they_agree(person, db, engine):
    mina = person("Mina")
    mina.say("/start")
    mina.press("lang:en")
    mina.press("dist:yongsan")
    assert db.residents() == []
    state = stored_state(engine, mina.user_id)
    assert state is not None and set(state.data) <= {"language", "district"}
    assert "Mina" not in str(state.data)


def test_agreeing_registers_the_resident_with_their_choices(person, db):
    mina = person("Mina")
    mina.say("/start")
    mina.press("lang:en")
    mina.press("dist:yongsan")
    reply = mina.press("consent:yes")
    [resident] = db.residents()
    assert (resident.first_name, resident.language, resident.district) == ("Mina", "en", "yongsan")
    assert "age" in text(reply).lower()
    assert "age:skip" in button_data(reply) and "age:60s" in button_data(reply)


def test_declining_stores_nothing_and_offers_start_again(person, db, engine):
    mina = person()
    mina.say("/start")
    mina.press("lang:ko")
    mina.press("dist:seocho")
    reply = mina.press("consent:no")
    assert "/start" in text(reply)
    assert db.residents() == []
    assert stored_state(engine, mina.user_id) is None
    # Without consent a search is not answered with programs, but hotlines still are.
    later = mina.say("싱크대가 막혔어요")
    assert "lang:ko" in button_data(later)
    assert "📌" not in text(later)


def test_age_and_gender_are_stored_or_skipped(person, db):
    person("A").onboard(age="70-plus", gender="female")
    person("B").onboard()
    by_name = {r.first_name: r for r in db.residents()}
    assert (by_name["A"].age_band, by_name["A"].gender) == ("70-plus", "female")
    assert (by_name["B"].age_band, by_name["B"].gender) == (None, None)


def test_end_of_onboarding_explains_what_to_do(person):
    reply = person().onboard()
    assert "/menu" in text(reply) and "/bookings" in text(reply)


def test_typed_answers_work_during_onboarding(person, db):
    mina = person()
    mina.say("/start")
    assert "dist:seocho" in button_data(mina.say("한국어"))
    assert "consent:yes" in button_data(mina.say("서초구"))
    mina.say("동의해요")
    assert [r.district for r in db.residents()] == ["seocho"]


def test_a_district_typed_unclearly_asks_again(person, db):
    mina = person()
    mina.say("/start")
    mina.press("lang:ko")
    reply = mina.say("서울")  # four districts are in Seoul
    assert "dist:seocho" in button_data(reply)
    assert db.residents() == []


def test_a_stranger_writing_anything_is_greeted_with_the_language_choice(person, db):
    reply = person().say("안녕하세요")
    assert button_data(reply) == ["lang:ko", "lang:en"]
    assert db.residents() == []


def test_a_returning_resident_is_welcomed_back_and_can_change_settings(person, db):
    mina = person("Mina")
    mina.onboard(district="seocho")
    reply = mina.say("/start")
    assert "Mina" in text(reply)
    assert button_data(reply) == ["nav:setup"]
    mina.press("nav:setup")
    mina.press("lang:en")
    mina.press("dist:gwangjin")
    mina.press("consent:yes")
    [resident] = db.residents()
    assert (resident.language, resident.district) == ("en", "gwangjin")


def test_a_resident_who_declines_when_changing_settings_keeps_the_old_ones(person, db):
    mina = person()
    mina.onboard(district="seocho")
    mina.press("nav:setup")
    mina.press("lang:en")
    mina.press("dist:gwangjin")
    mina.press("consent:no")
    [resident] = db.residents()
    assert (resident.language, resident.district) == ("ko", "seocho")


def test_an_onboarding_button_pressed_out_of_turn_is_refused_politely(person, db):
    mina = person()
    reply = mina.press("consent:yes")  # never saw the notice
    assert "버튼" in text(reply)
    assert db.residents() == []


def test_cancel_during_onboarding_forgets_the_choices(person, engine):
    mina = person()
    mina.say("/start")
    mina.press("lang:ko")
    mina.say("/cancel")
    assert stored_state(engine, mina.user_id) is None


def test_typing_during_the_profile_questions_searches_straight_away(person):
    mina = person()
    mina.say("/start")
    mina.press("lang:ko")
    mina.press("dist:seocho")
    mina.press("consent:yes")
    reply = mina.say("싱크대 배수구가 막혔어요 고쳐주세요")
    assert "req:start:seocho.handyman" in button_data(reply)


def consented(person):
    """Someone who has just agreed: the age band is asked."""
    someone = person()
    someone.say("/start")
    someone.press("lang:ko")
    someone.press("dist:seocho")
    someone.press("consent:yes")
    return someone


def test_an_age_and_gender_typed_instead_of_pressed_are_taken_as_answers(person, db):
    typed = {
        "72살이에요": "70-plus", "만 65세": "60s", "50대입니다": "50s", "40대 후반": "40s",
        "38": "under-40", "I'm 81": "70-plus", "60 years old": "60s", "70세 이상": "70-plus",
        "under 40": "under-40",
    }
    for answer, band in typed.items():
        someone = consented(person)
        reply = someone.say(answer)
        assert "gender:female" in button_data(reply), answer  # the next question
        reply = someone.say("여자예요")
        assert "/menu" in text(reply)
        [resident] = [r for r in db.residents() if r.platform_user_id == someone.user_id]
        assert (resident.age_band, resident.gender) == (band, "female"), answer


def test_skip_typed_at_the_profile_questions_skips_them(person, db):
    someone = consented(person)
    assert "gender:male" in button_data(someone.say("건너뛰기"))
    assert "/menu" in text(someone.say("싫어요"))
    [resident] = db.residents()
    assert (resident.age_band, resident.gender) == (None, None)
    someone.say("남자")  # the questions are over: typing is a search again
    [resident] = db.residents()
    assert resident.gender is None


def test_a_need_typed_at_the_age_question_is_searched_and_the_questions_end(person, db):
    someone = consented(person)
    reply = someone.say("70대인데 보일러가 고장났어요")
    assert "gender:female" not in button_data(reply)
    assert any(data.startswith("req:") or data.startswith("more:") for data in button_data(reply))
    [resident] = db.residents()
    assert resident.age_band is None


def test_an_implausible_number_is_not_taken_for_an_age(person, db):
    someone = consented(person)
    someone.say("3")
    [resident] = db.residents()
    assert resident.age_band is None
