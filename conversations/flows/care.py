"""Care sign-up (돌봄 신청): for me or someone I help, with consent asked before anything.

    citizen: 돌봄 신청
    bot:     누구를 위한 신청인가요?      [🙋 나] [👪 가족] [🏘 이웃]
    citizen: 가족
    bot:     신청하시는 분과 어떤 관계인가요?   [부모님] [배우자] …
    citizen: 부모님
    bot:     [개인정보 수집·이용 동의] 목적 … 항목 … 보유 기간 … 거부할 권리 …  [동의] [동의 안 함]
    bot:     [민감정보(건강) 처리 동의] …                                     [동의] [동의 안 함]
    bot:     어떤 도움이 필요하세요? (여러 개)  …  지금 상황을 짧게 …  해당하는 것을 골라 …
    bot:     신청하시는 분 성함 … 도움받으실 분 성함 … 연락처 [📱 내 번호 보내기] … 동 … 주소 …
    bot:     신청 내용을 확인해 주세요 …   [✅ 신청하기] [✏️ 연락처 고치기] [✏️ 주소 고치기]
    citizen: (taps ✅ 신청하기)
    bot:     접수되었어요. 접수번호 C-000012 …

Refusing either consent ends the flow kindly with a phone number and the dong office.
Someone who has applied before first sees their applications, to follow or withdraw them.
Nothing asks for a resident registration number; one typed anyway is masked before storage.
"""

from collections.abc import Mapping

