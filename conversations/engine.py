"""The one engine that walks every flow.

It is pure: `Engine.resume(session, profile, event, now)` returns the next session, profile,
replies and effects, and touches nothing else. The runtime stores the result in one
transaction, so a restart or a second process between any two turns loses nothing.

The engine is about navigation, drafts, resuming and commands; how a step is asked and how
its answer is read belongs to the step's input kind (`conversations/inputs/`). What the
citizen's message means depends on one thing, the session's status: the main menu, a step,
or an offer to resume (`route`).
"""

import copy
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from conversations.care import where_to_apply
from conversations.desk import Desk
from conversations.districts import Districts
from conversations.events import (
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
from conversations.inputs import Accept, Again, Reading
from conversations.intents import Confidence, Intent
from conversations.intents import model as intent_model
from conversations.matching import Word, means, normalize, pick, with_words, words
from conversations.memo import Memo
from conversations.messages import Catalog
from conversations.model import (
    END,
    Branch,
    Context,
    Flow,
    FlowFamily,
    Option,
    Profile,
    Seed,
    Step,
)
from conversations.session import HISTORY_LIMIT, Draft, Session, Status
from conversations.slip_code import slip_code
from conversations.validate import FlowError, flow_problems, validate_flows
from conversations.values import (
    CONTINUE_DRAFT,
    FLOW,
    INTENT,
    LEAVE,
    MY_ANSWER,
    NAV,
    NOTICE,
    RESUME,
    SKIP,
)

log = logging.getLogger(__name__)
ONBOARDING = "onboarding"
PROFILE = "profile"
NAV_TEXT = {"back": "nav.back", "home": "nav.home", "help": "nav.help", "cancel": "nav.cancel"}
RESUME_TEXT = {RESUME("continue"): "resume.continue", RESUME("restart"): "resume.restart"}
LEAVE_TEXT = {LEAVE(choice): f"leave.{choice}" for choice in ("keep", "drop", "stay")}
MAX_CHOICE_TEXT = 200
# What of a long message is read for its meaning (all of it is kept).
READ_LETTERS = 300
QUOTED_LETTERS = 200
YES = "yes"  # the payload after an intent's name on a confirming button: "intent:report:yes"
# Where words of one's own lead besides a service, and what the engine does for each.
TALK = ("greeting", "thanks")
# Answers that change nothing: given even when unsure, rather than asking which was meant.
HARMLESS = (*TALK, "help")
# A reply keyboard sends a button's words as a message; a second tap arrives as the same words.
DOUBLE_TAP_SECONDS = 3.0


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
        # Built flows by identity, each kept with whether it can be walked (kept alive here,
        # so no other flow takes its identity while it is remembered).
        self._checked: Memo[int, tuple[Flow, bool]] = Memo()
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

    def preview(
        self,
        flow: Flow,
        profile: Profile,
        now: datetime,
        answers: Mapping[str, Any] | None = None,
        desk: Desk | None = None,
    ) -> list[Reply]:
        """Every step of `flow` as a citizen with `profile` is asked it, in order, with its
        buttons: staff see a survey before anyone answers it. Nothing is stored or run; a
        step's branching is the flow's, so each step is shown as if reached (with `answers`
        as given so far, for the steps whose words quote earlier ones)."""
        replies: list[Reply] = []
        history: list[str] = []
        for step in flow.steps:
            session = Session(
                flow=flow.id,
                flow_version=flow.version,
                step=step.id,
                answers=dict(answers or {}),
                history=list(history),
                status=Status.ASKING,
            )
            run = _Run(self, Turn(session, profile), now, desk)
            run.found[flow.id] = flow
            run.ask(step)
            replies.extend(run.turn.replies)
            history.append(step.id)
        return replies

    def build(self, flow_id: str, desk: Desk | None) -> Flow | None:
        """A flow made from a record (a survey), validated; None if it cannot be walked."""
        prefix, _, record = flow_id.partition(":")
        family = self.families.get(prefix)
        flow = family.build(record, desk) if family and record else None
        if flow is None:
            return None
        # A family that keeps its flows has each checked once.
        _, walkable = self._checked.get(id(flow), lambda: (flow, self._walkable(flow_id, flow)))
        return flow if walkable else None

    def _walkable(self, flow_id: str, flow: Flow) -> bool:
        problems = list(flow_problems(flow, self.catalog))
        if problems:
            log.error("flow %s is not offered: %s", flow_id, "; ".join(problems))
        return not problems


class _Run:
    """One turn's working state; discarded when the turn is returned.

    It is also the `StepView` input kinds read: the session, texts, places and the desk.
    """

    def __init__(self, engine: Engine, turn: Turn, now: datetime, desk: Desk | None) -> None:
        self.engine = engine
        self.turn = turn
        self.now = now
        self.desk = desk
        self.notes: list[str] = []
        self.found: dict[str, Flow | None] = {}
        self.sender_name: str | None = None

    # -- what input kinds see --------------------------------------------------------------

    @property
    def session(self) -> Session:
        return self.turn.session

    s = session

    @property
    def profile(self) -> Profile:
        return self.turn.profile

    @profile.setter
    def profile(self, value: Profile) -> None:
        self.turn.profile = value

    @property
    def districts(self) -> Districts:
        return self.engine.districts

    @property
    def language(self) -> str:
        return self.profile.language or self.engine.catalog.default_language

    def t(self, key: str, **params: Any) -> str:
        return self.engine.catalog.text(self.profile.language, key, **params)

    def everywhere(self, key: str) -> list[str]:
        return self.engine.catalog.everywhere(key)

    def label(self, option: Option) -> str:
        return option.literal_in(self.language) if option.literal else self.t(option.label)

    def labels_everywhere(self, option: Option) -> list[str]:
        labels = (
            [option.label, *(text for _, text in option.translations)]
            if option.literal
            else self.everywhere(option.label)
        )
        return labels + self.about_words(option.about)

    def about_words(self, key: str | None) -> list[str]:
        """Everyday words for what an option or a service is about, in every language."""
        if key is None:
            return []
        return [word.strip() for text in self.everywhere(key) for word in text.split(",")]

    def context(self) -> Context:
        return Context(self.s.answers, self.profile, self.t, self.desk, self.sender_name)

    # -- plumbing --------------------------------------------------------------------------

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

    def find(self, flow_id: str) -> Flow | None:
        """A declared flow, or one built from records for this turn (a survey)."""
        if flow_id in self.engine.flows:
            return self.engine.flows[flow_id]
        if flow_id not in self.found:
            self.found[flow_id] = self.engine.build(flow_id, self.desk)
        return self.found[flow_id]

    @property
    def flow(self) -> Flow | None:
        return self.find(self.s.flow) if self.s.flow else None

    @property
    def step(self) -> Step | None:
        flow = self.flow
        return flow.step(self.s.step) if flow and self.s.step else None

    def title(self, flow: Flow) -> str:
        return self.t(flow.title, **flow.title_params)

    # -- dispatch --------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        self.sender_name = getattr(event, "sender", None)
        if self.s.flow and self.drop_unusable_flow() and not isinstance(event, Command):
            self.menu()
            return
        match event:
            case Command(name=name):
                self.command(name)
            case Unsupported():
                self.say("input.unsupported")
                self.reprompt()
            case Press(value=value) if NOTICE.payload(value) is not None:
                self.notice_action(NOTICE.payload(value) or "")
            case Press(prompt_id=prompt_id) if prompt_id != self.s.prompt_id:
                if self.s.last_press != [event.prompt_id, event.value]:
                    self.say("input.stale")
                    self.reprompt()
            case Press(value=value) if value == MY_ANSWER:
                self.s.last_press = [event.prompt_id, event.value]
                self.take_typed_answer()
            case Text(text=text) if self.s.typed and normalize(text) == normalize(
                self.my_answer_label()
            ):  # the same button on a reply keyboard, which sends its words
                self.take_typed_answer()
            case Text(text=text, once=False) if self.same_tap_again(text):
                pass  # a reply-keyboard button tapped twice: the first tap was answered
            case Text(text=text) if (code := self.slip_code(text)) is not None:
                self.join_counter(code)
            case Text(text=text) if means(text, "person"):
                self.point_to_a_person()
            case Press() | Text() | Contact():
                if isinstance(event, Press):
                    self.s.last_press = [event.prompt_id, event.value]
                self.s.typed = self.s.typed_text = None
                self.route(event)

    def remember_typed_button(
        self, text: str, value: str, choices: list[tuple[str, list[str]]]
    ) -> None:
        """Remembers words that are a button's own label, as a reply keyboard sends them (a
        number or a word of one's own is typed, not tapped, and is never a double tap)."""
        typed = normalize(text)
        own = [
            normalize(label)
            for v, labels in choices
            if v == value
            for label in labels
            if not isinstance(label, Word)
        ]
        tapped = typed in own and not typed.isdigit()
        self.s.last_typed = [typed, self.now.timestamp()] if tapped else None

    def same_tap_again(self, text: str) -> bool:
        """The same button's words again within seconds of the first: a double tap."""
        last, self.s.last_typed = self.s.last_typed, None
        return (
            last is not None
            and last[0] == normalize(text)
            and self.now.timestamp() - last[1] <= DOUBLE_TAP_SECONDS
        )

    def slip_code(self, text: str) -> str | None:
        """A counter slip's code, where the chat can take one (bare digits only at the menu)."""
        if self.desk is None:
            return None
        return slip_code(text, bare=self.s.status is Status.IDLE and self.profile.onboarded)

    def join_counter(self, code: str) -> None:
        """What was filed for them at the counter becomes this chat's, said in words."""
        assert self.desk is not None, "a slip's code is read only with the city's records"
        joined = self.desk.join_counter(code)
        if joined.refused is not None:
            self.say(f"counter.join_{joined.refused}")
        elif not joined.counts:
            self.say("counter.join_again")
        else:
            items = ", ".join(self.t(f"counter.kind.{k}", count=n) for k, n in joined.counts)
            self.say("counter.joined", items=items)
        self.reprompt()

    def point_to_a_person(self) -> None:
        """Someone who asks for a person is told where one is: their dong's centre, a phone."""
        dong = self.s.answers.get("dong") if self.s.flow else None
        help_phone = self.desk.care_terms().phone if self.desk else None
        where = where_to_apply(self.t, dong or self.profile.dong, help_phone)
        self.say("person.where", contact=where)
        self.reprompt()

    def drop_unusable_flow(self) -> bool:
        """Leaves a flow that changed, vanished or closed under the citizen, saying so."""
        flow = self.flow
        if flow is None or flow.version != self.s.flow_version or self.step is None:
            self.say("flow.changed")
        elif flow.closed:
            self.say(flow.closed)
        else:
            return False
        self.leave_flow()
        return True

    def route(self, event: Text | Press | Contact) -> None:
        """What a message means depends only on what the session waits for."""
        {
            Status.IDLE: self.at_menu,
            Status.ASKING: self.at_step,
            Status.RESUMING: self.at_resume_offer,
            Status.LEAVING: self.at_leave_offer,
            Status.SUGGESTING: self.at_suggestion,
        }[self.s.status](event)

    def at_menu(self, event: Text | Press | Contact) -> None:
        match event:
            case Text() if not self.profile.onboarded:
                self.start_flow(ONBOARDING)
            case Text(text=text):
                short = len(text) <= MAX_CHOICE_TEXT
                value = pick(text, self.menu_choices(about=False)) if short else None
                if value is not None:
                    self.answer_menu(value)
                else:
                    self.understand(text)
            case Press(value=value):
                self.answer_menu(value)
            case Contact():
                self.say("input.unexpected_contact")
                self.reprompt()

    def at_step(self, event: Text | Press | Contact) -> None:
        step = self.step
        assert step is not None, "a session asking a step has one"
        kind = step.input
        match event:
            case Text(text=text) if self.paused():
                self.after_a_pause(step, text)
            case Text(text=text) if len(text) > MAX_CHOICE_TEXT and not kind.free_form:
                self.say("input.too_long_for_choice")
                self.ask(step)
            case Text(text=text):
                choices = self.step_choices(step)
                value = kind.match(step, self, text, choices)
                if value is None:
                    reading = kind.read_text(step, self, text)
                    if kind.free_form or isinstance(reading, Accept) or not self.elsewhere(text):
                        self.read(step, reading)
                elif kind.takes_any_words and NAV.payload(value) is not None:
                    self.obey_but_keep(step, value, text)
                else:
                    self.remember_typed_button(text, value, choices)
                    self.choose(step, value, pressed=False)
            case Press(value=value):
                self.choose(step, value, pressed=True)
            case Contact(phone=phone):
                contact = kind.read_contact(step, self, phone)
                if contact is None:
                    self.say("input.unexpected_contact")
                    self.ask(step)
                else:
                    self.read(step, contact)

    def after_a_pause(self, step: Step, text: str) -> None:
        """The message that wakes the bot after a pause is not thrown away: if it answers the
        waiting step it is used, after saying where they were; otherwise continue or start
        over is offered, with the words quoted so they see they were read."""
        kind = step.input
        value = kind.match(step, self, text, self.step_choices(step))
        if value is not None and NAV.payload(value) is None:
            self.say("resume.where", title=self.title(self.flow))  # type: ignore[arg-type]
            self.choose(step, value, pressed=False)
            return
        reading = kind.read_text(step, self, text) if value is None else None
        if isinstance(reading, Accept):
            self.say("resume.where", title=self.title(self.flow))  # type: ignore[arg-type]
            self.read(step, reading)
            return
        self.say("resume.kept", text=text[:40])
        self.offer_resume()

    def obey_but_keep(self, step: Step, value: str, text: str) -> None:
        """Obeys a navigation word typed on a free-text step, and offers to take it as the
        answer after all ("no, that was my answer"), from where it was typed."""
        assert self.s.flow is not None
        typed = Draft(
            self.s.flow, self.s.flow_version, step.id, dict(self.s.answers), [*self.s.history]
        )
        before = len(self.turn.replies)
        self.s.typed, self.s.typed_text = typed, text
        self.choose(step, value, pressed=False)
        asked = [n for n, r in enumerate(self.turn.replies) if n >= before and r.prompt_id]
        if asked:
            reply = self.turn.replies[asked[-1]]
            mine = Button(MY_ANSWER, self.my_answer_label())
            self.turn.replies[asked[-1]] = replace(reply, buttons=(*reply.buttons, mine))

    def my_answer_label(self) -> str:
        return self.t("choice.my_answer", text=(self.s.typed_text or "")[:20])

    def take_typed_answer(self) -> None:
        """Back to where the words were typed, and read them as the answer there."""
        typed, text = self.s.typed, self.s.typed_text or ""
        self.s.typed = self.s.typed_text = None
        flow = self.find(typed.flow) if typed else None
        step = flow.step(typed.step) if flow and typed else None
        if typed is None or flow is None or step is None or flow.version != typed.version:
            self.say("input.stale")
            self.reprompt()
            return
        self.s.draft = None if self.s.draft and self.s.draft.flow == typed.flow else self.s.draft
        self.s.flow, self.s.flow_version = flow.id, flow.version
        self.s.answers, self.s.history = dict(typed.answers), list(typed.history)
        self.s.step, self.s.status = step.id, Status.ASKING
        self.read(step, step.input.read_text(step, self, text))

    def at_resume_offer(self, event: Text | Press | Contact) -> None:
        match event:
            case Text(text=text):
                value = self.typed_choice(text, with_words(self.resume_choices()))
                if value is not None:
                    self.answer_resume(value)
            case Press(value=value):
                self.answer_resume(value)
            case Contact():
                self.say("input.unexpected_contact")
                self.reprompt()

    def at_leave_offer(self, event: Text | Press | Contact) -> None:
        match event:
            case Text(text=text):
                value = self.typed_choice(text, self.leave_choices())
                if value is not None:
                    self.answer_leave(value)
            case Press(value=value):
                self.answer_leave(value)
            case Contact():
                self.say("input.unexpected_contact")
                self.reprompt()

    def typed_choice(self, text: str, choices: list[tuple[str, list[str]]]) -> str | None:
        """The choice typed text names on the menu or a resume offer; else says so, asks again."""
        if len(text) > MAX_CHOICE_TEXT:
            self.say("input.too_long_for_choice")
        else:
            value = pick(text, choices)
            if value is not None:
                return value
            self.say("input.not_understood")
        self.reprompt()
        return None

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

    def paused(self) -> bool:
        last = self.s.last_seen
        return last is not None and self.now.timestamp() - last > (
            self.engine.resume_after.total_seconds()
        )

    # -- a step: its choices, its answer ---------------------------------------------------

    def step_choices(self, step: Step) -> list[tuple[str, list[str]]]:
        """What the step's last prompt offered, navigation included, in display order, each
        also named by the everyday words of its meaning (뒤로, 도와주세요, 네, 아뇨…)."""
        choices = step.input.choices(step, self)
        if step.skippable:
            choices = [*choices, (SKIP, self.everywhere("choice.skip"))]
        nav = [(NAV(n), self.everywhere(NAV_TEXT[n])) for n in self.nav_names()]
        return with_words(choices + nav)

    def choose(self, step: Step, value: str, *, pressed: bool) -> None:
        where = NAV.payload(value)
        if where is not None:
            self.navigate(where)
        elif value == SKIP and step.skippable:
            self.accept(step, None)
        else:
            self.read(step, step.input.read_choice(step, self, value, pressed=pressed))

    def read(self, step: Step, reading: Reading) -> None:
        """Acts on what the input kind made of the message: an answer, or the step again."""
        match reading:
            case Accept(value=value):
                self.accept(step, value)
            case Again(note=note, params=params, edit=edit, same_prompt=same_prompt):
                if note:
                    self.say(note, **params)
                self.ask(step, edit=edit, same_prompt=same_prompt)

    def accept(self, step: Step, value: Any, *, asked: bool = True) -> None:
        """Takes the answer and moves on; a step that passed unasked (nothing to offer) is
        not a place "back" returns to."""
        self.s.answers[step.id] = value
        self.s.candidates = self.s.offered = self.s.held = None
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
        elif asked:
            self.s.history = [*self.s.history, step.id][-HISTORY_LIMIT:]
        self.enter(target)

    def next_step(self, step: Step, value: Any) -> str:
        rule = step.next
        if isinstance(rule, str):
            return rule
        if isinstance(rule, Branch):
            return rule(self.s.answers, self.profile)
        key = SKIP if value is None else str(value)
        return rule.get(key, rule.get("*", END))

    def enter(self, step_id: str) -> None:
        """Moves to `step_id` of the current flow and asks it."""
        flow = self.flow
        step = flow.step(step_id) if flow else None
        if step is None:
            raise FlowError(f"flow {self.s.flow!r} has no step {step_id!r}")
        self.s.step, self.s.status = step_id, Status.ASKING
        self.ask(step)

    def ask(self, step: Step, *, edit: bool = False, same_prompt: bool = False) -> None:
        prompt = step.input.prompt(step, self)
        if isinstance(prompt, Accept):  # nothing to ask (an empty offer): the step passes
            self.accept(step, prompt.value, asked=False)
            return
        if not same_prompt:
            self.s.prompt_id += 1
        params = step.describe(self.s.answers, self.profile, self.t) if step.describe else {}
        buttons = list(prompt.buttons)
        if step.skippable:
            buttons.append(Button(SKIP, self.t("choice.skip")))
        self.emit(
            Reply(
                text=self.t(prompt.text_key or step.prompt, **{**params, **prompt.params}),
                buttons=tuple(buttons),
                nav=tuple(Button(NAV(n), self.t(NAV_TEXT[n])) for n in self.nav_names()),
                inline=prompt.inline,
                prompt_id=self.s.prompt_id,
                request_contact=prompt.request_contact,
                contact_hint=(
                    self.t("choice.share_phone_hint", label=prompt.request_contact)
                    if prompt.request_contact
                    else ""
                ),
                edit=edit,
            )
        )

    def nav_names(self) -> list[str]:
        if self.step is None:
            return ["help"]
        if not self.s.history:
            return ["home", "help"]
        return ["back", "home", "help", "cancel"]

    def reprompt(self) -> None:
        if self.s.status is Status.SUGGESTING:
            self.ask_suggestion()
        elif self.s.status is Status.RESUMING:
            self.offer_resume()
        elif self.s.status is Status.LEAVING:
            self.offer_to_keep()
        elif self.step is not None:
            self.ask(self.step)
        elif not self.profile.onboarded:
            self.start_flow(ONBOARDING)
        else:
            self.menu()

    # -- moving between steps and flows ------------------------------------------------------

    def navigate(self, where: str) -> None:
        if where == "help":
            self.say(self.step.help if self.step else "help.menu")
            self.reprompt()
        elif where == "back" and self.s.history:
            self.s.candidates = None
            self.enter(self.s.history.pop())
        elif where == "cancel" and self.flow and self.flow.keeps_draft and self.s.history:
            self.offer_to_keep()  # something was typed: ask once before throwing it away
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
        flow = self.flow
        if not (self.s.flow and flow and flow.keeps_draft and self.s.history and self.s.step):
            return False
        self.s.draft = Draft(
            self.s.flow,
            self.s.flow_version,
            self.s.step,
            dict(self.s.answers),
            list(self.s.history),
        )
        return True

    def leave_flow(self) -> None:
        self.s.flow, self.s.step, self.s.answers, self.s.history = None, None, {}, []
        self.s.candidates, self.s.flow_version, self.s.status = None, 0, Status.IDLE
        self.s.held = None
        self.profile = replace(self.profile, onboarded=True)

    def start_flow(
        self,
        flow_id: str,
        step_id: str | None = None,
        seed: Seed | None = None,
        choice: str | None = None,
    ) -> None:
        """Starts `flow_id` at its first step (or `step_id`), or where `seed` says, with the
        answers it brings, or with its first step answered by `choice` as if pressed (so its
        own rules apply and its question is not sent); a draft of another flow is kept."""
        flow = self.find(flow_id)
        if flow is None or flow.closed:
            self.say(flow.closed if flow and flow.closed else "flow.changed")
            self.menu()
            return
        if flow.posts and self.desk is not None and not self.desk.may_post():
            self.say("propose.blocked")
            self.menu()
            return
        self.park()
        if self.s.draft and self.s.draft.flow == flow_id:
            self.s.draft = None
        self.leave_flow()
        if flow_id == ONBOARDING:
            self.profile = replace(self.profile, onboarded=False)
        self.s.flow, self.s.flow_version = flow.id, flow.version
        first = flow.step(step_id or flow.first_step)
        if seed is None and choice is not None and first is not None:
            self.s.step, self.s.status = first.id, Status.ASKING
            self.choose(first, choice, pressed=True)
            return
        if seed is None:
            self.enter(step_id or flow.first_step)
            return
        self.s.answers, self.s.history = dict(seed.answers), list(seed.history)
        step = flow.step(seed.step)
        if step is None:
            raise FlowError(f"flow {flow_id!r} has no step {seed.step!r} to start from")
        if seed.text is None:
            self.enter(step.id)
        else:
            self.s.step, self.s.status = step.id, Status.ASKING
            self.read(step, step.input.read_text(step, self, seed.text))

    def complete(self) -> None:
        flow = self.flow
        assert flow is not None
        outcome = flow.finish(self.context())
        self.turn.effects.extend(outcome.effects)
        self.leave_flow()
        for chart in outcome.charts:
            self.emit(
                Reply(
                    text=chart.caption,
                    chart=chart.bars,
                    chart_title=chart.title,
                    chart_mine=chart.mine,
                )
            )
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
        """The services in a fixed order, so "1번" is always the same one; a kept draft
        comes after them and never takes a service's number."""
        flows = self.engine.flows.values()
        buttons = [Button(FLOW(f.id), self.t(f.title)) for f in flows if f.in_menu]
        draft = self.s.draft
        drafted = self.find(draft.flow) if draft else None
        if drafted is not None:
            title = self.title(drafted)
            buttons.append(Button(CONTINUE_DRAFT, self.t("menu.continue", title=title)))
        return buttons

    def menu_choices(self, *, about: bool = True) -> list[tuple[str, list[str]]]:
        """The menu's buttons by their words and numbers, and with `about` the everyday
        words of each service (read only after the intents, which know sentences)."""
        about_words = {
            FLOW(f.id): self.about_words(f"{f.title}.about") if about else []
            for f in self.engine.flows.values()
        }
        buttons = [(b.value, [b.text, *about_words.get(b.value, [])]) for b in self.menu_buttons()]
        return [
            *buttons,
            (NAV("help"), self.everywhere(NAV_TEXT["help"])),
            (NAV("home"), [Word(word) for word in words().get("home", ())]),
        ]

    def menu(self) -> None:
        self.s.prompt_id += 1
        self.emit(
            Reply(
                text=self.t("menu.prompt"),
                buttons=tuple(self.menu_buttons()),
                nav=(Button(NAV("help"), self.t(NAV_TEXT["help"])),),
                prompt_id=self.s.prompt_id,
            )
        )

    def answer_menu(self, value: str) -> None:
        flow_id = FLOW.payload(value)
        if NAV.payload(value) is not None:
            self.navigate(NAV.payload(value) or "")
        elif value == CONTINUE_DRAFT and self.s.draft:
            self.continue_draft(self.s.draft)
        elif flow_id in self.engine.flows:
            self.start_flow(flow_id)
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
        self.s.flow, self.s.flow_version = flow.id, flow.version
        self.s.answers, self.s.history = dict(draft.answers), list(draft.history)
        self.enter(draft.step)

    # -- leaving with typed answers ----------------------------------------------------------

    def leave_choices(self) -> list[tuple[str, list[str]]]:
        """Keep, drop or stay, then home, help and back typed as words (back stays)."""
        offered = [(value, self.everywhere(key)) for value, key in LEAVE_TEXT.items()]
        return with_words(offered + self.nav_words(LEAVE("stay")))

    def nav_words(self, back: str) -> list[tuple[str, list[str]]]:
        """Home and help typed at an offer, and "back" as `back` (the offer's own way back)."""
        return [
            (NAV("home"), self.everywhere(NAV_TEXT["home"])),
            (NAV("help"), self.everywhere(NAV_TEXT["help"])),
            (back, [Word(word) for word in words().get("back", ())]),
        ]

    def offer_to_keep(self) -> None:
        self.s.status = Status.LEAVING
        self.s.prompt_id += 1
        self.emit(
            Reply(
                text=self.t("leave.ask"),
                buttons=tuple(Button(v, self.t(k)) for v, k in LEAVE_TEXT.items()),
                inline=True,
                prompt_id=self.s.prompt_id,
            )
        )

    def answer_leave(self, value: str) -> None:
        choice = LEAVE.payload(value)
        if NAV.payload(value) == "help":
            self.say("help.leave")
            self.offer_to_keep()
        elif NAV.payload(value) == "home" or choice == "keep":
            self.go_home()
        elif choice == "drop":
            self.leave_flow()
            self.say("flow.cancelled")
            self.menu()
        elif choice == "stay" and self.step is not None:
            self.s.status = Status.ASKING
            self.ask(self.step)
        else:
            self.say("input.not_understood")
            self.offer_to_keep()

    # -- coming back after a pause -------------------------------------------------------------

    def resume_choices(self) -> list[tuple[str, list[str]]]:
        offered = [(value, self.everywhere(key)) for value, key in RESUME_TEXT.items()]
        return offered + self.nav_words(RESUME("continue"))

    def offer_resume(self) -> None:
        self.s.status = Status.RESUMING
        self.s.prompt_id += 1
        title = self.title(self.flow) if self.flow else ""
        self.emit(
            Reply(
                text=self.t("resume.offer", title=title),
                buttons=tuple(Button(v, self.t(k)) for v, k in RESUME_TEXT.items()),
                inline=True,
                prompt_id=self.s.prompt_id,
            )
        )

    def answer_resume(self, value: str) -> None:
        choice = RESUME.payload(value)
        if NAV.payload(value) == "home":
            self.go_home()
        elif NAV.payload(value) == "help":
            self.say("help.resume")
            self.offer_resume()
        elif choice is None:
            self.say("input.not_understood")
            self.offer_resume()
        elif choice == "restart" and self.flow:
            self.s.history = []
            self.start_flow(self.flow.id)
        elif self.step is not None:
            self.s.status = Status.ASKING
            self.ask(self.step)
        else:
            self.leave_flow()
            self.menu()

    # -- words of one's own --------------------------------------------------------------------

    def understand(self, text: str) -> None:
        """Words that name no button, read for what the citizen wants (`conversations/
        intents.py`): sure goes there, unsure asks with at most three buttons, and words
        that may tell a problem are offered as the start of a proposal. Nothing is lost."""
        reading = intent_model().read(text[:READ_LETTERS])
        best = self.intent(reading.best)
        if best is not None and (reading.confidence is Confidence.SURE or best.go in HARMLESS):
            self.follow(best.name, text)
        elif reading.intents[:1] in ((), ("report",)) and (value := self.service_named(text)):
            self.answer_menu(value)  # a word about one service, inside a few words
        elif reading.intents == ("report",):
            self.offer_proposal(text)
        elif reading.intents:
            self.suggest([INTENT(name) for name in reading.intents], text)
        else:
            self.say("input.not_understood")
            self.reprompt()

    def offer_proposal(self, text: str) -> None:
        """Offers to write the words up as a proposal; a citizen blocked from posting is
        told so now, rather than after agreeing."""
        if self.desk is not None and not self.desk.may_post():
            self.say("propose.blocked")
            self.reprompt()
            return
        self.suggest([INTENT(f"report:{YES}")], text)

    def service_named(self, text: str) -> str | None:
        """The one service whose everyday words the text holds ("병원 가는 걸 도와주세요")."""
        return pick(text, self.menu_choices()) if len(text) <= MAX_CHOICE_TEXT else None

    def elsewhere(self, text: str) -> bool:
        """On a step whose buttons the words do not name: a clear wish for another service
        is offered (the step is kept); hello and thanks are answered. False: neither."""
        if self.s.flow == ONBOARDING:
            return False
        reading = intent_model().read(text[:READ_LETTERS])
        intent = self.intent(reading.best) if reading.confidence is Confidence.SURE else None
        if intent is None or intent.go in ("report", self.s.flow):
            return False
        if intent.go in TALK:
            self.say(f"reply.{intent.go}")
            self.reprompt()
        else:
            self.suggest([INTENT(intent.name)], text)
        return True

    def intent(self, name: str | None) -> Intent | None:
        return intent_model().intents.get(name or "")

    def follow(self, name: str, text: str) -> None:
        """Goes where an intent leads; stopping notices and writing a proposal from the
        words are asked first, and erasing goes through the profile's own confirmation."""
        intent = self.intent(name)
        if intent is None:
            self.say("input.stale")
            self.reprompt()
        elif intent.go == "report":
            self.offer_proposal(text)
        elif intent.go == "stop_notices":
            self.suggest([INTENT(f"{name}:{YES}")], text)
        elif intent.go == "start_notices":
            self.set_notices(True)
            self.say("notices.resumed")
            self.reprompt()
        elif intent.go == "help":
            self.say("help.general")
            self.reprompt()
        elif intent.go == "person":
            self.point_to_a_person()
        elif intent.go in TALK:
            self.say(f"reply.{intent.go}")
            self.reprompt()
        else:
            self.open_service(intent)

    def open_service(self, intent: Intent) -> None:
        """Starts the intent's flow and answers its first step as the intent says, through
        the flow's own rules (a personal field still asks for consent first)."""
        flow = self.find(intent.go)
        choice = intent.choose.get(flow.first_step) if flow else None
        self.start_flow(intent.go, choice=choice)

    def suggest(self, values: list[str], text: str) -> None:
        """Asks what the words meant: "이런 뜻인가요?" with the intents' buttons, or a
        yes/no question for one that acts (stop notices, a proposal from these words)."""
        self.s.said, self.s.suggested = text, values
        self.s.status = Status.SUGGESTING
        self.ask_suggestion()

    def ask_suggestion(self) -> None:
        values = self.s.suggested or []
        self.s.prompt_id += 1
        confirm = self.confirming()
        if confirm == "report":
            text = self.t("intent.report_ask", text=quoted(self.s.said or ""))
        elif confirm is not None:
            text = self.t("intent.stop_ask")
        else:
            text = self.t("intent.ask")
        if confirm is not None:
            yes_key = "intent.report_yes" if confirm == "report" else "intent.stop_yes"
            buttons: tuple[Button, ...] = (
                Button(values[0], self.t(yes_key)),
                Button(NAV("home"), self.t("intent.no")),
            )
            nav: tuple[Button, ...] = ()
        else:
            buttons = tuple(Button(v, self.t(f"intent.{INTENT.payload(v)}")) for v in values)
            nav = tuple(Button(v, self.t(k)) for v, k in self.suggestion_nav())
        self.emit(
            Reply(text=text, buttons=buttons, nav=nav, inline=True, prompt_id=self.s.prompt_id)
        )

    def confirming(self) -> str | None:
        """The intent a yes/no suggestion would act on, or None for a choice of intents."""
        values = self.s.suggested or []
        payload = INTENT.payload(values[0]) if len(values) == 1 else None
        name, _, answer = (payload or "").partition(":")
        return name if answer == YES else None

    def suggestion_nav(self) -> list[tuple[str, str]]:
        """Back to the question that was asked, if any; home and help."""
        stay = [(NAV("back"), "intent.stay")] if self.step is not None else []
        return [*stay, (NAV("home"), NAV_TEXT["home"]), (NAV("help"), NAV_TEXT["help"])]

    def suggestion_choices(self) -> list[tuple[str, list[str]]]:
        values = self.s.suggested or []
        if self.confirming() is not None:
            vocabulary = words()
            yes = [*self.everywhere("intent.report_yes"), *self.everywhere("intent.stop_yes")]
            no = [*self.everywhere("intent.no"), *vocabulary.get("no", ())]
            return [
                (values[0], [*yes, *vocabulary.get("yes", ())]),
                *self.nav_words(NAV("home")),
                (NAV("home"), no),
            ]
        offered = [(v, self.everywhere(f"intent.{INTENT.payload(v)}")) for v in values]
        back = NAV("back") if self.step is not None else NAV("home")
        none: list[str] = [Word(word) for word in words().get("no", ())]  # none of these
        return [*offered, *self.nav_words(back), (back, none)]

    def at_suggestion(self, event: Text | Press | Contact) -> None:
        """A button of the suggestion, its words, or words of one's own read afresh."""
        match event:
            case Text(text=text):
                short = len(text) <= MAX_CHOICE_TEXT
                value = pick(text, self.suggestion_choices(), within=False) if short else None
                if value is None:
                    self.end_suggestion()
                    self.route(event)
                    return
            case Press(value=value):
                pass
            case Contact():
                self.say("input.unexpected_contact")
                self.reprompt()
                return
        self.answer_suggestion(value)

    def end_suggestion(self) -> tuple[list[str], str]:
        """Back to what the citizen was doing before the words; returns what was offered."""
        offered, said = self.s.suggested or [], self.s.said or ""
        self.s.suggested = self.s.said = None
        self.s.status = Status.ASKING if self.step is not None else Status.IDLE
        return offered, said

    def answer_suggestion(self, value: str) -> None:
        confirm = self.confirming()
        offered, said = self.end_suggestion()
        where = NAV.payload(value)
        if value not in offered and where is None:
            self.say("input.stale")
            self.reprompt()
        elif confirm == "report":
            self.propose_from(said)
        elif confirm is not None:
            self.set_notices(False)
            self.say("notices.stopped")
            self.reprompt()
        elif where == "back" and self.step is not None:
            self.ask(self.step)
        elif where is not None:
            self.navigate(where)
        else:
            self.follow(INTENT.payload(value) or "", said)

    def propose_from(self, text: str) -> None:
        """A proposal started from the citizen's own words (`Flow.from_words`)."""
        flow = self.find("propose")
        if flow is None or flow.from_words is None:
            self.start_flow("propose")
            return
        self.say("intent.report_started")
        self.start_flow(flow.id, seed=flow.from_words(text))


def quoted(text: str) -> str:
    """The citizen's words as quoted back: whole, or their start."""
    joined = " ".join(text.split())
    return joined if len(joined) <= QUOTED_LETTERS else joined[: QUOTED_LETTERS - 1] + "…"
