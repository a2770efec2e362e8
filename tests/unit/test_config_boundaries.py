"""The boundary sections of breather.toml: breaks, limits, downtime and intention prompts."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from breather.rules import BreakRule, Breaks, Downtime, Intention, Limit
from breather.settings.model import Settings, parse_settings

FILE = Path("breather.toml")

GOOD = """\
[breaks.eyes]
every = "30m"
duration = "30s"

[breaks.movement]
enabled = false

[[limits]]
category = "social media"
daily = "30m"
weekend = "1h"

[[limits]]
app = "steam"
weekday = "1h"

[downtime]
from = "22:00"
to = "07:00"
categories = ["Social media", "Video"]

[intention]
categories = []
"""


def test_every_boundary_section_is_read() -> None:
    settings, problems = parse_settings(GOOD, FILE)
    assert problems == []
    assert settings.breaks == Breaks(
        eyes=BreakRule("eyes", 1800, 30),
        movement=BreakRule("movement", 2700, 300, enabled=False),
    )
    assert settings.limits == (
        Limit(category="Social media", daily=1800, weekend=3600),
        Limit(app="steam", weekday=3600),
    )
    assert settings.downtime == Downtime(time(22), time(7), ("Social media", "Video"))
    assert settings.intention == Intention(())
    policy = settings.policy()
    assert policy.limits == settings.limits
    assert policy.day_starts == settings.tracking.day_starts


def test_defaults_are_twenty_twenty_twenty_and_forty_five_five() -> None:
    breaks = Settings().breaks
    assert (breaks.eyes.every, breaks.eyes.duration) == (1200, 20)
    assert (breaks.movement.every, breaks.movement.duration) == (2700, 300)
    assert Settings().limits == ()
    assert not Settings().downtime.enabled
    assert Settings().intention.categories == ("Social media",)


def test_a_malformed_limit_names_its_line_and_key_and_the_rest_still_apply() -> None:
    text = GOOD.replace('app = "steam"\nweekday = "1h"', 'app = "steam"\nweekday = "lots"')
    settings, problems = parse_settings(text, FILE)
    assert [str(p) for p in problems] == [
        "breather.toml:15: limits.1.weekday: 'lots' is not a duration "
        '(write it like "20s", "20m" or "1h30m")'
    ]
    # The broken limit is left out; every other boundary is as written.
    assert settings.limits == (Limit(category="Social media", daily=1800, weekend=3600),)
    assert settings.breaks.eyes.every == 1800
    assert settings.downtime.enabled
    assert settings.intention == Intention(())


def test_a_malformed_breaks_section_keeps_the_limits_working() -> None:
    text = GOOD.replace('every = "30m"', "every = 30").replace("enabled = false", "enabled = 1")
    settings, problems = parse_settings(text, FILE)
    assert [(p.line, p.key) for p in problems] == [
        (2, "breaks.eyes.every"),
        (6, "breaks.movement.enabled"),
    ]
    assert settings.breaks.eyes == BreakRule("eyes", 1200, 30)  # the bad key keeps its default
    assert settings.breaks.movement.enabled  # and so does this one
    assert len(settings.limits) == 2
    assert settings.downtime.enabled


def test_a_section_of_the_wrong_shape_costs_only_itself() -> None:
    text = 'breaks = "often"\nlimits = 3\n[downtime]' + GOOD.split("[downtime]")[1]
    settings, problems = parse_settings(text, FILE)
    assert [(p.line, p.key) for p in problems] == [(1, "breaks"), (2, "limits")]
    assert settings.breaks == Breaks()
    assert settings.limits == ()
    assert settings.downtime.enabled


def test_limit_mistakes_are_explained() -> None:
    text = """\
[[limits]]
daily = "30m"

[[limits]]
category = "Video"

[[limits]]
category = "Vidoe"
daily = "1h"

[[limits]]
category = "Games"
app = "steam"
daily = "1h"

[[limits]]
category = "Video"
daily = "2h"

[[limits]]
category = "Video"
daily = "3h"
hourly = "1m"
"""
    settings, problems = parse_settings(text, FILE)
    assert [(p.line, p.key) for p in problems] == [
        (1, "limits.0"),
        (4, "limits.1"),
        (8, "limits.2.category"),
        (11, "limits.3"),
        (23, "limits.5.hourly"),
    ]
    assert "did you mean 'Video'" in problems[2].message
    assert settings.limits == (Limit(category="Video", daily=7200),)


def test_a_duplicate_limit_points_at_the_first() -> None:
    text = '[[limits]]\napp = "mpv"\ndaily = "1h"\n\n[[limits]]\napp = "mpv"\ndaily = "2h"\n'
    settings, problems = parse_settings(text, FILE)
    assert [(p.line, p.key) for p in problems] == [(5, "limits.1")]
    assert "line 1" in problems[0].message
    assert settings.limits == (Limit(app="mpv", daily=3600),)


def test_a_break_longer_than_its_interval_falls_back_to_the_defaults() -> None:
    settings, problems = parse_settings('[breaks.eyes]\nevery = "1m"\nduration = "2m"\n', FILE)
    assert [(p.line, p.key) for p in problems] == [(3, "breaks.eyes.duration")]
    assert settings.breaks.eyes == Breaks().eyes


def test_unknown_break_kinds_and_half_a_downtime_are_named() -> None:
    text = '[breaks.wrists]\nevery = "1h"\n\n[downtime]\nfrom = "22:00"\n'
    settings, problems = parse_settings(text, FILE)
    assert [(p.line, p.key) for p in problems] == [(1, "breaks.wrists"), (4, "downtime")]
    assert not settings.downtime.enabled


def test_downtime_lists_social_media_and_video_unless_told() -> None:
    settings, problems = parse_settings('[downtime]\nfrom = "21:30"\nto = "06:45"\n', FILE)
    assert problems == []
    assert settings.downtime == Downtime(time(21, 30), time(6, 45), ("Social media", "Video"))
