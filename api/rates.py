"""Request rates as written in the environment: `120/min`, `1000/hour`, `5/15min`.

Pure Python, so that settings can validate a rate at start-up and the throttles
read it back with the same rules.
"""

import re
from typing import NamedTuple

UNIT_SECONDS = {"s": 1, "sec": 1, "second": 1, "seconds": 1}
UNIT_SECONDS |= {"m": 60, "min": 60, "minute": 60, "minutes": 60}
UNIT_SECONDS |= {"h": 3600, "hour": 3600, "hours": 3600}
UNIT_SECONDS |= {"d": 86400, "day": 86400, "days": 86400}

RATE_PATTERN = re.compile(r"(?P<count>\d+)/(?P<multiple>\d*)(?P<unit>[a-z]+)")


class Rate(NamedTuple):
    """At most `count` requests in a window of `seconds`."""

    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """`N/unit` or `N/Kunit`, the unit one of s, sec, second(s), m, min, minute(s), h, hour(s),
    d, day(s). Raises ValueError for anything else, or for a window of zero seconds."""
    match = RATE_PATTERN.fullmatch(text.strip().lower())
    if match is None or match["unit"] not in UNIT_SECONDS:
        raise ValueError(f"{text!r} is not a rate such as 120/min, 1000/hour or 5/15min")
    seconds = int(match["multiple"] or 1) * UNIT_SECONDS[match["unit"]]
    if seconds == 0:
        raise ValueError(f"{text!r} has a window of zero seconds")
    return Rate(int(match["count"]), seconds)