from conversations.care import (
    CONTACT_TIMES,
    FINAL,
    FOR_WHOM,
    RELATIONS,
    SCREENING,
    clean_name,
    name_problem,
    receipt,
    services,
    where_to_apply,
)
from conversations.desk import CareRequest
from conversations.districts import suwon
from conversations.inputs import (
    ChooseMany,
    ChooseOffered,
    ChooseOne,
    FreeText,
    PhoneNumber,
    PickDong,
    yes_no,
)
from conversations.masking import mask_personal
from conversations.model import (
    END,
    Answers,
    Branch,
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

CONFIRM = (
    Option("submit", "care.submit"),
    Option("edit_phone", "care.edit_phone"),
    Option("edit_address", "care.edit_address"),
)
NEW = "new"


def _options(prefix: str, keys: tuple[str, ...]) -> tuple[Option, ...]:
    return tuple(Option(key, f"{prefix}.{key}") for key in keys)


# -- following one's applications ------------------------------------------------------------


def offer_mine(ctx: Context) -> Offer:
    """Earlier applications to follow, and a new one; skipped for a first application."""
    cards = ctx.desk.my_care_applications() if ctx.desk else []
    if not cards:
        return Offer(())
    options = [(NEW, ctx.t("care.new"))]
    options += [
        (
            f"app:{card.id}",
            ctx.t(
                "care.card",
                receipt=receipt(card.id),
                status=ctx.t(f"care.status.{card.status}"),
            ),
        )
        for card in cards
    ]
    return Offer(tuple(options))


@leads_to("application", "for_whom")
def after_mine(answers: Answers, profile: Profile) -> str:
    return "application" if str(answers.get("mine") or NEW).startswith("app:") else "for_whom"


def _opened(answers: Answers) -> int:
    return int(str(answers["mine"]).removeprefix("app:"))


def offer_application(ctx: Context) -> Offer:
    """The application's status history, and withdrawing while it is open."""
    view = ctx.desk.care_application(_opened(ctx.answers)) if ctx.desk else None
    back = ("back", ctx.t("care.back_to_list"))
    if view is None:
        return Offer((back,), {"detail": ctx.t("care.gone")})
    lines = [
        ctx.t(
            "care.history_line",
            date=day,
            status=ctx.t(f"care.status.{status}"),
            reason=f" ({reason})" if reason else "",
        )
        for status, day, reason in view.history
    ]
    detail = ctx.t(
        "care.detail",
        receipt=receipt(view.id),
        services=", ".join(ctx.t(f"care.service.{s}") for s in view.services),
        history="\n".join(lines),
    )
    options = [back]
    if view.status not in FINAL:
        options.insert(0, ("withdraw", ctx.t("care.withdraw")))
    return Offer(tuple(options), {"detail": detail})


@leads_to("withdraw_confirm", "mine")
def after_application(answers: Answers, profile: Profile) -> str:
    return "withdraw_confirm" if answers.get("application") == "withdraw" else "mine"


def withdraw(ctx: Context, choice: str) -> str | None:
    if ctx.desk is None or choice != "yes":
        return None
    done = ctx.desk.withdraw_care(_opened(ctx.answers))
    return "care.withdrawn" if done else "care.cannot_withdraw"


# -- a new application -----------------------------------------------------------------------


def _contact(ctx: Context) -> str:
    help_phone = ctx.desk.care_terms().phone if ctx.desk else None
    return where_to_apply(ctx.t, ctx.answers.get("dong") or ctx.profile.dong, help_phone)


def offer_consent(ctx: Context) -> Offer:
    """Agree or refuse, under a notice that states the retention the city has set."""
    retention = ctx.desk.care_terms().retention_days if ctx.desk else 0
    options = (
        ("agree", ctx.t("care.consent_agree")),
        ("refuse", ctx.t("care.consent_refuse")),
    )
    return Offer(options, {"retention": retention, "contact": _contact(ctx)})


def after_consent(next_step: str) -> Branch:
    """Either refusal ends the application kindly; otherwise on to `next_step`."""

    @leads_to(END, next_step)
    def decide(answers: Answers, profile: Profile) -> str:
        refused = "refuse" in (answers.get("consent_personal"), answers.get("consent_sensitive"))
        return END if refused else next_step

    return decide


@leads_to("relation", "proxy_agreed", "consent_personal")
def after_for_whom(answers: Answers, profile: Profile) -> str:
    """Family say how they are related; anyone applying for another asks that person first."""
    return {"family": "relation", "neighbour": "proxy_agreed"}.get(
        answers["for_whom"], "consent_personal"
    )


def is_proxy(answers: Answers) -> bool:
    return answers.get("for_whom") in ("family", "neighbour")


@leads_to("cared_name", "phone")
def after_applicant(answers: Answers, profile: Profile) -> str:
    return "cared_name" if is_proxy(answers) else "phone"


@leads_to("confirm", "dong")
def after_phone(answers: Answers, profile: Profile) -> str:
    return "confirm" if answers.get("confirm") == "edit_phone" else "dong"


@leads_to("confirm", "contact_time")
def after_address(answers: Answers, profile: Profile) -> str:
    return "confirm" if answers.get("confirm") == "edit_address" else "contact_time"


def messenger_name(ctx: Context) -> str | None:
    """The name the messenger shows, offered as the applicant's name: one tap, or type another."""
    name = (ctx.sender_name or "").strip()
    return name if name and not name_problem(name) and len(name) <= 40 else None


def describe_who(answers: Answers, profile: Profile, t: Translate) -> Mapping[str, str]:
    return {"who": t("care.who_cared_for" if is_proxy(answers) else "care.who_you")}


def describe_screening(answers: Answers, profile: Profile, t: Translate) -> Mapping[str, str]:
    return {
        "whom": t("care.screening_whom.proxy" if is_proxy(answers) else "care.screening_whom.me")
    }


def describe_phone(answers: Answers, profile: Profile, t: Translate) -> Mapping[str, str]:
    """Whose number: for a relative, the one the worker should call (either of them)."""
    return {"whose": t("care.phone_whose.proxy" if is_proxy(answers) else "care.phone_whose.me")}


def describe_application(answers: Answers, profile: Profile, t: Translate) -> Mapping[str, str]:
    screening = answers.get("screening") or []
    relation = answers.get("relation")
    return {
        "for_whom": t(f"care.for.{answers['for_whom']}")
        + (f" ({t(f'care.relation.{relation}')})" if relation else ""),
        "services": ", ".join(t(f"care.service.{s}") for s in answers["services"]),
        "situation": mask_personal(answers["situation"]),
        "screening": ", ".join(t(f"care.screening.{s}") for s in screening)
        or t("care.screening_none"),
        "applicant": clean_name(answers["applicant_name"]),
        "cared": clean_name(answers.get("cared_name") or answers["applicant_name"]),
        "phone": answers["phone"],
        "dong": answers["dong"],
        "address": mask_personal(rest_of_address(answers["address"], answers["dong"])),
        "contact_time": t(f"care.contact_time.{answers['contact_time']}"),
    }


def rest_of_address(address: str, dong: str) -> str:
    """The address after the dong, as the dong was asked first: a resident who starts it again
    with the city, the gu or the dong ("원천동 원천동 123-4") is not kept saying it twice."""
    districts = suwon()
    known = {"수원시", "수원", "경기도", "경기", dong, districts.gu_of(dong) or dong}
    words = address.split()
    while len(words) > 1 and words[0] in known:
        words = words[1:]
    return " ".join(words)


def finish_care(ctx: Context) -> Outcome:
    """Files the application, or ends kindly where a consent was refused."""
    answers = ctx.answers
    if answers.get("proxy_agreed") == "no":
        return Outcome("care.ask_them_first", {"contact": _contact(ctx)})
    if "refuse" in (answers.get("consent_personal"), answers.get("consent_sensitive")):
        return Outcome("care.refused", {"contact": _contact(ctx)})
    assert ctx.desk is not None, "care applications need the city's records"
    cared = answers.get("cared_name")
    application_id = ctx.desk.apply_for_care(
        CareRequest(
            for_whom=answers["for_whom"],
            relation=answers.get("relation") or ("neighbour" if is_proxy(answers) else None),
            services=tuple(answers["services"]),
            situation=mask_personal(answers["situation"]),
            screening=tuple(answers.get("screening") or ()),
            applicant_name=clean_name(answers["applicant_name"]),
            cared_name=clean_name(cared) if cared else None,
            phone=answers["phone"],
            dong=answers["dong"],
            address=mask_personal(rest_of_address(answers["address"], answers["dong"])),
            contact_time=answers["contact_time"],
        )
    )
    when = ctx.t(f"care.contact_when.{answers['contact_time']}")  # reads as a phrase
    return Outcome("care.received", {"receipt": receipt(application_id), "contact_when": when})


CARE_FLOW = Flow(
    id="care",
    title="flow.care",
    steps=(
        Step(
            "mine",
            "care.mine",
            ChooseOffered(offer_mine, inline=False),
            next=after_mine,
            help="help.care_mine",
        ),
        Step(
            "application",
            "care.application",
            ChooseOffered(offer_application),
            next=after_application,
            help="help.care_application",
        ),
        Step(
            "withdraw_confirm",
            "care.ask_withdraw",
            ChooseOne((Option("yes", "care.withdraw_yes"), Option("no", "care.withdraw_no"))),
            next={"yes": "mine", "no": "application"},
            on_answer=withdraw,
            help="help.care_withdraw_confirm",
        ),
        Step(
            "for_whom",
            "care.ask_for_whom",
            ChooseOne(_options("care.for", FOR_WHOM)),
            next=after_for_whom,
            help="help.care_for_whom",
        ),
        Step(
            "relation",
            "care.ask_relation",
            ChooseOne(_options("care.relation", RELATIONS)),
            next="proxy_agreed",
            help="help.care_relation",
        ),
        Step(
            "proxy_agreed",
            "care.ask_proxy_agreed",
            yes_no("care.proxy_agreed_yes", "care.proxy_agreed_no"),
            next={"yes": "consent_personal", "no": END},
            help="help.care_proxy",
        ),
        Step(
            "consent_personal",
            "care.consent_personal",
            ChooseOffered(offer_consent),
            next=after_consent("consent_sensitive"),
            help="help.care_consent",
        ),
        Step(
            "consent_sensitive",
            "care.consent_sensitive",
            ChooseOffered(offer_consent),
            next=after_consent("services"),
            help="help.care_consent",
        ),
        Step(
            "services",
            "care.ask_services",
            ChooseMany(
                tuple(
                    Option(key, f"care.service.{key}", about=f"care.service.{key}.about")
                    for key in services()
                ),
                min_selected=1,
            ),
            next="situation",
            help="help.care_services",
        ),
        Step(
            "situation",
            "care.ask_situation",
            FreeText(5, 500),
            next="screening",
            help="help.care_situation",
        ),
        Step(
            "screening",
            "care.ask_screening",
            ChooseMany(_options("care.screening", SCREENING)),
            describe=describe_screening,
            next="applicant_name",
            help="help.care_screening",
        ),
        Step(
            "applicant_name",
            "care.ask_applicant_name",
            FreeText(1, 40, check=name_problem, suggest=messenger_name),
            next=after_applicant,
            help="help.care_applicant_name",
        ),
        Step(
            "cared_name",
            "care.ask_cared_name",
            FreeText(1, 40, check=name_problem),
            next="phone",
            help="help.care_cared_name",
        ),
        Step(
            "phone",
            "care.ask_phone",
            PhoneNumber(),
            next=after_phone,
            describe=describe_phone,
            help="help.care_phone",
        ),
        Step(
            "dong",
            "care.ask_dong",
            PickDong(),
            next="address",
            describe=describe_who,
            help="help.dong",
        ),
        Step(
            "address",
            "care.ask_address",
            FreeText(2, 100),
            next=after_address,
            describe=describe_who,
            help="help.care_address",
        ),
        Step(
            "contact_time",
            "care.ask_contact_time",
            ChooseOne(_options("care.contact_time", CONTACT_TIMES)),
            next="confirm",
            help="help.care_contact_time",
        ),
        Step(
            "confirm",
            "care.confirm",
            ChooseOne(CONFIRM, inline=True),
            next={"submit": END, "edit_phone": "phone", "edit_address": "address"},
            describe=describe_application,
            help="help.care_confirm",
        ),
    ),
    finish=finish_care,
)


def status_notice(t: Translate, *, application_id: int, status: str, reason: str | None) -> str:
    """What the applicant reads when staff move their case on, in their language."""
    text = t(
        "care.status_changed",
        receipt=receipt(application_id),
        status=t(f"care.status.{status}"),
    )
    return text + (t("care.status_reason", reason=reason) if reason else "")
