"""Counts for the staff dashboard."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Citizen


def citizen_counts(session: Session) -> dict[str, int]:
    def count(*conditions: object) -> int:
        return session.exec(select(func.count()).select_from(Citizen).where(*conditions)).one()

    return {
        "total": count(),
        "active": count(Citizen.active),
        "onboarded": count(Citizen.onboarded),
        "with_profile": count(col(Citizen.privacy_consent).is_(True)),
        "notices_enabled": count(Citizen.notices_enabled, Citizen.active),
    }
