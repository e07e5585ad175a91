"""Erlang C: how many agents a queue needs, and how a given headcount performs.

The model (M/M/N): contacts arrive at random (Poisson) at rate λ, handle times are exponential
with mean AHT, N agents serve one queue, nobody abandons. With traffic ``A = λ·AHT`` (erlangs):

* ``P_wait = C(N, A) = A^N/N! · N/(N−A) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A))``, evaluated
  through the Erlang B recurrence ``B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))`` and
  ``C = N·B / (N − A·(1 − B))``: every step stays in [0, 1], so there are no factorials or
  powers to overflow, and thousands of agents cost a few thousand multiplications;
* service level ``SL(T) = 1 − P_wait · e^(−(N−A)·T/AHT)``: the share answered within T seconds;
* average speed of answer ``ASA = P_wait · AHT / (N − A)``;
* occupancy ``A / N``; headcount to schedule ``⌈N / (1 − shrinkage)⌉``.

Bounded work: every function here costs at most :data:`MAX_AGENTS` steps of the recurrence.
A queue needing more agents than that (or offered more erlangs) raises :class:`BeyondCap`, a
``ValueError``, instead of computing for hours: no single queue is staffed with a hundred
thousand agents, and such a number comes from a mistyped volume or handle time.

With ``N ≤ A`` the queue is unstable (it grows without end): every contact waits
(``P_wait = 1``), the service level is 0 and the ASA is infinite (``math.inf``). Zero traffic
is never unstable: nobody arrives, so nobody waits.

The classic worked example: 100 calls in 30 minutes with an AHT of 180 s is 10 erlangs; 14
agents answer 88.8 % within 20 s (13 reach only 79.6 %), 20 people after 30 % shrinkage.

>>> result = staff(100, 1800, 180, target=(0.80, 20), shrinkage=0.3)
>>> result.traffic, result.agents, round(result.service_level, 4), result.headcount
(10.0, 14, 0.8884, 20)
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

UNSTABLE = "unstable: agents ≤ traffic"
MAX_AGENTS = 100_000
"""The most agents one queue is computed for (each step of the recurrence is one agent)."""


class BeyondCap(ValueError):
    """The queue needs (or names) more than :data:`MAX_AGENTS` agents: not computed."""


def traffic_intensity(volume: float, interval_seconds: float, aht_seconds: float) -> float:
    """Offered traffic in erlangs: ``A = λ·AHT = volume / interval · AHT``; :class:`BeyondCap`
    from :data:`MAX_AGENTS` erlangs (no queue that large is computed).

    >>> traffic_intensity(100, 1800, 180)
    10.0
    """
    if not (0 <= volume < math.inf and 0 < interval_seconds < math.inf and 0 < aht_seconds < math.inf):
        raise ValueError("volume must be a finite number ≥ 0, interval and AHT finite and > 0")
    traffic = volume * aht_seconds / interval_seconds
    if traffic >= MAX_AGENTS:  # infinite too, when the product of finite inputs overflows
        raise BeyondCap(
            f"{traffic:.6g} erlangs need more than {MAX_AGENTS:,} agents: beyond what one queue is computed for"
        )
    return traffic


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of Erlang B by the recurrence ``B(k) = A·B(k−1)/(k + A·B(k−1))``.

    >>> round(erlang_b(5, 10), 4)  # 5 erlangs on 10 trunks: 1.84 % blocked
    0.0184
    """
    _check(traffic, agents)
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def _erlang_c_from_b(traffic: float, agents: int, blocking: float) -> float:
    """``C = N·B / (N − A·(1 − B))``, for ``N > A``."""
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def probability_of_waiting(traffic: float, agents: int) -> float:
    """Erlang C: the probability that a contact has to wait; 1 when ``agents ≤ traffic``.

    >>> round(probability_of_waiting(10, 14), 4), probability_of_waiting(10, 10)
    (0.1741, 1.0)
    """
    _check(traffic, agents)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    return _erlang_c_from_b(traffic, agents, erlang_b(traffic, agents))


