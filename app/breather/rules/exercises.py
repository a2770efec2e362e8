"""One small suggestion per break: something kind to do with the eyes or the body.

Deliberately few and plain. Each break gets one, chosen by its number so a person sees them
in turn rather than the same one every time.
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
)


def suggest(kind: BreakKind, number: int) -> Exercise:
    """The suggestion for break number `number` of this kind."""
    choices = EYES if kind == "eyes" else MOVEMENT
    return choices[number % len(choices)]
