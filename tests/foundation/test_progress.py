"""Long jobs written to a log still say how far they are, a line per tenth of the way."""

import io

from rich.console import Console

from engine.progress import progress_bar


def _logged_lines(console_is_terminal: bool, updates) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=console_is_terminal, width=200)
    with progress_bar(fields=("losses",), console=console) as bar:
        task = bar.add_task("training", total=200, losses="")
        for done in updates:
            bar.update(task, completed=done, losses=f"d_loss {done / 100:.2f}")
    return [line for line in out.getvalue().splitlines() if line.startswith("training:")]


def test_a_log_gets_one_line_per_tenth_with_the_fields():
    lines = _logged_lines(False, [1, 5, 20, 21, 39, 64, 200])
    assert [line.split(" (")[1].split(")")[0] for line in lines] == ["10%", "30%", "100%"]
    assert lines[0].startswith("training: 20/200 (10%) elapsed 0:00:00 eta ")
    assert lines[-1].endswith("eta 0:00:00 d_loss 2.00")


def test_a_terminal_gets_the_live_bar_only():
    assert _logged_lines(True, [20, 100, 200]) == []


def test_advance_is_logged_too():
    out = io.StringIO()
    console = Console(file=out, force_terminal=False)
    with progress_bar(console=console) as bar:
        task = bar.add_task("writing items", total=4)
        for _ in range(4):
            bar.advance(task)
    logged = [line for line in out.getvalue().splitlines() if line.startswith("writing items:")]
    assert [line.split(":")[1].split()[0] for line in logged] == ["1/4", "2/4", "3/4", "4/4"]
