"""Charts that do not mislead (issue 17 item 6), as a library rule tested on every chart the
toolkit makes: bars start at zero; a value axis that leaves zero out says so on the axis and in
the description.  ``hwb.toolkit.charts.chart`` refuses a chart that breaks the rule, so every
chart of every appendix built has kept it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from hwb.stats import overdispersed_funnel, xmr  # noqa: E402
from hwb.toolkit import change_chart, charts, spc_chart  # noqa: E402
from hwb.toolkit.charts import baseline_problems  # noqa: E402


@pytest.fixture(autouse=True)
def _close() -> None:
    yield
    plt.close("all")


def test_bars_from_7000_are_refused() -> None:
    """The BCF non-elective plan chart of issue 17: bars of 7,000-7,400 on an axis from 6,900
    make a 3% seasonal pattern look like a collapse."""
    fig, ax = plt.subplots()
    ax.bar(range(4), [7000, 7400, 7100, 7300])
    ax.set_ylim(6900, 7500)
    assert baseline_problems(fig, "Bar chart") == [
        "bars on chart axes 1 do not start at zero (the y axis runs from 6,900 to 7,500)"]
    with pytest.raises(ValueError, match="chart 'Plan': bars on chart axes 1 do not start"):
        charts.chart(fig, "Plan", "test", "Bar chart of the plan")


def test_bars_from_zero_horizontal_and_log() -> None:
    fig, ax = plt.subplots()
    ax.bar(range(3), [5, 9, 3])  # matplotlib's own limits include zero for positive bars
    assert baseline_problems(fig, "Bars") == []
    fig, ax = plt.subplots()
    ax.barh(range(3), [50, 90, 30])
    ax.set_xlim(20, 100)
    assert baseline_problems(fig, "Bars")[0].startswith("bars on chart axes 1 do not start at "
                                                        "zero (the x axis runs from 20.00")
    fig, ax = plt.subplots()
    ax.bar(range(3), [50, 900, 30])
    ax.set_yscale("log")
    assert "log scale" in baseline_problems(fig, "Bars")[0]


def test_a_line_off_zero_must_say_so_on_the_axis_and_in_the_description() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [9.1, 10.4, 11.0])
    ax.set_ylabel("days per 100,000")
    assert len(baseline_problems(fig, "Line chart rising from 9.1 to 11.0.")) == 2
    ax.set_ylabel("days per 100,000" + charts.NOT_ZERO)
    only_alt = baseline_problems(fig, "Line chart rising from 9.1 to 11.0.")
    assert len(only_alt) == 1 and "the description does not say" in only_alt[0]
    assert baseline_problems(fig, "Line chart rising from 9.1 to 11.0; the vertical axis does "
                                  "not start at zero.") == []
    ax.set_ylim(bottom=0)
    ax.set_ylabel("days per 100,000")
    assert baseline_problems(fig, "Line chart rising from 9.1 to 11.0.") == []


def test_negative_values_include_zero() -> None:
    """A change chart of falls and rises spans zero; an axis wholly below zero leaves it out."""
    fig, ax = plt.subplots()
    ax.plot([1, 2], [-5.0, 3.0])
    assert baseline_problems(fig, "Line") == []
    ax.set_ylim(-9, -1)
    assert len(baseline_problems(fig, "Line")) == 2


VALUES = [10, 12, 11, 13, 12, 11, 14, 12, 13, 30, 12, 11, 13]


@pytest.mark.parametrize("start_at_zero", [True, False])
def test_every_spc_chart_keeps_the_rule(start_at_zero: bool) -> None:
    f, s = xmr(VALUES, improvement="decrease", target=12)
    fig = spc_chart.spc_chart(f, s, "Delayed days", "days", start_at_zero=start_at_zero)
    alt = spc_chart.describe_spc(f, s, "delayed days", start_at_zero=start_at_zero)
    assert baseline_problems(fig, alt) == []
    assert ("does not start at zero" in alt) is (not start_at_zero)


def test_every_funnel_chart_keeps_the_rule() -> None:
    f, r = overdispersed_funnel([100, 120, 90, 400, 150, 80], [100, 110, 95, 120, 140, 90])
    fig = spc_chart.funnel_chart(f, r, "Ratios", "ratio")
    assert baseline_problems(fig, spc_chart.describe_funnel(f, r, "6 areas")) == []


def test_every_change_chart_keeps_the_rule() -> None:
    rng = np.random.default_rng(1)
    pct = np.sort(rng.normal(-5, 10, 40))
    change = pd.DataFrame({"area_code": [f"E{i:08d}" for i in range(40)],
                           "area_name": [f"Area {i}" for i in range(40)], "pct_change": pct,
                           "comparator_pct_change": [-2.0] * 40, "rank": range(1, 41)})
    fig, alt = change_chart.national_chart(change, "E00000003", "Area 3", "England",
                                           "2011/12", "2015/16")
    assert baseline_problems(fig, alt) == []
