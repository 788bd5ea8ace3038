"""The clocks every time-dependent service takes: system, fixed and manual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watchlink.services.clock import Clock, FixedClock, ManualClock, SystemClock

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def test_system_clock_is_utc_aware() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


def test_fixed_clock_never_moves() -> None:
    clock = FixedClock(START)
    assert clock.now() == clock.now() == START


def test_manual_clock_advances_and_sets() -> None:
    clock = ManualClock(START)
    assert clock.advance(hours=12) == START + timedelta(hours=12)
    assert clock.advance(timedelta(days=1)) == START + timedelta(days=1, hours=12)
    clock.set(START + timedelta(days=30))
    assert clock.now() == START + timedelta(days=30)


@pytest.mark.parametrize(
    "move",
    [
        lambda c: c.advance(hours=-1),
        lambda c: c.set(START - timedelta(seconds=1)),
    ],
)
def test_manual_clock_refuses_to_go_backwards(move: object) -> None:
    clock = ManualClock(START)
    with pytest.raises(ValueError, match="backwards"):
        move(clock)  # type: ignore[operator]


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2026, 6, 1))


def test_each_clock_satisfies_the_protocol() -> None:
    for clock in (SystemClock(), FixedClock(START), ManualClock(START)):
        assert isinstance(clock, Clock)