def service_level(traffic: float, agents: int, aht_seconds: float, threshold_seconds: float) -> float:
    """Share of contacts answered within ``threshold_seconds``:
    ``1 − P_wait · e^(−(N−A)·T/AHT)``; 0 when unstable.

    >>> round(service_level(10, 14, 180, 20), 4), service_level(10, 9, 180, 20)
    (0.8884, 0.0)
    """
    _check_times(aht_seconds, threshold_seconds)
    waiting = probability_of_waiting(traffic, agents)
    return _service_level(traffic, agents, aht_seconds, threshold_seconds, waiting)


def _service_level(traffic: float, agents: int, aht: float, threshold: float, waiting: float) -> float:
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    return 1.0 - waiting * math.exp(-(agents - traffic) * threshold / aht)


def average_speed_of_answer(traffic: float, agents: int, aht_seconds: float) -> float:
    """Mean wait in seconds over all contacts: ``P_wait · AHT / (N − A)``; ``math.inf`` when
    unstable.

    >>> round(average_speed_of_answer(10, 14, 180), 2), average_speed_of_answer(10, 10, 180)
    (7.84, inf)
    """
    _check_times(aht_seconds, 0)
    if traffic == 0:
        _check(traffic, agents)
        return 0.0
    if agents <= traffic:
        _check(traffic, agents)
        return math.inf
    return probability_of_waiting(traffic, agents) * aht_seconds / (agents - traffic)


def occupancy(traffic: float, agents: int) -> float:
    """Share of agents' time spent handling contacts: ``A / N``, at most 1 (with ``N ≤ A``
    agents are busy all the time and the queue grows); 0 without traffic.

    >>> round(occupancy(10, 14), 4), occupancy(12, 10)
    (0.7143, 1.0)
    """
    _check(traffic, agents)
    if traffic == 0:
        return 0.0
    return min(traffic / agents, 1.0)


def agents_needed(
    traffic: float,
    aht_seconds: float,
    threshold_seconds: float,
    target_service_level: float,
    max_occupancy: float | None = None,
) -> int:
    """The smallest N with ``SL(T) ≥ target`` (and ``A/N ≤ max_occupancy`` when given); 0 for
    zero traffic.

    One pass of the Erlang B recurrence up to the answer: O(N) whatever the traffic, and never
    more than :data:`MAX_AGENTS` steps (:class:`BeyondCap` beyond).

    >>> agents_needed(10, 180, 20, 0.80), agents_needed(10, 180, 20, 0.80, max_occupancy=0.70)
    (14, 15)
    """
    _check(traffic, 0)
    _check_times(aht_seconds, threshold_seconds)
    if not 0 <= target_service_level < 1:
        raise ValueError(f"target service level {target_service_level!r} must be in [0, 1)")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise ValueError(f"max occupancy {max_occupancy!r} must be in (0, 1]")
    if traffic == 0:
        return 0
    _check_cap(traffic, max_occupancy)
    blocking, agents = 1.0, 0
    while agents < MAX_AGENTS:
        agents += 1
        blocking = traffic * blocking / (agents + traffic * blocking)
        if agents <= traffic:
            continue
        if max_occupancy is not None and traffic / agents > max_occupancy:
            continue
        waiting = _erlang_c_from_b(traffic, agents, blocking)
        if _service_level(traffic, agents, aht_seconds, threshold_seconds, waiting) >= target_service_level:
            return agents
    raise BeyondCap(
        f"{traffic:.6g} erlangs need more than {MAX_AGENTS:,} agents for this target: "
        "beyond what one queue is computed for"
    )


def _check_cap(traffic: float, max_occupancy: float | None) -> None:
    """Fail at once when even the fewest agents that could do (more than the traffic, and
    enough for the occupancy cap) exceed the cap, rather than after the whole search."""
    fewest = traffic / max_occupancy if max_occupancy else traffic
    if fewest >= MAX_AGENTS:
        raise BeyondCap(
            f"{traffic:.6g} erlangs need more than {MAX_AGENTS:,} agents: beyond what one queue is computed for"
        )


