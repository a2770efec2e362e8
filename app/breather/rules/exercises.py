"""One small suggestion per break: something kind to do with the eyes or the body.

Deliberately few and plain. Each break gets one, chosen by its number so a person sees them
in turn rather than the same one every time. Movement breaks lead away from the screen:
outside, to water, to another person. Breaks are worth taking for how they leave a person
feeling (more vigour, less fatigue, in studies of short breaks), and the time screens most
often take is time with people, so a break may as well give some back. The person's own
ideas (`ideas` in `[breaks.movement]` or `[breaks.eyes]`) join the turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from breather.rules.policy import BreakKind


@dataclass(frozen=True, slots=True)
class Exercise:
    title: str
    text: str


EYES = (
    Exercise(
        "Look far away",
        "Find something at least 6 metres away, out of a window if you can, and let your "
        "eyes rest on it.",
    ),
    Exercise(
        "Blink slowly",
        "Close your eyes gently, count to three, open them. Do it a few times.",
    ),
    Exercise(
        "Palming",
        "Rub your hands warm, cup them over your closed eyes and breathe out slowly.",
    ),
    Exercise(
        "Near and far",
        "Look at your thumb at arm's length, then at something far away. Swap a few times.",
    ),
)

MOVEMENT = (
    Exercise(
        "Stand and stretch",
        "Stand up, reach your arms high, then let them fall loose. Roll your shoulders back.",
    ),
    Exercise(
        "A short walk",
        "Walk to a window or get a glass of water. Let your eyes and shoulders soften.",
    ),
    Exercise(
        "Neck and shoulders",
        "Tilt your head slowly to each side, then draw a few easy circles with your shoulders.",
    ),
    Exercise(
        "Open your chest",
        "Clasp your hands behind your back, lift your chest and take three slow breaths.",
    ),
    Exercise(
        "Step outside",
        "Go outside for a few minutes, even just to the door. Daylight and a far horizon rest "
        "the eyes, and a little air changes the day.",
    ),
    Exercise(
        "Message or call someone",
        "Send a few words to someone you like, or call them. Time with people is what screens "
        "most often crowd out; a break can give some back.",
    ),
    Exercise(
        "Drink some water",
        "Fill a glass of water away from your desk and drink it slowly, looking out if you can.",
    ),
)

#: The heading of a suggestion the person wrote themselves.
OWN_IDEA = "Your idea"


def suggest(kind: BreakKind, number: int, ideas: tuple[str, ...] = ()) -> Exercise:
    """The suggestion for break number `number` of this kind; the person's own `ideas`
    take their turn with Breather's."""
    choices = (EYES if kind == "eyes" else MOVEMENT) + tuple(
        Exercise(OWN_IDEA, idea) for idea in ideas
    )
    return choices[number % len(choices)]
