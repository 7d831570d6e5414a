from reco_service.degraded_log import DegradedAnswerLog
from reco_service.tests.clock import FakeClock


def test_the_first_degraded_answer_is_logged_then_one_line_per_interval_with_a_count() -> None:
    clock = FakeClock()
    log = DegradedAnswerLog(every_sec=10.0, clock=clock)
    assert log.note(("core",)) == 1
    for step in range(1, 6):
        clock.now = step
        assert log.note(("core",)) is None
    clock.now = 10.0
    assert log.note(("core",)) == 6  # this one and the five not logged


def test_a_new_set_of_missing_sources_is_logged_at_once() -> None:
    clock = FakeClock()
    log = DegradedAnswerLog(every_sec=10.0, clock=clock)
    assert log.note(("core",)) == 1
    assert log.note(("core", "trending")) == 1
    assert log.note(("core",)) is None
