"""`/me`: see and change the profile, notices and language; erase everything (`/delete`).

    citizen: /me
    bot:     내 정보  동: 매탄3동 · 나이대: 40대 · 관심 분야: 교통, 환경 · 알림: 받음
             무엇을 바꿀까요?      [사는 동] [나이대] [관심 분야] … [개인정보 삭제] [다 됐어요]
    citizen: 관심 분야
    bot:     관심 분야를 골라 주세요 …   (toggle buttons) [완료]
    citizen: (taps 완료)
    bot:     내 정보 …  무엇을 바꿀까요?

Personal fields need consent: choosing one without it shows the privacy notice first.
"""

from collections.abc import Mapping

from conversations.events import EraseCitizen
from conversations.flows.choices import AGE_BANDS, EASY_MODE, INTERESTS, LANGUAGES, PRIVACY
from conversations.inputs import ChooseAgeBand, ChooseMany, ChooseOne, PickDong, yes_no
from conversations.model import (
    END,
    Answers,
    Context,
    Flow,
    Option,
    Outcome,
    Profile,
    Step,
    Translate,
    leads_to,
)

PERSONAL = ("dong", "age_band", "interests")
SUMMARY_OPTIONS = tuple(
    Option(value, f"profile.edit.{value}")
    for value in (
        "dong",
        "age_band",
        "interests",
        "notices",
        "language",
        "easy_mode",
        "privacy",
        "delete_confirm",
        "done",
    )
)
NOTICES = (Option("on", "notices.on"), Option("off", "notices.off"))


def describe_profile(answers: Answers, profile: Profile, t: Translate) -> Mapping[str, str]:
    """Fills the summary with the citizen's current settings, in their language."""
    unset = t("profile.unset")
    interests = ", ".join(t(f"interest.{i}") for i in profile.interests)
    consent = {True: "profile.consent_given", False: "profile.consent_refused"}
    return {
        "dong": profile.dong or unset,
        "age_band": t(f"age.{profile.age_band}") if profile.age_band else unset,
        "interests": interests or unset,
        "notices": t("notices.on" if profile.notices_enabled else "notices.off"),
        "language": t(f"language.{profile.language or 'ko'}"),
        "privacy": t(consent.get(profile.privacy_consent, "profile.consent_unasked")),
    }


@leads_to(END, "privacy", *(o.value for o in SUMMARY_OPTIONS if o.value != "done"))
def after_summary(answers: Answers, profile: Profile) -> str:
    """Personal fields go through the privacy notice until the citizen has agreed."""
    wanted = answers["summary"]
    if wanted == "done":
        return END
    if wanted in PERSONAL and not profile.privacy_consent:
        return "privacy"
    return wanted


@leads_to(*PERSONAL, "summary")
def after_privacy(answers: Answers, profile: Profile) -> str:
    wanted = answers.get("summary")
    if profile.privacy_consent and wanted in PERSONAL:
        return wanted
    return "summary"


def finish_profile(ctx: Context) -> Outcome:
    """Erases the citizen after a confirmed delete; otherwise just closes the profile."""
    if ctx.answers.get("delete_confirm") == "yes":
        return Outcome("delete.done", effects=(EraseCitizen(),))
    return Outcome("profile.saved")


PROFILE_FLOW = Flow(
    id="profile",
    title="flow.profile",
    steps=(
        Step(
            "summary",
            "profile.summary",
            ChooseOne(SUMMARY_OPTIONS),
            next=after_summary,
            describe=describe_profile,
            help="help.profile_summary",
        ),
        Step(
            "dong",
            "profile.ask_dong",
            PickDong(),
            next="summary",
            profile_field="dong",
            help="help.dong",
        ),
        Step(
            "age_band",
            "profile.ask_age_band",
            ChooseAgeBand(AGE_BANDS),
            next="summary",
            profile_field="age_band",
            help="help.profile_age_band",
        ),
        Step(
            "interests",
            "profile.ask_interests",
            ChooseMany(INTERESTS),
            next="summary",
            profile_field="interests",
            help="help.interests",
        ),
        Step(
            "notices",
            "profile.ask_notices",
            ChooseOne(NOTICES),
            next="summary",
            profile_field="notices_enabled",
            help="help.profile_notices",
        ),
        Step(
            "language",
            "onboarding.language",
            ChooseOne(LANGUAGES),
            next="summary",
            profile_field="language",
            help="help.profile_language",
        ),
        Step(
            "easy_mode",
            "onboarding.easy_mode",
            ChooseOne(EASY_MODE),
            next="summary",
            profile_field="easy_mode",
            help="help.easy_mode",
        ),
        Step(
            "privacy",
            "privacy.notice",
            ChooseOne(PRIVACY, inline=True),
            next=after_privacy,
            profile_field="privacy_consent",
            help="help.privacy",
        ),
        Step(
            "delete_confirm",
            "delete.confirm",
            yes_no("delete.yes", "delete.no"),
            next={"yes": END, "no": "summary"},
            help="help.delete",
        ),
    ),
    finish=finish_profile,
)
