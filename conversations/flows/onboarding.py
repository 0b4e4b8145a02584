"""First contact: language, button size, the privacy notice, then an optional profile.

    citizen: 안녕하세요
    bot:     언어를 골라 주세요. Please choose your language.   [한국어] [English]
    citizen: 한국어
    bot:     버튼을 크게, 한 줄에 하나씩 보여 드릴까요?          [크게 보기] [보통으로]
    citizen: 크게
    bot:     개인정보 수집·이용 안내 … 동의하시겠어요?            [동의합니다] [동의하지 않습니다]
    citizen: (taps 동의합니다)
    bot:     사시는 동을 알려 주세요 …                          [장안구] [권선구] [팔달구] [영통구]
    citizen: 매탄 삼동
    bot:     나이대를 골라 주세요.                               [20대] … [건너뛰기]
    …
    bot:     설정을 마쳤어요. 무엇을 도와드릴까요?                [내 정보·알림 설정]

Refusing the privacy notice skips the personal questions; every menu still works.
"""

from conversations.flows.choices import AGE_BANDS, EASY_MODE, INTERESTS, LANGUAGES, PRIVACY
from conversations.inputs import ChooseAgeBand, ChooseMany, ChooseOne, PickDong
from conversations.model import (
    END,
    Context,
    Flow,
    Outcome,
    Step,
)


def finish_onboarding(ctx: Context) -> Outcome:
    """Thanks the citizen; says how to add a profile later if they declined."""
    if ctx.profile.privacy_consent:
        return Outcome("onboarding.done")
    return Outcome("onboarding.done_without_profile")


ONBOARDING_FLOW = Flow(
    id="onboarding",
    title="flow.onboarding",
    in_menu=False,
    steps=(
        Step(
            "language",
            "onboarding.language",
            ChooseOne(LANGUAGES),
            next="easy_mode",
            profile_field="language",
            help="help.onboarding_language",
        ),
        Step(
            "easy_mode",
            "onboarding.easy_mode",
            ChooseOne(EASY_MODE),
            next="privacy",
            profile_field="easy_mode",
            help="help.easy_mode",
        ),
        Step(
            "privacy",
            "privacy.notice",
            ChooseOne(PRIVACY, inline=True),
            next={"agree": "dong", "refuse": END},
            profile_field="privacy_consent",
            help="help.privacy",
        ),
        Step(
            "dong",
            "profile.ask_dong",
            PickDong(),
            next="age_band",
            skippable=True,
            profile_field="dong",
            help="help.dong",
        ),
        Step(
            "age_band",
            "profile.ask_age_band",
            ChooseAgeBand(AGE_BANDS),
            next="interests",
            skippable=True,
            profile_field="age_band",
            help="help.onboarding_age_band",
        ),
        Step(
            "interests",
            "profile.ask_interests",
            ChooseMany(INTERESTS),
            skippable=True,
            profile_field="interests",
            help="help.interests",
        ),
    ),
    finish=finish_onboarding,
)
