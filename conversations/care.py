"""Integrated care (통합돌봄) rules that the chat and the staff API share.

The service catalogue is data (`data/care_services.csv`, labels in the message catalogues as
`care.service.<key>`), so the city can change what it offers without touching a flow.
Screening answers route a case to a track; they never refuse anybody.
"""

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SERVICES_FILE = Path(__file__).parent / "data" / "care_services.csv"
OFFICES_FILE = Path(__file__).parent / "data" / "dong_offices.csv"
SCREENING = ("aged65", "alone", "discharged", "disability", "temporary")
FOR_WHOM = ("me", "family", "neighbour")
RELATIONS = ("parent", "spouse", "child", "sibling", "other_family")
CONTACT_TIMES = ("morning", "afternoon", "evening", "any")
STATUSES = (
    "received",
    "reviewing",
    "assigned",
    "in_progress",
    "completed",
    "declined",
    "withdrawn",
)
FINAL = ("completed", "declined", "withdrawn")
NEXT = {
    "received": ("reviewing", "declined"),
    "reviewing": ("assigned", "declined"),
    "assigned": ("in_progress", "declined"),
    "in_progress": ("completed", "declined"),
}
_NOT_NAME = re.compile(r"[^\w\s.'·-]|[\d_]")


@dataclass(frozen=True)
class Office:
    """Where a citizen can apply in person: the dong's centre, and its phone once the city
    has filled it in (`data/dong_offices.csv`)."""

    name: str
    phone: str | None


@cache
def offices() -> dict[str, Office]:
    with OFFICES_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {
        row["dong"]: Office(row["office"], row["phone"].strip() or None)
        for row in csv.DictReader(lines)
    }


def office_of(dong: str | None) -> Office | None:
    return offices().get(dong) if dong else None


def where_to_apply(t: Callable[..., str], dong: str | None, help_phone: str | None) -> str:
    """Where to apply in person or talk to someone: the dong's centre by name, with a phone
    number when the city has one (the dong's own, else CARE_HELP_PHONE). Telegram allows no
    call buttons: the number is in the text, which the messenger makes tappable."""
    office = office_of(dong)
    phone = (office.phone if office else None) or help_phone
    if office and phone:
        return t("care.contact_named_office_phone", office=office.name, phone=phone)
    if office:
        return t("care.contact_named_office", office=office.name)
    return t("care.contact_phone", phone=phone) if phone else t("care.contact_office")


@cache
def services() -> tuple[str, ...]:
    with SERVICES_FILE.open(encoding="utf-8") as handle:
        return tuple(row["key"] for row in csv.DictReader(handle))


def track(screening: list[str]) -> tuple[str, str]:
    """(track, priority) for staff: who needs a visit first, and which team looks at it."""
    chosen = set(screening)
    if "discharged" in chosen:
        return "post_discharge", "high"
    if {"aged65", "alone"} <= chosen:
        return "elderly_alone", "high"
    if "disability" in chosen:
        return "disability", "normal"
    if "aged65" in chosen:
        return "elderly", "normal"
    if "temporary" in chosen:
        return "short_term", "normal"
    return "general", "normal"


def clean_name(text: str) -> str:
    """A name without emoji, digits or symbols, its spaces tidied."""
    letters = _NOT_NAME.sub("", unicodedata.normalize("NFC", text))
    return " ".join(letters.split())


def name_problem(text: str) -> str | None:
    return None if clean_name(text) else "care.name_invalid"


def receipt(application_id: int) -> str:
    return f"C-{application_id:06d}"
