"""The one engine that walks every flow.

It is pure: `Engine.resume(session, profile, event, now)` returns the next session, profile,
replies and effects, and touches nothing else. The runtime stores the result in one
transaction, so a restart or a second process between any two turns loses nothing.
"""

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from conversations.desk import Desk
from conversations.districts import Districts
from conversations.events import (
    NOTICE_ACTION,
    Button,
    Command,
    Contact,
    Effect,
    EraseCitizen,
    Event,
    Press,
    Reply,
    Text,
    Unsupported,
)
from conversations.matching import normalize, pick
from conversations.messages import Catalog
from conversations.model import (
    DONE,
    END,
    SKIP,
    ChooseMany,
    ChooseOffered,
    ChooseOne,
    Context,
    Flow,
    FlowFamily,
    FreeText,
    Number,
    Option,
    PhoneNumber,
    PickDong,
    Profile,
    Step,
)
from conversations.phone import normalize_phone
from conversations.session import HISTORY_LIMIT, Draft, Session
from conversations.validate import validate_flows

ONBOARDING = "onboarding"
PROFILE = "profile"
NAV = {"back": "nav.back", "home": "nav.home", "help": "nav.help", "cancel": "nav.cancel"}
RESUME = {"resume:continue": "resume.continue", "resume:restart": "resume.restart"}
CONTINUE_DRAFT = "menu:continue"
MAX_CHOICE_TEXT = 200
_TOKENS = re.compile(r"[,\s/·]+")


@dataclass
class Turn:
    session: Session
    profile: Profile
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


class Engine:
    def __init__(
        self,
        flows: Sequence[Flow],
        catalog: Catalog,
        districts: Districts,
        *,
        resume_after: timedelta = timedelta(minutes=30),
        families: Sequence[FlowFamily] = (),
    ) -> None:
        validate_flows(flows, catalog)
        self.flows = {flow.id: flow for flow in flows}
        self.families = {family.prefix: family for family in families}
        self.catalog = catalog
        self.districts = districts
        self.resume_after = resume_after

    def resume(
        self,
        session: Session,
        profile: Profile,
        event: Event,
        now: datetime,
        desk: Desk | None = None,
    ) -> Turn:
        """Advances one citizen by one event; flows reach city records only through `desk`."""
        run = _Run(self, Turn(copy.deepcopy(session), profile), now, desk)
        run.handle(event)
        return run.finish_turn()


