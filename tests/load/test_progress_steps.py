"""The steps of long jobs (graph.load.progress.step/reporting): silent unless someone listens,
one line per step off a terminal, one line redrawn on a terminal that keeps its time moving
during a long step and is cleared at the end."""

from __future__ import annotations

import io
import time

from diplograph.graph.load.progress import reporting, step


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_step_nobody_listens_to_is_a_no_op() -> None:
    step("anything")  # no listener: nothing to see, nothing raised


def test_off_a_terminal_one_line_per_step_and_only_when_enabled() -> None:
    out = io.StringIO()
    with reporting("job", enabled=False, stream=out):
        step("one")
    assert out.getvalue() == ""
    with reporting("job", enabled=True, stream=out):
        step("one")
        step("two")
    lines = out.getvalue().splitlines()
    assert [line.rsplit(" [", 1)[0] for line in lines] == ["job: one", "job: two"]
    assert all(line.endswith(" s]") for line in lines)
    step("after")  # the listener is gone with the block
    assert len(out.getvalue().splitlines()) == 2


def test_on_a_terminal_the_line_keeps_moving_and_is_cleared() -> None:
    out = Terminal()
    with reporting("job", enabled=True, stream=out, tick=0.01):
        step("a long step")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if out.getvalue().count("\rjob: a long step [") >= 3:
                break
            time.sleep(0.01)
    shown = out.getvalue()
    assert shown.count("\rjob: a long step [") >= 3  # redrawn by the ticker, not only by step
    assert "\n" not in shown
    assert shown.endswith("\r")  # cleared: blanks over the line, then back to its start
    assert shown.rstrip("\r").split("\r")[-1].strip() == ""
