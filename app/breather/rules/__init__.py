"""The boundary engine: breaks, limits, downtime and intention prompts. Pure Python, no Qt.

`evaluate(policy, state, observation, usage)` turns what the person is doing into prompts to
show, records to store and the next deadline; `answer(...)` applies their reply. The caller
(`breather.runtime.coordinator`) owns the one timer and every bit of I/O. Imports only
`breather.tracking` beneath it.
"""

from __future__ import annotations

from breather.rules.engine import RulesState, answer, evaluate, take_break_now
from breather.rules.exercises import Exercise
from breather.rules.model import (
    INTENTIONS,
    Action,
    Answer,
    BreakFinished,
    BreakPrompt,
    Choice,
    DowntimePrompt,
    Evaluation,
    Focus,
    IntentionPrompt,
    LimitPrompt,
    Observation,
    Outcome,
    Record,
    Usage,
    Withdraw,
)
from breather.rules.policy import BreakRule, Breaks, Downtime, Intention, Limit, Policy
from breather.rules.usage import Categorize, UsageMeter, no_categories

__all__ = [
    "INTENTIONS",
    "Action",
    "Answer",
    "BreakFinished",
    "BreakPrompt",
    "BreakRule",
    "Breaks",
    "Categorize",
    "Choice",
    "Downtime",
    "DowntimePrompt",
    "Evaluation",
    "Exercise",
    "Focus",
    "Intention",
    "IntentionPrompt",
    "Limit",
    "LimitPrompt",
    "Observation",
    "Outcome",
    "Policy",
    "Record",
    "RulesState",
    "Usage",
    "UsageMeter",
    "Withdraw",
    "answer",
    "evaluate",
    "no_categories",
    "take_break_now",
]
