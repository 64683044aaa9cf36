"""The turn profile: py-spy's collapsed stacks counted into the parts of a turn."""

from __future__ import annotations

from tools.bench.profile import PARTS, shares
from tools.bench.report import PROFILE_PARTS

VALIDATE = "_validate_action_result (connectors/rasa_runtime.py)"
ACTION = "run (rasa/core/actions/action.py)"
SAVE = "save (rasa/core/tracker_store.py)"
PARSE = "parse_message (rasa/core/processor.py)"


def test_a_sample_counts_towards_every_part_whose_frames_it_holds():
    collapsed = [
        f"MainThread;handle_message (rasa/core/processor.py);{ACTION};{VALIDATE} 30",
        f"MainThread;handle_message (rasa/core/processor.py);{SAVE} 50",
        f"MainThread;{PARSE};predict (rasa/nlu/classifiers/diet_classifier.py) 20",
        "",
        "garbage line without a count",
    ]
    total, parts = shares(collapsed)
    assert total == 100
    assert parts["validation"] == 30.0 and parts["tracker_save"] == 50.0 and parts["nlu"] == 20.0
    assert parts["tracker_retrieve"] == 0.0 and parts["policy"] == 0.0


def test_a_function_of_the_same_name_elsewhere_is_not_counted():
    _, parts = shares(["MainThread;save (bot/db/models.py) 10", f"MainThread;{SAVE} 10"])
    assert parts["tracker_save"] == 50.0


def test_no_samples_give_zero_shares_not_an_error():
    assert shares([]) == (0, dict.fromkeys(PARTS, 0.0))


def test_the_report_names_every_part_the_profile_counts():
    assert list(PARTS) == list(PROFILE_PARTS)
