"""The small-group rule survives subtraction: from what a breakdown shows — its total, the
groups shown, and that each withheld group holds someone — no withheld group's size can be
computed (property tests over random breakdowns and random survey answers)."""

from hypothesis import given
from hypothesis import strategies as st

from conversations.polls import BREAKDOWNS, questions_from, tally_results
from conversations.small_groups import SMALLEST_GROUP, protect, shown

GROUPS = st.dictionaries(
    st.sampled_from(["매탄1동", "매탄2동", "매탄3동", "인계동", "지동", "원천동", "광교1동"]),
    st.integers(min_value=0, max_value=40),
    min_size=1,
)


def computable(total: int, shown_sizes: dict[str, int | None]) -> list[str]:
    """The withheld groups whose size a reader can compute: each holds at least one person
    and together they hold the total minus what is shown."""
    hidden = [group for group, size in shown_sizes.items() if size is None]
    rest = total - sum(size for size in shown_sizes.values() if size is not None)
    if len(hidden) == 1 or (hidden and rest == len(hidden)):
        return hidden
    return []


@given(GROUPS)
def test_no_withheld_group_can_be_computed_from_a_breakdown(sizes: dict[str, int]) -> None:
    total = sum(sizes.values())
    shown_sizes = protect(sizes)
    assert all(shown_sizes[g] in (None, n) for g, n in sizes.items())
    assert all(shown_sizes[g] is None for g, n in sizes.items() if 0 < n < SMALLEST_GROUP)
    found = computable(total, shown_sizes)
    if found:
        # Only where nothing but the total is left: every group withheld, and the total then
        # tells no more than itself (under five it is withheld too, or all are single people).
        assert all(shown_sizes[g] is None for g, n in sizes.items() if n)
        assert shown(total) is None or all(n <= 1 for n in sizes.values())


PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["영통구", "팔달구"]),
        st.sampled_from(["매탄3동", "인계동", "지동", "원천동"]),
        st.sampled_from(["20s", "30s", "40s", "70plus"]),
        st.sampled_from(["1", "2"]),
    ),
    min_size=SMALLEST_GROUP,
    max_size=60,
)


@given(PEOPLE)
def test_no_survey_breakdown_gives_back_a_withheld_group(people: list[tuple[str, ...]]) -> None:
    questions = questions_from([{"kind": "single", "text": "출퇴근", "options": ["버스", "차"]}])
    grouped = [("q1", answer, gu, dong, band, 1, 1) for gu, dong, band, answer in people]
    [result] = tally_results(questions, grouped)
    for dimension in BREAKDOWNS:
        groups = result.breakdowns[dimension]
        sizes = {g: (t.respondents if t is not None else None) for g, t in groups.items()}
        found = computable(result.total.respondents, sizes)
        assert not found or all(size is None for size in sizes.values()), (dimension, sizes)
