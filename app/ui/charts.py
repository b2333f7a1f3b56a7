"""Plotly figures for results and analytics, built from plain numbers the engine returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

ACCENT = "#0f766e"
MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


def _layout(figure: go.Figure, *, title: str, height: int = 340) -> go.Figure:
    figure.update_layout(title=title, height=height, margin=MARGIN, template="plotly_white")
    return figure


def confusion_heatmap(
    *, labels: Sequence[str], matrix: Sequence[Sequence[int]], title: str, truth_axis: str,
    answer_axis: str,
) -> go.Figure:
    """Rows: true class; columns: the trainee's answer. Counts written in each cell."""
    figure = go.Figure(go.Heatmap(
        z=matrix, x=list(labels), y=list(labels), colorscale="Teal", showscale=False,
        text=matrix, texttemplate="%{text}", hovertemplate="%{y} → %{x}: %{z}<extra></extra>",
    ))
    figure.update_yaxes(title=truth_axis, autorange="reversed")
    figure.update_xaxes(title=answer_axis, side="top")
    return _layout(figure, title=title, height=380)


def bar_chart(
    *, values: Mapping[str, float | None], title: str, axis: str, percent: bool = True,
) -> go.Figure:
    """One bar per category (class, severity); missing values are left out."""
    shown = {name: value for name, value in values.items() if value is not None}
    figure = go.Figure(go.Bar(
        x=list(shown), y=list(shown.values()), marker_color=ACCENT,
        texttemplate="%{y:.0%}" if percent else "%{y}", textposition="outside",
    ))
    figure.update_yaxes(title=axis, range=[0, 1.1] if percent else None,
                        tickformat=".0%" if percent else None)
    return _layout(figure, title=title)


def learning_curve(
    *, attempts: Sequence[int], accuracy: Sequence[float], balanced: Sequence[float],
    title: str, axis: str, accuracy_name: str, balanced_name: str,
) -> go.Figure:
    """Accuracy and balanced accuracy over successive attempts."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=list(attempts), y=list(accuracy), mode="lines+markers",
                                name=accuracy_name, line={"color": ACCENT}))
    figure.add_trace(go.Scatter(x=list(attempts), y=list(balanced), mode="lines+markers",
                                name=balanced_name, line={"color": "#b45309", "dash": "dot"}))
    figure.update_yaxes(range=[0, 1.05], tickformat=".0%")
    figure.update_xaxes(title=axis, dtick=1)
    return _layout(figure, title=title)


def probability_bars(*, probabilities: Mapping[str, float], title: str) -> go.Figure:
    """The auditor's class probabilities, highest first, as a horizontal bar chart."""
    ordered = sorted(probabilities.items(), key=lambda pair: pair[1])
    figure = go.Figure(go.Bar(
        x=[value for _, value in ordered], y=[name for name, _ in ordered], orientation="h",
        marker_color=ACCENT, texttemplate="%{x:.0%}", textposition="outside",
    ))
    figure.update_xaxes(range=[0, 1.15], tickformat=".0%")
    return _layout(figure, title=title, height=60 + 32 * len(ordered))


def grouped_bars(
    *, groups: Mapping[str, Mapping[str, float | None]], title: str, axis: str
) -> go.Figure:
    """One bar group per category, one bar per series (model, floor); shares on the y axis."""
    figure = go.Figure()
    for name, values in groups.items():
        figure.add_trace(go.Bar(name=name, x=list(values), y=list(values.values())))
    figure.update_layout(barmode="group")
    figure.update_yaxes(title=axis, range=[0, 1.05], tickformat=".0%")
    return _layout(figure, title=title, height=380)
