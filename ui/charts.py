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
