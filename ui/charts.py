"""Plotly figures of the industry pages: a frame in, a figure out; every label from the databases escaped."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

CONFIG = {"displayModeBar": False}


def lines(df: pd.DataFrame, *, x: str, y: str, series: str, unit: str, y_title: str, legend: str) -> go.Figure:
    """One line per series (a county), years on the x axis."""
    fig = go.Figure([go.Scatter(x=g[x], y=g[y], name=html.escape(str(name)), mode="lines+markers",
                                hovertemplate="%{x}年:%{y:,d} " + unit + "<extra>" + html.escape(str(name)) + "</extra>")
                     for name, g in df.groupby(series, sort=False)])
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=14), xaxis=dict(dtick=1),
                      yaxis=dict(tickformat=",d", title=y_title), legend=dict(title=legend))
    return fig


def treemap(df: pd.DataFrame, *, parent: str, child: str, value: str, unit: str) -> go.Figure:
    """Categories and their members sized by value (e.g. specialty villages by category and industry)."""
    parents = df.groupby(parent)[value].sum()
    fig = go.Figure(go.Treemap(
        labels=[html.escape(str(p)) for p in parents.index] + [html.escape(str(c)) for c in df[child]],
        parents=[""] * len(parents) + [html.escape(str(p)) for p in df[parent]],
        values=list(parents) + list(df[value]), branchvalues="total",
        texttemplate="%{label}<br>%{value} " + unit, hovertemplate="%{label}:%{value} " + unit + "<extra></extra>"))
    fig.update_layout(height=420, margin=dict(l=4, r=4, t=4, b=4), font=dict(size=16))
    return fig


def stacked_bars(df: pd.DataFrame, *, name: str, parts: list[str], colours: list[str], unit: str) -> go.Figure:
    """Horizontal bars, one per row of df (its name column), stacked by the parts columns in order."""
    names = [html.escape(str(n)) for n in df[name]]
    fig = go.Figure([go.Bar(y=names, x=df[part], name=html.escape(part), orientation="h", marker_color=colour,
                            hovertemplate="%{y}:%{x:,d} " + unit + "<extra>" + html.escape(part) + "</extra>")
                     for part, colour in zip(parts, colours)])
    fig.update_layout(barmode="stack", height=80 + 30 * len(df), margin=dict(l=10, r=10, t=10, b=10),
                      font=dict(size=14), legend=dict(orientation="h"), yaxis=dict(autorange="reversed"),
                      xaxis=dict(tickformat=",d"))
    return fig


def rank_history(df: pd.DataFrame, *, y: str, own: str | None, y_title: str) -> go.Figure:
    """Each county's weekly rank (or total) as a line; the viewer's county in red and thick, the others grey
    unless no county is marked. Ranks run downwards from 1 at the top."""
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
               "#393b79"]
    traces = []
    for i, (code, g) in enumerate(df.groupby("county", sort=True)):
        name = html.escape(str(g["name"].iloc[0]))
        mine = code == own
        colour = "#d62728" if mine else ("#c8c8c8" if own else palette[i % len(palette)])
        traces.append(go.Scatter(x=g["week_end"], y=g[y], name=name, mode="lines", line=dict(
            color=colour, width=4 if mine else 1.5), hovertemplate="%{x|%Y-%m-%d}:%{y}<extra>" + name + "</extra>"))
    if own:  # the viewer's line on top
        traces.sort(key=lambda t: t.line.color == "#d62728")
    fig = go.Figure(traces)
    fig.update_layout(height=440, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=15), legend=dict(orientation="h"),
                      yaxis=dict(title=y_title, autorange="reversed" if y == "rank" else True,
                                 dtick=1 if y == "rank" else None))
    return fig
