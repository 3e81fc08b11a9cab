"""A settable clock for the code under test that takes a `clock`/`now` callable."""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

T = TypeVar("T", dt.datetime, float)


class Clock(Generic[T]):
    """Return `now` when called; tests move it by assigning or with `advance`."""

    def __init__(self, now: T) -> None:
        self.now = now

    def __call__(self) -> T:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move a datetime clock forward by `datetime.timedelta(**delta)`."""
        self.now += dt.timedelta(**delta)  # type: ignore[operator]
