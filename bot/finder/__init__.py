"""The guided permit finder: the decision tree in `data/finder.yml`, walked by the bot."""

from bot.finder.tree import (
    MAX_QUESTIONS,
    FinderError,
    FinderTree,
    Option,
    Question,
    Step,
    TreeProblem,
    choose,
    load_tree,
    match_option,
    validate_tree,
    walk,
)

__all__ = [
    "MAX_QUESTIONS",
    "FinderError",
    "FinderTree",
    "Option",
    "Question",
    "Step",
    "TreeProblem",
    "choose",
    "load_tree",
    "match_option",
    "validate_tree",
    "walk",
]
