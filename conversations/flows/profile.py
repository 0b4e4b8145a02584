"""`/me`: see and change the profile, notices and language; erase everything (`/delete`).

Erasing says what goes and what stays, then asks, only where it applies, whether the
citizen's published proposals and comments go too and what becomes of a care application
still in progress; nothing is erased before the first "네".

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

from conversations.care import FINAL
from conversations.districts import suwon
from conversations.events import EraseCitizen
from conversations.flows.choices import AGE_BANDS, EASY_MODE, INTERESTS, LANGUAGES, PRIVACY
from conversations.inputs import (
    ChooseAgeBand,
    ChooseMany,
    ChooseOffered,
    ChooseOne,
    PickDong,
    yes_no,
)
from conversations.model import (
    END,
    Answers,
    Context,
    Flow,
    Offer,
    Option,
    Outcome,
    Profile,
    Step,
    Translate,
    leads_to,
)

PERSONAL = ("dong", "age_band", "interests")
# The steps that change a setting: "saved" is said only after one of them was answered.
SETTINGS = (*PERSONAL, "notices", "language", "easy_mode", "privacy")
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
    consent: dict[bool | None, str] = {
        True: "profile.consent_given",
        False: "profile.consent_refused",
    }
    return {
        "dong": suwon().label(profile.dong, profile.language or "ko") if profile.dong else unset,
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
    return str(wanted)


@leads_to(*PERSONAL, "summary")
def after_privacy(answers: Answers, profile: Profile) -> str:
    wanted = answers.get("summary")
    if profile.privacy_consent and wanted in PERSONAL:
        return str(wanted)
    return "summary"


def offer_posts(ctx: Context) -> Offer:
    """What becomes of the citizen's published proposals and comments (asked only if any)."""
    proposals, comments = ctx.desk.my_posts() if ctx.desk else (0, 0)
    if not proposals and not comments:
        return Offer(())
    options = (("remove", ctx.t("delete.posts_remove")), ("keep", ctx.t("delete.posts_keep")))
    return Offer(options, {"proposals": str(proposals), "comments": str(comments)})


def offer_care(ctx: Context) -> Offer:
    """What becomes of a care application still in progress (asked only if there is one)."""
    cards = ctx.desk.my_care_applications() if ctx.desk else []
    pending = [card for card in cards if card.status not in FINAL]
    if not pending:
        return Offer(())
    options = (("keep", ctx.t("delete.care_keep")), ("withdraw", ctx.t("delete.care_withdraw")))
    return Offer(options, {"count": str(len(pending))})


def finish_profile(ctx: Context) -> Outcome:
    """Erases the citizen after a confirmed delete, as they chose for their posts and care;
    otherwise just closes the profile."""
    answers = ctx.answers
    if answers.get("delete_confirm") == "yes":
        erase = EraseCitizen(
            remove_posts=answers.get("delete_posts") == "remove",
            withdraw_care=answers.get("delete_care") != "keep",
        )
        return Outcome("delete.done", effects=(erase,))
    changed = any(step in answers for step in SETTINGS)
    return Outcome("profile.saved" if changed else "profile.unchanged")


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
            next={"yes": "delete_posts", "no": "summary"},
            help="help.delete",
        ),
        Step(
            "delete_posts",
            "delete.ask_posts",
            ChooseOffered(offer_posts),
            next="delete_care",
            help="help.delete_posts",
        ),
        Step(
            "delete_care",
            "delete.ask_care",
            ChooseOffered(offer_care),
            next=END,
            help="help.delete_care",
        ),
    ),
    finish=finish_profile,
)
