"""Strategies for broken metadata tables: columns dropped, renamed or added, cells of the wrong
type, huge cells, spreadsheet formulas and script payloads, and byte-level damage."""

from __future__ import annotations

from hypothesis import strategies as st

FORMULA_CELLS = ("=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x.invalid\",\"x\")", "+1+1",
                 "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1")
SCRIPT_CELLS = ("<script>window.__lesionlab_xss=1</script>",
                "<img src=x onerror=\"window.__lesionlab_xss=2\">")
ODD_CELLS = ("", "NaN", "nan", "None", "-1", "1e309", "999", "abc", "0x10", "  ", "\x00",
             "\u202e", "😀", "male\nfemale", "\"", ",", "1,5")


def cell_values() -> st.SearchStrategy[str]:
    huge = st.builds(lambda char, count: char * count,
                     st.sampled_from("a9=<"), st.integers(min_value=10_000, max_value=300_000))
    return st.one_of(st.sampled_from(FORMULA_CELLS + SCRIPT_CELLS + ODD_CELLS),
                     st.text(max_size=24), huge)


def mutations(columns: tuple[str, ...], rows: int) -> st.SearchStrategy[list[tuple]]:
    """A list of 1-4 table changes, applied in order by `apply`."""
    column = st.sampled_from(columns)
    name = st.one_of(st.sampled_from([c.upper() for c in columns] + [c[:-1] for c in columns]
                                     + [c + " " for c in columns]), st.text(max_size=12))
    change = st.one_of(
        st.tuples(st.just("drop"), column),
        st.tuples(st.just("rename"), column, name),
        st.tuples(st.just("extra"), name, cell_values()),
        st.tuples(st.just("cell"), st.integers(0, rows - 1), column, cell_values()),
        st.tuples(st.just("cell"), st.integers(0, rows - 1), column, cell_values()),
    )
    return st.lists(change, min_size=1, max_size=4)


def apply(table, changes):
    """The table (a pandas DataFrame of text) after `changes`."""
    table = table.copy()
    for change in changes:
        kind = change[0]
        if kind == "drop" and change[1] in table:
            table = table.drop(columns=[change[1]])
        elif kind == "rename" and change[1] in table:
            table = table.rename(columns={change[1]: change[2]})
        elif kind == "extra":
            table[change[1]] = change[2]
        elif kind == "cell" and change[2] in table:
            table.loc[change[1], change[2]] = change[3]
    return table


def byte_damage() -> st.SearchStrategy[list[tuple]]:
    """Truncations, flipped bytes and inserted bytes, applied by `damage`."""
    edit = st.one_of(
        st.tuples(st.just("truncate"), st.floats(0, 1)),
        st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
        st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
    )
    return st.lists(edit, min_size=1, max_size=3)


def damage(data: bytes, edits) -> bytes:
    for edit in edits:
        at = int(edit[1] * len(data))
        if edit[0] == "truncate":
            data = data[:at]
        elif edit[0] == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ edit[2]]) + data[at + 1:]
        elif edit[0] == "insert":
            data = data[:at] + edit[2] + data[at:]
    return data