class _Run:
    """One turn's working state; discarded when the turn is returned."""

    def __init__(self, engine: Engine, turn: Turn, now: datetime, desk: Desk | None) -> None:
        self.engine = engine
        self.turn = turn
        self.now = now
        self.desk = desk
        self.notes: list[str] = []
        self.found: dict[str, Flow | None] = {}

    # -- plumbing --------------------------------------------------------------------------

    @property
    def s(self) -> Session:
        return self.turn.session

    @property
    def profile(self) -> Profile:
        return self.turn.profile

    @profile.setter
    def profile(self, value: Profile) -> None:
        self.turn.profile = value

    def t(self, key: str, **params: Any) -> str:
        return self.engine.catalog.text(self.profile.language, key, **params)

    def say(self, key: str, **params: Any) -> None:
        self.notes.append(self.t(key, **params))

    def emit(self, reply: Reply) -> None:
        """Sends `reply`, with any pending notes above it in the same message."""
        text = "\n\n".join([*self.notes, reply.text]) if reply.text else "\n\n".join(self.notes)
        self.notes.clear()
        self.turn.replies.append(replace(reply, text=text, one_per_row=self.profile.easy_mode))

    def finish_turn(self) -> Turn:
        if self.notes:
            self.emit(Reply(text=""))
        self.s.last_seen = self.now.timestamp()
        return self.turn

    def context(self) -> Context:
        return Context(self.s.answers, self.profile, self.t, self.desk)

    def find(self, flow_id: str) -> Flow | None:
        """A declared flow, or one built from records for this turn (a survey)."""
        if flow_id in self.engine.flows:
            return self.engine.flows[flow_id]
        if flow_id not in self.found:
            prefix, _, record = flow_id.partition(":")
            family = self.engine.families.get(prefix)
            self.found[flow_id] = family.build(record, self.desk) if family and record else None
        return self.found[flow_id]

    @property
    def flow(self) -> Flow | None:
        return self.find(self.s.flow) if self.s.flow else None

    def title(self, flow: Flow) -> str:
        return self.t(flow.title, **flow.title_params)

    def label(self, option: Option) -> str:
        return option.label if option.literal else self.t(option.label)

    def labels_everywhere(self, option: Option) -> list[str]:
        return [option.label] if option.literal else self.engine.catalog.everywhere(option.label)

    @property
    def step(self) -> Step | None:
        flow = self.flow
        return flow.step(self.s.step) if flow and self.s.step else None

    # -- dispatch --------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        if self.s.flow and (
            self.flow is None or self.flow.version != self.s.flow_version or self.step is None
        ):
            self.say("flow.changed")
            self.leave_flow()
            if not isinstance(event, Command):
                self.menu()
                return
        if self.flow is not None and self.flow.closed:
            self.say(self.flow.closed)
            self.leave_flow()
            if not isinstance(event, Command):
                self.menu()
                return
        match event:
            case Command(name=name):
                self.command(name)
            case Unsupported():
                self.say("input.unsupported")
                self.reprompt()
            case Press():
                self.press(event)
            case Contact(phone=phone):
                self.contact(phone)
            case Text(text=text):
                self.text(text)

    def command(self, name: str) -> None:
        if name == "start":
            if not self.profile.notices_enabled:
                self.set_notices(True)
                self.say("notices.resumed")
            if self.profile.onboarded:
                self.go_home()
            else:
                self.reprompt()
        elif name == "menu":
            self.go_home()
        elif name == "stop":
            self.set_notices(False)
            self.say("notices.stopped")
            self.reprompt()
        elif name == "me":
            self.start_flow(PROFILE)
        elif name == "delete":
            self.start_flow(PROFILE, step_id="delete_confirm")
        elif name == "help":
            self.say("help.general")
            self.reprompt()
        elif name == "cancel" and self.flow:
            self.navigate("cancel")
        else:
            self.say("command.unknown")
            self.reprompt()

    def press(self, event: Press) -> None:
        if event.value.startswith(NOTICE_ACTION):
            self.notice_action(event.value.removeprefix(NOTICE_ACTION))
            return
        if event.prompt_id != self.s.prompt_id:
            if self.s.last_press != [event.prompt_id, event.value]:
                self.say("input.stale")
                self.reprompt()
            return
        self.s.last_press = [event.prompt_id, event.value]
        self.choose(event.value, pressed=True)

    def notice_action(self, action: str) -> None:
        """Buttons under a notice belong to no prompt: "fewer like this", or open a service."""
        kind, _, target = action.partition(":")
        flow = self.engine.flows.get(target)
        if kind == "open" and flow is not None and flow.in_menu:
            self.start_flow(target)
            return
        label = f"interest.{target}"
        if kind == "mute" and label in self.engine.catalog.messages["ko"]:
            self.profile = replace(
                self.profile,
                muted_topics=tuple(dict.fromkeys((*self.profile.muted_topics, target))),
                interests=tuple(i for i in self.profile.interests if i != target),
            )
            self.say("notices.fewer", topic=self.t(label))
        else:
            self.say("input.stale")
        self.reprompt()

    def contact(self, phone: str) -> None:
        step = self.step
        if step is None or not isinstance(step.input, PhoneNumber) or self.s.resume_offer:
            self.say("input.unexpected_contact")
            self.reprompt()
            return
        normalized = normalize_phone(phone)
        if normalized is None:
            self.say("input.phone_invalid")
            self.ask(step)
            return
        self.accept(step, normalized)

    def text(self, text: str) -> None:
        if self.flow is None and not self.profile.onboarded:
            self.start_flow(ONBOARDING)
            return
        if self.flow and not self.s.resume_offer and self.paused():
            self.offer_resume()
            return
        step = self.step
        free_form = (FreeText, PhoneNumber, Number)
        if step is None or self.s.resume_offer or not isinstance(step.input, free_form):
            if len(text) > MAX_CHOICE_TEXT:
                self.say("input.too_long_for_choice")
                self.reprompt()
                return
            several = (
                step is not None
                and isinstance(step.input, ChooseMany)
                and len(_TOKENS.split(text.strip())) > 1
            )
            value = None if several else pick(text, self.current_choices())
            if value is not None:
                self.choose(value, pressed=False)
            elif step is not None and not self.s.resume_offer:
                self.typed_answer(step, text)
            else:
                self.say("input.not_understood")
                self.reprompt()
            return
        # Free-form steps take the words as the answer, unless they name a button exactly.
        typed = normalize(text)
        exact = next(
            (v for v, labels in self.current_choices() if typed in map(normalize, labels)), None
        )
        if exact is not None:
            self.choose(exact, pressed=False)
        else:
            self.typed_answer(step, text)

    def paused(self) -> bool:
        last = self.s.last_seen
        return last is not None and self.now.timestamp() - last > (
            self.engine.resume_after.total_seconds()
        )

    # -- choices ---------------------------------------------------------------------------

    def current_choices(self) -> list[tuple[str, list[str]]]:
        """What the last prompt offered, with its labels in every language."""
        everywhere = self.engine.catalog.everywhere
        if self.s.resume_offer:
            return [(value, everywhere(key)) for value, key in RESUME.items()]
        step = self.step
        if step is None:
            return [(b.value, [b.text]) for b in self.menu_buttons()] + [
                ("nav:help", everywhere(NAV["help"]))
            ]
        choices: list[tuple[str, list[str]]] = []
        match step.input:
            case ChooseOne(options=options) | ChooseMany(options=options):
                choices = [(o.value, self.labels_everywhere(o)) for o in options]
                if isinstance(step.input, ChooseMany):
                    choices.append((DONE, everywhere("choice.done")))
            case PickDong():
                choices = [(value, labels) for value, labels in self.dong_choices()]
            case ChooseOffered():
                choices = [(value, [text]) for value, text in self.s.offered or []]
        if step.skippable:
            choices.append((SKIP, everywhere("choice.skip")))
        return choices + [("nav:" + n, everywhere(NAV[n])) for n in self.nav_names()]

    def dong_choices(self) -> list[tuple[str, list[str]]]:
        districts = self.engine.districts
        if self.s.candidates:
            names = self.s.candidates
            return [(n, [n, districts.label(n, "en")]) for n in names]
        return [("gu:" + gu, [gu, districts.label(gu, "en")]) for gu in districts.gus]

    def choose(self, value: str, *, pressed: bool) -> None:
        if value.startswith("nav:"):
            self.navigate(value.removeprefix("nav:"))
        elif self.s.resume_offer:
            self.answer_resume(value)
        elif self.step is None:
            self.answer_menu(value)
        else:
            self.answer_step(self.step, value, pressed=pressed)

    def answer_step(self, step: Step, value: str, *, pressed: bool) -> None:
        if value == SKIP and step.skippable:
            self.accept(step, None)
            return
        match step.input:
            case ChooseOne(options=options) if value in {o.value for o in options}:
                self.accept(step, value)
            case ChooseMany():
                self.toggle(step, value, pressed=pressed)
            case PickDong():
                self.pick_dong(step, value)
            case ChooseOffered() if value in {v for v, _ in self.s.offered or []}:
                self.accept(step, value)
            case _:
                self.say("input.not_an_option")
                self.ask(step)

    def toggle(self, step: Step, value: str, *, pressed: bool) -> None:
        assert isinstance(step.input, ChooseMany)
        selected: list[str] = list(self.s.answers.get(step.id) or [])
        if value == DONE:
            if len(selected) < step.input.min_selected:
                self.say("input.select_more", count=step.input.min_selected)
                self.ask(step)
            else:
                self.accept(step, selected)
            return
        if value not in {o.value for o in step.input.options}:
            self.say("input.not_an_option")
            self.ask(step)
            return
        if value in selected:
            selected.remove(value)
        elif step.input.max_selected and len(selected) >= step.input.max_selected:
            self.say("input.select_at_most", count=step.input.max_selected)
        else:
            selected.append(value)
        self.s.answers[step.id] = selected
        self.ask(step, edit=pressed, same_prompt=True)

    def pick_dong(self, step: Step, value: str) -> None:
        districts = self.engine.districts
        if value.startswith("gu:") and value[3:] in districts.gus:
            self.s.candidates = districts.dongs_in(value[3:])
            self.ask(step)
        elif value in districts.dongs:
            self.accept(step, value)
        else:
            self.say("input.not_an_option")
            self.ask(step)

    def typed_answer(self, step: Step, text: str) -> None:
        """Reads a typed answer that named no button."""
        match step.input:
            case FreeText(min_length=shortest, max_length=longest, check=check):
                answer = text.strip()
                problem = check(answer) if check else None
                if not normalize(answer):
                    self.say("input.text_empty")
                elif len(answer) < shortest:
                    self.say("input.text_too_short", count=shortest)
                elif len(answer) > longest:
                    self.say("input.text_too_long", count=longest, length=len(answer))
                elif problem:
                    self.say(problem)
                else:
                    self.accept(step, answer)
                    return
            case PhoneNumber():
                phone = normalize_phone(text)
                if phone is not None:
                    self.accept(step, phone)
                    return
                self.say("input.phone_invalid")
            case Number(minimum=low, maximum=high):
                digits = text.strip().replace(",", "")
                if digits.isdecimal() and low <= int(digits) <= high:
                    self.accept(step, int(digits))
                    return
                self.say("input.number_invalid", low=low, high=high)
            case ChooseMany(options=options):
                words = [w for w in _TOKENS.split(text) if w]
                labelled = [(o.value, self.labels_everywhere(o)) for o in options]
                picked = [pick(w, labelled) for w in words]
                if words and all(picked):
                    chosen = [p for p in picked if p]
                    self.s.answers[step.id] = list(dict.fromkeys(chosen))[
                        : step.input.max_selected
                    ]
                    self.ask(step)
                    return
                self.say("input.not_an_option")
            case PickDong():
                found = self.engine.districts.match(text)
                if found.dong:
                    self.accept(step, found.dong)
                    return
                if found.gu:
                    self.s.candidates = self.engine.districts.dongs_in(found.gu)
                elif found.candidates:
                    self.s.candidates = list(found.candidates)
                    self.say("input.dong_did_you_mean")
                else:
                    self.s.candidates = None
                    self.say("input.dong_unknown")
            case _:
                self.say("input.not_an_option")
        self.ask(step)

    # -- moving through a flow -------------------------------------------------------------

    def accept(self, step: Step, value: Any) -> None:
        self.s.answers[step.id] = value
        self.s.candidates = self.s.offered = None
        if step.profile_field and value is not None:
            self.profile = self.profile.with_answer(step.profile_field, value)
        if step.on_answer is not None:
            said = step.on_answer(self.context(), value)
            if said:
                self.say(said)
        target = self.next_step(step, value)
        if target == END:
            self.complete()
            return
        if target in self.s.history:
            del self.s.history[self.s.history.index(target) :]
        else:
            self.s.history = [*self.s.history, step.id][-HISTORY_LIMIT:]
        self.s.step = target
        self.ask(self.flow.step(target))  # type: ignore[union-attr, arg-type]

    def next_step(self, step: Step, value: Any) -> str:
        rule = step.next
        if isinstance(rule, str):
            return rule
        if callable(rule):
            return rule(self.s.answers, self.profile)
        key = SKIP if value is None else str(value)
        return rule.get(key, rule.get("*", END))

    def ask(self, step: Step, *, edit: bool = False, same_prompt: bool = False) -> None:
        if not same_prompt:
            self.s.prompt_id += 1
        params = step.describe(self.s.answers, self.profile, self.t) if step.describe else {}
        prompt = step.prompt
        buttons: list[Button] = []
        request_contact = None
        inline = False
        match step.input:
            case ChooseOne(options=options, inline=inline):
                buttons = [Button(o.value, self.label(o)) for o in options]
            case ChooseMany(options=options):
                inline = True
                selected = self.s.answers.get(step.id) or []
                buttons = [
                    Button(o.value, ("✅ " if o.value in selected else "") + self.label(o))
                    for o in options
                ]
                buttons.append(Button(DONE, self.t("choice.done_count", count=len(selected))))
            case PickDong():
                index = 1 if self.lang == "en" else 0
                buttons = [Button(v, labels[index]) for v, labels in self.dong_choices()]
                prompt = "pick.dong_from_list" if self.s.candidates else prompt
            case PhoneNumber():
                request_contact = self.t("choice.share_phone")
            case ChooseOffered(offer=offer, inline=inline):
                offered = offer(self.context())
                if not offered.options:
                    self.accept(step, None)
                    return
                self.s.offered = [[value, text] for value, text in offered.options]
                buttons = [Button(value, text) for value, text in offered.options]
                params = {**params, **offered.params}
        if step.skippable:
            buttons.append(Button(SKIP, self.t("choice.skip")))
        nav = tuple(Button("nav:" + n, self.t(NAV[n])) for n in self.nav_names())
        self.emit(
            Reply(
                text=self.t(prompt, **params),
                buttons=tuple(buttons),
                nav=nav,
                inline=inline,
                prompt_id=self.s.prompt_id,
                request_contact=request_contact,
                edit=edit,
            )
        )

    @property
    def lang(self) -> str:
        return self.profile.language or self.engine.catalog.default_language

    def nav_names(self) -> list[str]:
        if self.step is None:
            return ["help"]
        if not self.s.history:
            return ["home", "help"]
        return ["back", "home", "help", "cancel"]

    def reprompt(self) -> None:
        if self.s.resume_offer:
            self.offer_resume()
        elif self.step is not None:
            self.ask(self.step)
        elif not self.profile.onboarded:
            self.start_flow(ONBOARDING)
        else:
            self.menu()

    def navigate(self, where: str) -> None:
        if where == "help":
            self.say(self.step.help if self.step else "help.menu")
            self.reprompt()
        elif where == "back" and self.s.history and not self.s.resume_offer:
            self.s.step = self.s.history.pop()
            self.s.candidates = None
            self.ask(self.step)  # type: ignore[arg-type]
        elif where == "cancel" and self.flow:
            self.leave_flow()
            self.say("flow.cancelled")
            self.menu()
        else:
            self.go_home()

    def go_home(self) -> None:
        if self.park():
            self.say("home.saved")
        self.leave_flow()
        self.menu()

    def park(self) -> bool:
        """Keeps a started flow as a draft, so leaving for the menu loses nothing."""
        if not (self.flow and self.s.history and self.s.step):
            return False
        self.s.draft = Draft(
            self.s.flow,  # type: ignore[arg-type]
            self.s.flow_version,
            self.s.step,
            dict(self.s.answers),
            list(self.s.history),
        )
        return True

    def leave_flow(self) -> None:
        self.s.flow, self.s.step, self.s.answers, self.s.history = None, None, {}, []
        self.s.candidates, self.s.resume_offer, self.s.flow_version = None, False, 0
        self.profile = replace(self.profile, onboarded=True)

    def start_flow(self, flow_id: str, step_id: str | None = None) -> None:
        flow = self.find(flow_id)
        if flow is None or flow.closed:
            self.say(flow.closed if flow and flow.closed else "flow.changed")
            self.menu()
            return
        self.park()
        if self.s.draft and self.s.draft.flow == flow_id:
            self.s.draft = None
        self.leave_flow()
        if flow_id == ONBOARDING:
            self.profile = replace(self.profile, onboarded=False)
        self.s.flow, self.s.flow_version = flow.id, flow.version
        self.s.step = step_id or flow.first_step
        self.ask(flow.step(self.s.step))  # type: ignore[arg-type]

    def complete(self) -> None:
        flow = self.flow
        assert flow is not None
        outcome = flow.finish(self.context())
        self.turn.effects.extend(outcome.effects)
        self.leave_flow()
        for chart in outcome.charts:
            self.emit(Reply(text=chart.caption, chart=chart.bars))
        self.say(outcome.message, **outcome.params)
        if any(isinstance(e, EraseCitizen) for e in outcome.effects):
            self.turn.session = Session(prompt_id=self.s.prompt_id + 1)
            self.profile = Profile(language=self.profile.language)
            self.emit(Reply(text="", remove_keyboard=True))
        elif outcome.start:
            self.start_flow(outcome.start)
        else:
            self.menu()

    def set_notices(self, enabled: bool) -> None:
        self.profile = replace(self.profile, notices_enabled=enabled)

    # -- main menu and drafts ----------------------------------------------------------------

    def menu_buttons(self) -> list[Button]:
        buttons = []
        draft = self.s.draft
        drafted = self.find(draft.flow) if draft else None
        if drafted is not None:
            title = self.title(drafted)
            buttons.append(Button(CONTINUE_DRAFT, self.t("menu.continue", title=title)))
        flows = self.engine.flows.values()
        return buttons + [Button("flow:" + f.id, self.t(f.title)) for f in flows if f.in_menu]

    def menu(self) -> None:
        self.s.prompt_id += 1
        self.emit(
            Reply(
                text=self.t("menu.prompt"),
                buttons=tuple(self.menu_buttons()),
                nav=(Button("nav:help", self.t(NAV["help"])),),
                prompt_id=self.s.prompt_id,
            )
        )

    def answer_menu(self, value: str) -> None:
        if value == CONTINUE_DRAFT and self.s.draft:
            self.continue_draft(self.s.draft)
        elif value.startswith("flow:") and value[5:] in self.engine.flows:
            self.start_flow(value[5:])
        else:
            self.say("input.not_understood")
            self.menu()

    def continue_draft(self, draft: Draft) -> None:
        self.s.draft = None
        flow = self.find(draft.flow)
        if flow is None or flow.version != draft.version or flow.step(draft.step) is None:
            self.say("flow.changed")
            self.menu()
            return
        if flow.closed:
            self.say(flow.closed)
            self.menu()
            return
        self.s.flow, self.s.flow_version, self.s.step = flow.id, flow.version, draft.step
        self.s.answers, self.s.history = dict(draft.answers), list(draft.history)
        self.ask(flow.step(draft.step))  # type: ignore[arg-type]

    # -- coming back after a pause -------------------------------------------------------------

    def offer_resume(self) -> None:
        self.s.resume_offer = True
        self.s.prompt_id += 1
        title = self.title(self.flow) if self.flow else ""
        self.emit(
            Reply(
                text=self.t("resume.offer", title=title),
                buttons=tuple(Button(v, self.t(k)) for v, k in RESUME.items()),
                inline=True,
                prompt_id=self.s.prompt_id,
            )
        )

    def answer_resume(self, value: str) -> None:
        self.s.resume_offer = False
        if value == "resume:restart" and self.flow:
            self.s.history = []
            self.start_flow(self.flow.id)
        elif self.step is not None:
            self.ask(self.step)
        else:
            self.menu()
