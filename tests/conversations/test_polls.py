"""Survey rules shared by the chat and the staff API: audience, branching, suppression."""

from conversations.polls import (
    Audience,
    Survey,
    bar,
    definition_problems,
    questions_from,
    tally_results,
)

QUESTIONS = [
    {"kind": "yes_no", "text": "찬성?"},
    {
        "kind": "multiple",
        "text": "언제?",
        "options": ["저녁", "밤"],
        "show_if": {"question": "q1", "answers": ["yes"]},
    },
]


def test_audience_needs_every_listed_dimension_and_any_value_within_one() -> None:
    audience = Audience(gus=("팔달구",), interests=("transport", "welfare"))
    assert audience.includes(gu="팔달구", dong="인계동", age_band=None, interests=["welfare"])
    assert not audience.includes(gu="영통구", dong="매탄1동", age_band=None, interests=["welfare"])
    assert not audience.includes(gu="팔달구", dong="인계동", age_band=None, interests=[])
    assert Audience().includes(gu=None, dong=None, age_band=None, interests=[])


def test_a_language_audience_counts_a_citizen_who_never_chose_one_as_korean() -> None:
    korean = Audience(languages=("ko",))
    english = Audience(languages=("en",))
    nobody = {"gu": None, "dong": None, "age_band": None, "interests": []}
    assert korean.includes(**nobody) and not english.includes(**nobody)
    assert english.includes(**nobody, language="en")
    assert not korean.includes(**nobody, language="en")


def test_a_question_in_english_keeps_the_korean_for_what_was_not_worded() -> None:
    (question,) = questions_from(
        [
            {
                "kind": "single",
                "text": "얼마나 자주?",
                "options": ["매주", "매달", "안 감"],
                "en": {"options": ["Weekly", ""]},
            }
        ]
    )
    english = question.in_language("en")
    assert english.text == "얼마나 자주?"
    assert english.options == ("Weekly", "매달", "안 감")
    assert question.in_language("ko") is question and question.in_language(None) is question


def test_a_skipped_optional_question_is_not_an_answer() -> None:
    questions = [*QUESTIONS, {"kind": "text", "text": "더?", "optional": True}]
    survey = Survey(1, 1, "t", "", questions_from(questions), "never", True, False)
    assert survey.visible_answers({"q1": "no", "q3": None}) == {"q1": "no"}


def test_branching_drops_answers_to_questions_no_longer_asked() -> None:

    survey = Survey(1, 1, "t", "", questions_from(QUESTIONS), "never", True, False)
    assert survey.visible_answers({"q1": "yes", "q2": ["1"]}) == {"q1": "yes", "q2": ["1"]}
    assert survey.visible_answers({"q1": "no", "q2": ["1"]}) == {"q1": "no"}


def test_definition_problems_name_branching_on_later_or_unknown_answers() -> None:
    assert definition_problems(QUESTIONS) == []
    broken = [
        {"kind": "text", "text": "a", "show_if": {"question": "q2", "answers": ["yes"]}},
        {"kind": "yes_no", "text": "b", "show_if": {"question": "q1", "answers": ["x"]}},
        {"kind": "single", "text": "c", "options": ["only"]},
        {"kind": "yes_no", "text": "d", "options": ["x", "y"]},
        {"kind": "yes_no", "text": "e", "scale_labels": ["x", "y"]},
        {"kind": "single", "text": "f", "options": ["x", "y"], "en": {"options": ["a", "b", "c"]}},
    ]
    problems = definition_problems(broken)
    assert problems == [
        "q1: show_if must name an earlier question",
        "q2: show_if cannot depend on a free-text answer",
        "q3: a choice needs at least two options",
        "q4: only single and multiple choice have options",
        "q5: only a scale has scale_labels",
        "q6: more English options than options",
    ]


def test_groups_under_five_responses_are_withheld_from_breakdowns_but_counted_in_totals() -> None:
    questions = questions_from(QUESTIONS[:1])
    grouped = [
        ("q1", "yes", "팔달구", "인계동", "70plus", 5, 5),
        ("q1", "no", "팔달구", "인계동", "70plus", 1, 1),
        ("q1", "yes", "영통구", "매탄1동", "30s", 4, 4),
        ("q1", "no", "영통구", "매탄2동", "40s", 5, 5),
    ]
    [result] = tally_results(questions, grouped)
    assert result.total.respondents == 15
    assert dict(result.total.counts) == {"yes": 9, "no": 6}
    assert result.breakdowns["dong"]["매탄1동"] is None
    # The next smallest dong goes with it, or the total minus the rest would give it back.
    assert result.breakdowns["dong"]["매탄2동"] is None
    kept = result.breakdowns["dong"]["인계동"]
    assert kept is not None and dict(kept.counts) == {"yes": 5, "no": 1}


