"""Provider members: who answers jobs for which provider of the catalog.

A provider (a meal maker, a repair cooperative) is a catalog record; its members are Telegram
users added by an operator (`ddokddok provider add`). A member sees only the jobs of their own
provider, which is checked against the database on every press (`bot.requests.provider_jobs`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.store.models import ProviderMember
from catalog import Catalog

NAME_MAX_LENGTH = 64


class ProviderMemberError(ValueError):
    """A member could not be added: unknown provider, or the Telegram id is taken."""


def add_member(
    *, session: Session, catalog: Catalog, telegram_id: int, provider_id: str, name: str, now: datetime
) -> ProviderMember:
    if provider_id not in catalog.providers:
        raise ProviderMemberError(f"unknown provider '{provider_id}'")
    if telegram_id <= 0:
        raise ProviderMemberError("a Telegram user id is a positive number")
    member = ProviderMember(telegram_id=telegram_id, provider_id=provider_id,
                            name=name.strip()[:NAME_MAX_LENGTH], created_at=now)
    try:
        with session.begin_nested():  # a taken id undoes only this insert
            session.add(member)
            session.flush()
    except IntegrityError as error:
        raise ProviderMemberError(f"Telegram user {telegram_id} is already a provider member") from error
    return member


def get_member(*, session: Session, telegram_id: int) -> ProviderMember | None:
    return session.exec(select(ProviderMember).where(ProviderMember.telegram_id == telegram_id)).first()


def list_members(*, session: Session, provider_id: str | None = None) -> list[ProviderMember]:
    query = select(ProviderMember).order_by(col(ProviderMember.provider_id), col(ProviderMember.id))
    if provider_id is not None:
        query = query.where(ProviderMember.provider_id == provider_id)
    return list(session.exec(query))


def remove_member(*, session: Session, telegram_id: int) -> bool:
    member = get_member(session=session, telegram_id=telegram_id)
    if member is None:
        return False
    session.delete(member)
    session.flush()
    return True
