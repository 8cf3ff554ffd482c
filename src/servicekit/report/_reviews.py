"""QA reviews as JSON lines (what ``servicekit report --reviews FILE.jsonl`` reads), one
review per line::

    {"agent": "ana", "reviewer": "lee", "conversation": "T-1042",
     "ratings": {"Solution": 1, "Tone": 4, "Greeting": null}}

``agent`` and ``ratings`` are required; ``reviewer`` and ``conversation`` are optional
(calibration needs both); a rating is a whole number on its criterion's scale, or
``null`` for N/A. Blank lines are skipped. Every error names its line."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from servicekit._checks import short
from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.qa import Review, Scorecard

MAX_REVIEWS = 1_000_000
"""The most lines one call reads."""

_KEYS = ("agent", "ratings", "reviewer", "conversation")


def _rating(name: str, value: object) -> int | float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value != int(value)
    ):
        raise InvalidInputError(
            f"rating of {short(name)} must be a whole number or null, got {short(value)}"
        )
    return value


def _review(record: object, scorecard: Scorecard | None) -> Review:
    if not isinstance(record, dict):
        raise InvalidInputError(f"expected a JSON object, got {short(record)}")
    unknown = [key for key in record if key not in _KEYS]
    if unknown:
        raise InvalidInputError(f"unknown field {short(unknown[0])}; expected {', '.join(_KEYS)}")
    for key in ("agent", "ratings"):
        if key not in record:
            raise InvalidInputError(f"field {short(key)} is missing")
    ratings: Any = record["ratings"]
    if not isinstance(ratings, Mapping):
        raise InvalidInputError(
            f"field 'ratings' must map criterion names to ratings, got {short(ratings)}"
        )
    checked = {name: _rating(name, value) for name, value in ratings.items()}
    review = Review(
        agent=record["agent"],
        ratings=checked,
        reviewer=record.get("reviewer"),
        conversation=record.get("conversation"),
    )
    if scorecard is not None:
        scorecard.score(review.ratings)
    return review


def read_reviews(lines: Iterable[str], *, scorecard: Scorecard | None = None) -> tuple[Review, ...]:
    """The reviews of JSON lines (see the module docstring), checked against
    ``scorecard`` when given.

    Args:
        lines: the file's lines (``str``), e.g. ``text.splitlines()``.
        scorecard: the scorecard the ratings must fit (criterion names, scales).

    Returns:
        One :class:`~servicekit.qa.Review` per non-blank line, in order.

    Raises:
        InvalidInputError: ``line N: ...`` for a line that is not a JSON object of the
            documented shape, ratings that do not fit the scorecard, a reviewer who
            reviewed the same conversation twice (naming both lines), more than
            1,000,000 lines; or ``lines`` that are not strings.

    >>> rows = ['{"agent": "ana", "reviewer": "lee", "conversation": "T-1",'
    ...         ' "ratings": {"Tone": 4}}', '', '{"agent": "bo", "ratings": {"Tone": null}}']
    >>> [(r.agent, dict(r.ratings)) for r in read_reviews(rows)]
    [('ana', {'Tone': 4}), ('bo', {'Tone': None})]
    >>> read_reviews(['{"agent": "ana"}'])
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidInputError: line 1: field 'ratings' is missing
    """
    if scorecard is not None and not isinstance(scorecard, Scorecard):
        raise InvalidInputError(f"scorecard must be a Scorecard or None, got {short(scorecard)}")
    if isinstance(lines, str | bytes) or not isinstance(lines, Iterable):
        raise InvalidInputError(f"lines must be an iterable of str, got {short(lines)}")
    reviews: list[Review] = []
    first: dict[tuple[str, str], int] = {}
    for number, line in enumerate(lines, start=1):
        if number > MAX_REVIEWS:
            raise InvalidInputError(f"at most {MAX_REVIEWS:,} lines of reviews")
        if not isinstance(line, str):
            raise InvalidInputError(f"line {number}: expected text, got {short(line)}")
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise InvalidInputError(f"not a JSON object: {short(reason)}") from None
            review = _review(record, scorecard)
        except ServicekitError as exc:
            raise InvalidInputError(f"line {number}: {exc}") from None
        if review.reviewer is not None and review.conversation is not None:
            key = (review.reviewer, review.conversation)
            if key in first:
                raise InvalidInputError(
                    f"line {number}: reviewer {short(key[0])} already reviewed conversation "
                    f"{short(key[1])} on line {first[key]}"
                )
            first[key] = number
        reviews.append(review)
    return tuple(reviews)