def test_the_one_small_group_cannot_be_recovered_by_subtraction() -> None:
    """Q1 버스 4 of 6: 30대 five people (3 버스), 40대 one. Showing 30대 would tell that the one
    40대 respondent said 버스; so 30대 is withheld with 40대."""
    questions = questions_from([{"kind": "single", "text": "출퇴근", "options": ["버스", "차"]}])
    grouped = [
        ("q1", "1", "영통구", "매탄3동", "30s", 3, 3),
        ("q1", "2", "영통구", "매탄3동", "30s", 2, 2),
        ("q1", "1", "영통구", "매탄3동", "40s", 1, 1),
    ]
    [result] = tally_results(questions, grouped)
    assert dict(result.total.counts) == {"1": 4, "2": 2}
    assert result.breakdowns["age_band"] == {"30s": None, "40s": None}


def test_multiple_choice_percentages_are_of_people_not_of_ticks() -> None:
    questions = questions_from([{"kind": "multiple", "text": "언제?", "options": ["저녁", "밤"]}])
    [result] = tally_results(
        questions,
        [("q1", "1", "g", "d", "a", 4, 4), ("q1", "2", "g", "d", "a", 3, 1)],
    )
    assert result.total.respondents == 5
    assert bar(result.total.counts["1"], 5) == "▓▓▓▓▓▓░░ 80% (4)"


def test_bar_of_nobody_is_empty_not_an_error() -> None:
    assert bar(0, 0) == "░░░░░░░░ 0% (0)"


def test_progress_counts_only_the_questions_the_citizen_is_asked() -> None:
    survey = Survey(
        1, 1, "공원", "", questions_from([*QUESTIONS, {"kind": "yes_no", "text": "또?"}]),
        "never", True, False,
    )  # fmt: skip
    assert survey.progress({}, 0) == (1, 2)  # 언제? waits on the first answer
    assert survey.progress({"q1": "no"}, 2) == (2, 2)  # 언제? was skipped
    assert survey.progress({"q1": "yes"}, 1) == (2, 3)
    assert survey.progress({"q1": "yes", "q2": ["1"]}, 2) == (3, 3)


def test_the_summary_numbers_the_answers_given_without_gaps() -> None:
    from conversations.flows.surveys import survey_flow
    from conversations.messages import default_catalog
    from conversations.model import Profile

    survey = Survey(
        1, 1, "공원", "", questions_from([*QUESTIONS, {"kind": "yes_no", "text": "또?"}]),
        "never", True, False,
    )  # fmt: skip
    summary = survey_flow(survey).step("summary")
    assert summary is not None and summary.describe is not None
    catalog = default_catalog()
    described = summary.describe(
        {"q1": "no", "q3": "yes"},
        Profile(language="ko"),
        lambda key, **params: catalog.text("ko", key, **params),
    )
    assert described["answers"].splitlines()[::2] == ["1. 찬성?", "2. 또?"]


def test_a_question_too_few_answered_is_named_not_dropped_silently() -> None:
    from conversations.flows.surveys import result_charts, withheld
    from conversations.messages import default_catalog

    survey = Survey(1, 1, "공원", "", questions_from(QUESTIONS), "always", True, False)
    counts = [("q1", "yes", "", "", "", 6, 6), ("q1", "no", "", "", "", 1, 1)]
    counts += [("q2", "1", "", "", "", 2, 2)]  # only two were asked 언제?
    results = tally_results(survey.questions, counts)
    catalog = default_catalog()

    def t(key: str, **params: object) -> str:
        return catalog.text("ko", key, **params)

    assert len(result_charts(results, t, language="ko")) == 1
    told = withheld(results, t, "ko")
    assert "5명이 안 된 질문" in told and told.endswith(": 언제?")
    assert withheld(results[:1], t, "ko") == ""
