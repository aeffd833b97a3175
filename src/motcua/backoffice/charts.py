"""Charts of the monitoring pages, drawn on the server as SVG by pygal: the page needs no
JavaScript and no network. Each chart comes with its figures as a table in the template
(the text alternative); the SVG itself is marked as one image with a label."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# The back office's colours (office.css): brand red, link blue, muted grey, amber.
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#d5dae0",
    opacity="0.9",
    opacity_hover="1",
    colors=("#0b4f9c", "#2e7d32", "#a3161a", "#b26a00", "#5b6470"),
    font_family='system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif',
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=11,
    tooltip_font_size=12,
)
# pygal writes its configuration for its optional interactive script into the SVG; nothing
# runs it here, so it goes.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _config(**kwargs: object) -> dict[str, object]:
    return {
        "style": _STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "print_values": False,
        "show_y_guides": True,
        "margin": 10,
        "margin_bottom": 34,
        "truncate_legend": -1,
        "truncate_label": -1,
        **kwargs,
    }


def _svg(chart: pygal.graph.graph.Graph) -> SafeString:
    # pygal builds the SVG with an XML library that escapes every label and value.
    return mark_safe(_SCRIPT.sub("", chart.render(is_unicode=True)))


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def trend_chart(
    labels: Sequence[str],
    received: Sequence[int],
    resolved: Sequence[int],
    *,
    received_label: str,
    resolved_label: str,
) -> SafeString:
    chart = pygal.Bar(**_config(width=720, height=300))
    chart.x_labels = list(labels)
    chart.add(received_label, list(received))
    chart.add(resolved_label, list(resolved))
    return _svg(chart)


def rate_chart(labels: Sequence[str], rates: Sequence[Decimal | None], *, label: str) -> SafeString:
    chart = pygal.Line(
        **_config(width=720, height=260, range=(0, 100), show_legend=True, dots_size=4)
    )
    chart.x_labels = list(labels)
    chart.add(label, [_number(r) for r in rates])
    return _svg(chart)


def ranking_chart(
    names: Sequence[str], rates: Sequence[Decimal | None], *, label: str
) -> SafeString:
    height = max(160, 28 * len(names) + 80)
    chart = pygal.HorizontalBar(
        **_config(width=720, height=height, range=(0, 100), show_legend=False)
    )
    chart.x_labels = list(names)
    chart.add(label, [_number(r) for r in rates])
    return _svg(chart)


def score_chart(
    names: Sequence[str],
    scores: Sequence[Decimal],
    maxima: Sequence[Decimal],
    *,
    score_label: str,
    max_label: str,
) -> SafeString:
    chart = pygal.HorizontalBar(**_config(width=720, height=max(180, 44 * len(names) + 80)))
    chart.x_labels = list(names)
    chart.add(score_label, [float(s) for s in scores])
    chart.add(max_label, [float(m) for m in maxima])
    return _svg(chart)