def scheduled_headcount(agents: int, shrinkage: float) -> int:
    """People to schedule so that ``agents`` are on the queue: ``⌈N / (1 − shrinkage)⌉``.

    The quotient is rounded to 9 decimals before the ceiling, so that 21 / (1 − 0.3) is 30 and
    not 30.000000000000004 → 31.

    >>> scheduled_headcount(14, 0.3), scheduled_headcount(15, 0.3), scheduled_headcount(21, 0.3)
    (20, 22, 30)
    """
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage {shrinkage!r} must be in [0, 1)")
    if agents < 0:
        raise ValueError(f"agents {agents!r} must be ≥ 0")
    return math.ceil(round(agents / (1 - shrinkage), 9))


@dataclass(frozen=True)
class Staffing:
    """One interval staffed (or evaluated): inputs, Erlang C results, headcount.

    ``volume`` is the volume staffed for (after ``growth``); probabilities and shares are
    fractions (0.888 = 88.8 %); ``asa_seconds`` is ``math.inf`` when unstable."""

    volume: float
    interval_seconds: float
    aht_seconds: float
    traffic: float
    agents: int
    probability_of_waiting: float
    service_level: float
    asa_seconds: float
    occupancy: float
    headcount: int

    @property
    def stable(self) -> bool:
        """False when ``agents ≤ traffic`` (with traffic): the queue grows without end."""
        return self.traffic == 0 or self.agents > self.traffic


def staff(
    volume: float,
    interval_seconds: float,
    aht_seconds: float,
    *,
    target: tuple[float, float] = (0.80, 20),
    shrinkage: float = 0.0,
    agents: int | None = None,
    growth: float = 1.0,
    max_occupancy: float | None = None,
) -> Staffing:
    """Staff ``volume × growth`` contacts per ``interval_seconds`` for ``target`` =
    (service level, threshold seconds); with ``agents`` given, evaluate that headcount instead
    (``max_occupancy`` then plays no part).

    >>> staff(100, 1800, 180, agents=12).service_level < 0.80 < staff(100, 1800, 180, agents=14).service_level
    True
    >>> staff(100, 1800, 180, growth=1.4).agents  # 14 erlangs
    18
    """
    if growth <= 0:
        raise ValueError(f"growth {growth!r} must be > 0")
    target_level, threshold = target
    grown = volume * growth
    traffic = traffic_intensity(grown, interval_seconds, aht_seconds)
    if agents is None:
        agents = agents_needed(traffic, aht_seconds, threshold, target_level, max_occupancy)
    _check(traffic, agents)
    _check_times(aht_seconds, threshold)
    waiting = probability_of_waiting(traffic, agents)
    return Staffing(
        volume=grown,
        interval_seconds=interval_seconds,
        aht_seconds=aht_seconds,
        traffic=traffic,
        agents=agents,
        probability_of_waiting=waiting,
        service_level=_service_level(traffic, agents, aht_seconds, threshold, waiting),
        asa_seconds=average_speed_of_answer(traffic, agents, aht_seconds),
        occupancy=occupancy(traffic, agents),
        headcount=scheduled_headcount(agents, shrinkage),
    )


def _check(traffic: float, agents: int) -> None:
    if not (traffic >= 0 and math.isfinite(traffic)):
        raise ValueError(f"traffic {traffic!r} must be a finite number ≥ 0")
    if isinstance(agents, bool) or not isinstance(agents, numbers.Integral) or agents < 0:
        raise ValueError(f"agents {agents!r} must be a whole number ≥ 0")
    if agents > MAX_AGENTS:
        raise BeyondCap(f"{agents:,} agents: more than {MAX_AGENTS:,}, the most one queue is computed for")


def _check_times(aht_seconds: float, threshold_seconds: float) -> None:
    if not 0 < aht_seconds < math.inf:
        raise ValueError(f"AHT {aht_seconds!r} must be finite and > 0 seconds")
    if not 0 <= threshold_seconds < math.inf:
        raise ValueError(f"threshold {threshold_seconds!r} must be finite and ≥ 0 seconds")
