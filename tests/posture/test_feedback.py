"""Episodes need the holding time; alerts respect the cooldown and escalate when ignored."""

from __future__ import annotations

import numpy as np

from spinewise.posture.config import FeedbackRules, ZoneThresholds
from spinewise.posture.feedback import FeedbackTracker

FRAME_NS = 100_000_000  # 0.1 s frames


def run(zones: list[int], rules: FeedbackRules) -> tuple[list, list]:
    z = np.array(zones, dtype=np.int8)
    n = z.size
    t_end = (np.arange(n) + 1) * 0.1
    dur = np.full(n, FRAME_NS, dtype=np.int64)
    flex = np.where(z == 2, 70.0, np.where(z == 1, 30.0, 5.0))
    tracker = FeedbackTracker(rules, ZoneThresholds())
    episodes, alerts = tracker.push(t_end, dur, np.zeros(n, bool), z, flex)
    return episodes + tracker.flush(), alerts


RULES = FeedbackRules(flexed_hold_s=60, severe_hold_s=4, cooldown_s=20, escalate_after_s=10)


def test_severe_held_3_s_is_no_episode_but_5_s_is_one_alert_at_4_s() -> None:
    episodes, alerts = run([0] * 10 + [2] * 30 + [0] * 10, RULES)
    assert episodes == [] and alerts == []
    episodes, alerts = run([0] * 10 + [2] * 50 + [0] * 10, RULES)
    severe = [e for e in episodes if e.zone == "severe"]
    assert len(severe) == 1
    assert severe[0].start_s == 1.0 and severe[0].end_s == 6.0  # frames 11..60 cover 1.0–6.0 s
    assert [(a.reason, round(a.t_s, 6)) for a in alerts] == [("severe_held", 5.0)]  # 1.0 + 4 s


def test_an_ignored_alert_escalates_every_10_s_up_to_level_3() -> None:
    _, alerts = run([2] * 400, RULES)  # severe for 40 s
    severe = [a for a in alerts if a.zone == "severe"]
    # First at 4 s, then 14 s and 24 s (levels 2 and 3), then silence.
    assert [(round(a.t_s, 6), a.level) for a in severe] == [(4.0, 1), (14.0, 2), (24.0, 3)]
    assert severe[1].reason == "severe_held_escalated"


def test_cooldown_delays_the_next_first_level_alert() -> None:
    # Two 5-s severe runs 6 s apart: the second would alert at 15 s, but the first alert was
    # at 4 s and the cooldown is 20 s, and the second run ends at 16 s: no second alert.
    _, alerts = run([2] * 50 + [0] * 60 + [2] * 50, RULES)
    assert [round(a.t_s, 6) for a in alerts if a.zone == "severe"] == [4.0]


def test_flexed_episode_includes_severe_excursions() -> None:
    zones = [1] * 300 + [2] * 50 + [1] * 400  # 75 s at ≥ 20°, with 5 s beyond 60°
    episodes, _ = run(zones, RULES)
    kinds = sorted((e.zone, round(e.duration_s, 6)) for e in episodes)
    assert kinds == [("flexed", 75.0), ("severe", 5.0)]
