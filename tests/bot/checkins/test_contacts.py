"""The trusted contact: invited by the resident, accepted or declined by the contact only."""

import pytest

from bot.checkins.plans import (
    accept_invitation,
    decline_invitation,
    get_contact,
    invite_contact,
    remove_contact,
)
from bot.checkins.policy import InvalidInvitation, InvitationClosed, InvitationNotFound, NotAllowed
from bot.people.residents import update_resident
from bot.store.db import session_scope
from bot.store.models import ContactStatus

from .conftest import button_data, kst, outbox, resident


def test_invitation_goes_to_the_contact_who_alone_may_accept(engine):
    mina, sujin, stranger = resident(engine, name="Mina"), resident(engine, name="Sujin"), resident(engine)
    with session_scope(engine) as session:
        invitation = invite_contact(session=session, resident=mina, contact_resident=sujin, now=kst(3, 9))
    assert invitation.status == ContactStatus.PENDING
    [message] = outbox(engine, sujin.chat_id)
    assert "Mina" in message.text and "Sujin" in message.text
    assert button_data(message) == [f"ci:cyes:{invitation.id}", f"ci:cno:{invitation.id}"]
    for person in (stranger, mina):
        with pytest.raises(NotAllowed):
            with session_scope(engine) as session:
                accept_invitation(session=session, contact_resident=person,
                                  invitation_id=invitation.id, now=kst(3, 10))
    with session_scope(engine) as session:
        assert get_contact(session=session, resident=mina).status == ContactStatus.PENDING
        accepted = accept_invitation(session=session, contact_resident=sujin,
                                     invitation_id=invitation.id, now=kst(3, 10))
        assert accepted.status == ContactStatus.ACCEPTED
        # Pressing twice is harmless.
        accept_invitation(session=session, contact_resident=sujin, invitation_id=invitation.id,
                          now=kst(3, 11))
    told = outbox(engine, mina.chat_id)
    assert len(told) == 1 and "Sujin" in told[0].text


def test_declining_and_stepping_back(engine):
    mina, sujin = resident(engine), resident(engine, name="Sujin")
    with session_scope(engine) as session:
        invitation = invite_contact(session=session, resident=mina, contact_resident=sujin, now=kst(3, 9))
        accept_invitation(session=session, contact_resident=sujin, invitation_id=invitation.id, now=kst(3, 9))
        declined = decline_invitation(session=session, contact_resident=sujin,
                                      invitation_id=invitation.id, now=kst(3, 10))
        assert declined.status == ContactStatus.DECLINED
        with pytest.raises(InvitationClosed):
            accept_invitation(session=session, contact_resident=sujin, invitation_id=invitation.id,
                              now=kst(3, 11))
        with pytest.raises(InvitationNotFound):
            accept_invitation(session=session, contact_resident=sujin, invitation_id=424242, now=kst(3, 11))


def test_invitations_that_make_no_sense_are_refused(engine):
    mina, gone = resident(engine), resident(engine)
    with session_scope(engine) as session:
        update_resident(session=session, resident=gone, now=kst(3, 9), active=False)
    with session_scope(engine) as session:
        with pytest.raises(InvalidInvitation):
            invite_contact(session=session, resident=mina, contact_resident=mina, now=kst(3, 9))
        with pytest.raises(InvalidInvitation):
            invite_contact(session=session, resident=mina, contact_resident=gone, now=kst(3, 9))
        assert get_contact(session=session, resident=mina) is None


def test_inviting_again_is_idempotent_and_someone_else_replaces(engine):
    mina, sujin, jun = resident(engine), resident(engine), resident(engine)
    with session_scope(engine) as session:
        first = invite_contact(session=session, resident=mina, contact_resident=sujin, now=kst(3, 9))
        again = invite_contact(session=session, resident=mina, contact_resident=sujin, now=kst(3, 9, 5))
        assert again.id == first.id and again.invited_at == kst(3, 9)
        replaced = invite_contact(session=session, resident=mina, contact_resident=jun, now=kst(3, 10))
        assert replaced.contact_resident_id == jun.id and replaced.status == ContactStatus.PENDING
        # The earlier invitation is now someone else's: Sujin can no longer accept it.
        with pytest.raises(NotAllowed):
            accept_invitation(session=session, contact_resident=sujin, invitation_id=first.id,
                              now=kst(3, 11))
        assert remove_contact(session=session, resident=mina, now=kst(3, 12)) is True
        assert remove_contact(session=session, resident=mina, now=kst(3, 12)) is False
    assert len(outbox(engine, sujin.chat_id)) == 1 and len(outbox(engine, jun.chat_id)) == 1
