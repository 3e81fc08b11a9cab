"""Ticket numbers and working-day arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.records.tickets import ALPHABET, TICKET_RE, find_ticket, new_ticket, ticket_suffix
from knowledge.records.workdays import add_working_days, working_days_between

FRI, SAT, MON = dt.date(2026, 3, 6), dt.date(2026, 3, 7), dt.date(2026, 3, 9)


def test_tickets_match_the_published_pattern_and_are_random() -> None:
    tickets = {new_ticket("PDG") for _ in range(2000)}
    assert len(tickets) == 2000
    assert all(TICKET_RE.fullmatch(t) for t in tickets)
    used = {c for t in tickets for c in t[4:]}
    assert used == set(ALPHABET) and not used & set("ILOU")
    with pytest.raises(ValueError):
        new_ticket("padang")


@pytest.mark.parametrize("text, ticket", [
    ("status PDG-7KQ2XM", "PDG-7KQ2XM"),
    ("cek pdg-7kq2xm dong", "PDG-7KQ2XM"),
    ("PDG-7KQ2XO", "PDG-7KQ2X0"),  # O typed for zero
    ("PDG-1234", None),
    ("PDG-UUUUUU", None),
])
def test_find_ticket(text: str, ticket: str | None) -> None:
    assert find_ticket(text) == ticket


@pytest.mark.parametrize("start, days, holidays, due", [
    (FRI, 0, (), FRI),
    (FRI, 1, (), MON),
    (SAT, 1, (), MON),
    (FRI, 1, (MON,), dt.date(2026, 3, 10)),
    (MON, 5, (), dt.date(2026, 3, 16)),
    (dt.date(2026, 3, 18), 3, (dt.date(2026, 3, 19), dt.date(2026, 3, 20)), dt.date(2026, 3, 25)),
])
def test_add_working_days(start: dt.date, days: int, holidays: tuple, due: dt.date) -> None:
    assert add_working_days(start, days, holidays) == due
    assert working_days_between(start, due, holidays) == days


def test_working_days_between_counts_backwards_too() -> None:
    assert working_days_between(MON, FRI) == -1
    assert working_days_between(FRI, SAT) == 0
    with pytest.raises(ValueError):
        add_working_days(FRI, -1, ())


def test_ticket_suffix_for_a_staff_search() -> None:
    assert ticket_suffix("6dd2k1") == "6DD2K1"
    assert ticket_suffix("PDG6DD2KI") == "6DD2K1"  # the code run on, and I for 1
    assert ticket_suffix("pdg-6dd2k1") == "6DD2K1"
    assert ticket_suffix("6dd2") is None and ticket_suffix("12345678") is None  # too short; digits before
