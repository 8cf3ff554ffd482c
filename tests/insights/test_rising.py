"""Rising topics: the exact rate-ratio test, Benjamini-Hochberg, the floor, sentences."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta
from math import comb
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError, NaiveDatetimeError, ServicekitError
from servicekit.insights import rising_topics, rising_topics_from_tickets
from servicekit.tickets import FieldChanged, TagsChanged, Ticket

BASE = datetime(2026, 3, 2, tzinfo=UTC)
START = BASE + timedelta(days=28)
END = START + timedelta(days=7)
WINDOWS: dict[str, Any] = {"baseline_start": BASE, "start": START, "end": END}


def rows(topic: str, prefix: str, count: int, at: datetime) -> list[tuple[str, str, datetime]]:
    return [(topic, f"{prefix}{i}", at) for i in range(count)]


def slow_p(x1: int, n1: int, x0: int, n0: int, mid: bool) -> float:
    """P(X >= x1) for X ~ Binomial(x0 + x1, n1 / (n0 + n1)), written out."""
    s, share = x0 + x1, n1 / (n0 + n1)

    def pmf(k: int) -> float:
        return comb(s, k) * share**k * (1 - share) ** (s - k)

    above = sum(pmf(k) for k in range(x1 + 1, s + 1))
    return above + (pmf(x1) / 2 if mid else pmf(x1))


def example() -> list[tuple[str, str, datetime]]:
    data = rows("login", "a", 100, BASE + timedelta(days=1))  # 100 baseline requesters
    data += rows("refund", "a", 5, BASE + timedelta(days=2))  # 5 % of them
    data += rows("login", "b", 50, START)  # 50 period requesters
    data += rows("refund", "b", 12, START + timedelta(hours=1))  # 24 %: rising
    data += rows("billing", "b", 3, START)  # new, but only 3 requesters
    return data


class TestTest:
    @pytest.mark.parametrize("convention", ["exact", "mid_p"])
    def test_p_value_is_the_conditional_binomial_tail(self, convention: Any) -> None:
        result = rising_topics(example(), convention=convention, **WINDOWS)
        refund = next(t for t in result.topics if t.topic == "refund")
        expected = slow_p(12, 50, 5, 100, mid=convention == "mid_p")
        assert refund.p_value == pytest.approx(expected, rel=1e-9)
        assert (refund.requesters, refund.baseline_requesters) == (12, 5)
        assert (refund.share, refund.baseline_share) == (12 / 50, 5 / 100)
        assert refund.ratio == pytest.approx(4.8)

    def test_mid_p_is_never_above_exact(self) -> None:
        exact = rising_topics(example(), convention="exact", **WINDOWS)
        mid = rising_topics(example(), convention="mid_p", **WINDOWS)
        for a, b in zip(exact.topics, mid.topics, strict=True):
            assert b.p_value <= a.p_value

    def test_flags_and_sentences(self) -> None:
        result = rising_topics(example(), convention="exact", **WINDOWS)
        assert [t.topic for t in result.flagged] == ["refund"]
        refund, *_ = result.flagged
        assert refund.reason.startswith(
            "'refund' rose from 5.0% of requesters (5 of 100) in the baseline to 24.0% "
            "(12 of 50) this period, 4.8 times the baseline share"
        )
        billing = next(t for t in result.topics if t.topic == "billing")
        assert billing.reason == (
            "'billing' reached only 3 requesters this period, below the floor of 5"
        )
        assert billing.ratio is None
        login = next(t for t in result.topics if t.topic == "login")
        assert "did not rise" in login.reason
        text = result.explain()
        assert text.splitlines()[0] == (
            "1 of 3 topics tested: 50 requesters this period, 100 in the baseline."
        )
        assert "- 'refund' rose" in text
        assert result.to_rows()[0]["topic"] == "refund"

    def test_not_significant_after_bh_is_said(self) -> None:
        data = rows("login", "a", 100, BASE) + rows("refund", "a", 10, BASE)
        data += rows("login", "b", 100, START) + rows("refund", "b", 16, START)
        result = rising_topics(data, convention="exact", **WINDOWS)
        refund = next(t for t in result.topics if t.topic == "refund")
        assert not refund.flagged
        assert "but not beyond chance across all topics" in refund.reason

    def test_a_requester_counts_once_per_window_and_outside_rows_are_ignored(self) -> None:
        data = example()
        again = [(topic, who, at + timedelta(minutes=5)) for topic, who, at in data]
        outside = rows("refund", "z", 50, END) + rows("refund", "y", 50, BASE - timedelta(1))
        assert rising_topics(data + again + outside, convention="exact", **WINDOWS) == (
            rising_topics(data, convention="exact", **WINDOWS)
        )

    def test_a_missing_topic_counts_the_requester_only(self) -> None:
        plain = [*example(), (None, "z1", START)]
        with_nan: list[Any] = [*example(), (float("nan"), "z1", START)]
        result = rising_topics(plain, convention="exact", **WINDOWS)
        assert result.requesters == 51
        assert rising_topics(with_nan, convention="exact", **WINDOWS) == result

    def test_the_floor_is_respected(self) -> None:
        result = rising_topics(example(), convention="exact", min_requesters=13, **WINDOWS)
        assert result.flagged == ()

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            ([], "no requesters in the period"),
            (rows("x", "b", 3, START), "no requesters in the baseline window"),
            (rows("x", "a", 3, BASE), "no requesters in the period"),
        ],
    )
    def test_empty_windows_have_a_reason(self, data: list[Any], words: str) -> None:
        result = rising_topics(data, convention="exact", **WINDOWS)
        assert result.topics == ()
        assert words in result.reason


def stationary(seed: int, topics: int = 30, people: int = 400) -> list[Any]:
    """Each requester raises each topic with a fixed probability in both windows."""
    rng = random.Random(seed)
    rates = [rng.uniform(0.005, 0.08) for _ in range(topics)]
    data = []
    for window, at in (("a", BASE), ("b", START)):
        for person in range(people):
            data.append(("contact", f"{window}{person}", at))
            data += [
                (f"t{t}", f"{window}{person}", at) for t in range(topics) if rng.random() < rates[t]
            ]
    return data


def test_false_alarm_rate_is_at_most_nominal_on_stationary_inflow() -> None:
    tested = alarms = flagged = 0
    for seed in range(40):
        result = rising_topics(stationary(seed), convention="exact", q=0.05, **WINDOWS)
        topics = [t for t in result.topics if t.topic != "contact"]
        tested += len(topics)
        alarms += sum(t.p_value <= 0.05 for t in topics)
        flagged += len(result.flagged)
    assert tested == 40 * 30
    assert alarms / tested <= 0.05
    assert flagged / tested <= 0.05


class TestTickets:
    def test_tags_ever_carried_count_and_match_the_records_entry(self) -> None:
        tickets = []
        for i in range(100):
            at = BASE + timedelta(hours=i)
            t = Ticket.create(id=f"A{i}", at=at, requester=f"a{i}", tags=["login"])
            if i < 5:
                t = t.apply(TagsChanged(at=t.created_at + timedelta(1), added=["refund"]))
            tickets.append(t)
        for i in range(50):
            tags = ["refund"] if i < 12 else []
            tickets.append(
                Ticket.create(id=f"B{i}", at=START, requester=f"b{i}", tags=[*tags, "login"])
            )
        from_tickets = rising_topics_from_tickets(tickets, convention="exact", **WINDOWS)
        assert [t.topic for t in from_tickets.flagged] == ["refund"]
        refund = from_tickets.flagged[0]
        assert (refund.requesters, refund.baseline_requesters) == (12, 5)

    def test_a_custom_field_as_the_category(self) -> None:
        t = Ticket.create(id="T", at=START, requester="c")
        t = t.apply(FieldChanged(at=START, name="reason", value="refund"))
        b = Ticket.create(id="U", at=BASE, requester="d")
        result = rising_topics_from_tickets([t, b], convention="exact", field="reason", **WINDOWS)
        assert [x.topic for x in result.topics] == ["refund"]

    def test_not_a_ticket(self) -> None:
        with pytest.raises(InvalidInputError, match="not a Ticket"):
            rising_topics_from_tickets(["T-1"], convention="exact", **WINDOWS)  # type: ignore[list-item]


class TestArguments:
    def test_convention_is_required_and_checked(self) -> None:
        with pytest.raises(InvalidInputError, match="convention must be one of exact, mid_p"):
            rising_topics(example(), convention="two_sided", **WINDOWS)  # type: ignore[arg-type]

    def test_windows_in_order(self) -> None:
        with pytest.raises(InvalidInputError, match="baseline_start < start < end"):
            rising_topics([], convention="exact", baseline_start=START, start=BASE, end=END)

    def test_naive_instants_are_rejected(self) -> None:
        with pytest.raises(InvalidInputError, match="tz-aware"):
            rising_topics(
                [("x", "c", datetime(2026, 3, 30))],  # noqa: DTZ001 -- the point of the test
                convention="exact",
                **WINDOWS,
            )
        assert not issubclass(NaiveDatetimeError, InvalidInputError)  # a different error kind


@given(
    st.one_of(
        st.lists(
            st.tuples(
                st.one_of(st.text(max_size=3), st.none(), st.integers()),
                st.one_of(st.text(max_size=3), st.none(), st.lists(st.integers())),
                st.one_of(
                    st.datetimes(timezones=st.just(UTC)), st.datetimes(), st.none(), st.text()
                ),
            ),
            max_size=10,
        ),
        st.integers(),
        st.text(),
    ),
    st.sampled_from(["exact", "mid_p", "bogus"]),
    st.one_of(st.floats(), st.integers(-1, 2)),
    st.integers(-2, 10),
)
def test_fuzz_only_servicekit_errors_escape(data: Any, convention: Any, q: Any, floor: Any) -> None:
    try:
        result = rising_topics(data, convention=convention, q=q, min_requesters=floor, **WINDOWS)
    except ServicekitError:
        return
    for topic in result.topics:
        assert 0 <= topic.p_value <= 1
        assert 0 <= topic.q_value <= 1


@given(st.lists(st.sampled_from(["ticket", "junk", "none"]), max_size=5), st.text(max_size=3))
def test_fuzz_tickets_entry_only_servicekit_errors_escape(kinds: list[str], field: str) -> None:
    made: list[Any] = []
    for n, kind in enumerate(kinds):
        if kind == "ticket":
            made.append(Ticket.create(id=f"T{n}", at=START, requester="c", tags=["x"]))
        else:
            made.append(None if kind == "none" else {"id": n})
    with contextlib.suppress(ServicekitError):
        rising_topics_from_tickets(made, convention="exact", field=field or None, **WINDOWS)


@given(st.randoms(use_true_random=False))
def test_record_order_does_not_matter(rng: random.Random) -> None:
    data = example()
    shuffled = list(data)
    rng.shuffle(shuffled)
    assert rising_topics(shuffled, convention="mid_p", **WINDOWS) == rising_topics(
        data, convention="mid_p", **WINDOWS
    )
