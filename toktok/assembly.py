"""The runtime built from the settings: the one place settings become runtime values."""

from datetime import timedelta

from sqlalchemy import Engine

from conversations.desk import CareTerms, ProposalRules
from conversations.messages import Catalog
from runtime.recipe import RuntimeRecipe
from runtime.turn import Runtime
from toktok.keys import data_keys
from toktok.settings import Settings


def runtime_recipe(settings: Settings) -> RuntimeRecipe:
    return RuntimeRecipe(
        database_url=settings.database_url,
        data_keys=tuple(data_keys(settings)),
        person_key=settings.person_key.get_secret_value() or None,
        default_language=settings.default_language,
        resume_after=timedelta(minutes=settings.resume_offer_after_minutes),
        rules=ProposalRules(
            answer_threshold=settings.proposal_answer_threshold,
            answer_days=settings.proposal_answer_days,
            hide_after_reports=settings.report_hide_after,
        ),
        care_terms=CareTerms(settings.care_retention_days, settings.care_help_phone or None),
        json_logs=settings.json_logs,
        zone=settings.timezone,
    )


def build_runtime(settings: Settings, db: Engine | None = None) -> tuple[Runtime, Catalog]:
    """The runtime for this process, on `db` (or a new engine for the settings' database)."""
    return runtime_recipe(settings).build(db)
