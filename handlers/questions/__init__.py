"""Questions: asking, routing, the lifecycle (claim, answer, close, reopen, forward),
categories, absences, retention, and the read models every adapter renders (cards, the
lists of my questions, the question form's choices)."""

from handlers.questions.absence_moves import MoveAll, move_all, parse_move_all
from handlers.questions.absences import absence_command
from handlers.questions.asking import MAX_TEXT, ask
from handlers.questions.cards import CardView, PersonRef, build_card, card_lines
from handlers.questions.categories import START_SET, manage_categories
from handlers.questions.handover import helped as answered_helped
from handlers.questions.handover import release
from handlers.questions.lifecycle import (
    answer,
    claim,
    close,
    close_answered_elsewhere,
    forward,
    load,
    mark_answered,
    reopen,
)
from handlers.questions.retention import purge_closed_questions
from handlers.questions.views import AskChoices, ask_choices, list_mine, question_lists, show

__all__ = [
    "MAX_TEXT",
    "START_SET",
    "AskChoices",
    "CardView",
    "MoveAll",
    "PersonRef",
    "absence_command",
    "answer",
    "answered_helped",
    "ask",
    "ask_choices",
    "build_card",
    "card_lines",
    "claim",
    "close",
    "close_answered_elsewhere",
    "forward",
    "list_mine",
    "load",
    "manage_categories",
    "mark_answered",
    "move_all",
    "parse_move_all",
    "purge_closed_questions",
    "question_lists",
    "release",
    "reopen",
    "show",
]
