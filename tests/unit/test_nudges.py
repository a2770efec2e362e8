"""Break suggestions lead away from the screen, and the person's own ideas take their turn."""

from __future__ import annotations

from pathlib import Path

from breather.rules.exercises import MOVEMENT, OWN_IDEA, suggest
from breather.settings.model import parse_settings

FILE = Path("breather.toml")


def test_movement_breaks_suggest_going_outside_water_and_people() -> None:
    titles = {exercise.title for exercise in MOVEMENT}
    assert {"Step outside", "Drink some water", "Message or call someone"} <= titles


def test_own_ideas_from_the_settings_are_offered_in_turn() -> None:
    settings, problems = parse_settings(
        '[breaks.movement]\nideas = ["Water the plants", "  ", "Play one song on the guitar"]\n',
        FILE,
    )
    assert problems == []
    ideas = settings.breaks.movement.ideas
    assert ideas == ("Water the plants", "Play one song on the guitar")
    offered = [suggest("movement", number, ideas) for number in range(len(MOVEMENT) + 2)]
    own = [exercise for exercise in offered if exercise.title == OWN_IDEA]
    assert [exercise.text for exercise in own] == list(ideas)
    assert len({exercise.text for exercise in offered}) == len(offered)  # each in turn


def test_a_bad_idea_list_names_its_line_and_key_and_keeps_the_rest() -> None:
    settings, problems = parse_settings('[breaks.movement]\nevery = "50m"\nideas = "walk"\n', FILE)
    assert [str(p) for p in problems] == [
        "breather.toml:3: breaks.movement.ideas: write a list of ideas, like "
        '["Water the plants", "Call Mum"]'
    ]
    assert settings.breaks.movement.every == 50 * 60
    assert settings.breaks.movement.ideas == ()
