"""Rule-based recommendations that explain themselves from the summaries.

Each rule reads daily summaries (``summary.daily_summaries``), fires only when its evidence
is strong enough, and returns the numbers it used (``evidence``) and a sentence saying why
(``because``), so a patient or clinician can check it. The thresholds are this project's
defaults, chosen to avoid nagging; none is a clinical cut-off. Sources for the advice:

- ISO 11226:2000 — trunk inclination above 60° is "not recommended".
- NICE NG59 (2016, updated 2020), Low back pain and sciatica in over 16s: encourage
  people to continue normal activities and consider exercise.
- Buckley JP et al. (2015) The sedentary office: an expert statement. Br J Sports Med
  49:1357–1362 — break up prolonged sitting with standing and light activity.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from spinewise.posture.summary import DailySummary, weekly_summary

MIN_FLEXED_S_FOR_TIMING = 1800.0  # at least 30 min of flexed posture before naming a window
TIMING_SHARE = 0.35  # the 2-hour window must hold this share of the flexed time
MIN_ALERTS = 5
IGNORED_SHARE = 0.6
SEVERE_S_PER_DAY = 600.0
LONG_STATIC_S = 3600.0
LOW_WALKING_S_PER_DAY = 1800.0
MIN_WEAR_S_PER_DAY = 4 * 3600.0
IMPROVEMENT_RATIO = 0.8


@dataclass(frozen=True)
class Recommendation:
    code: str
    message: str
    because: str
    evidence: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _hhmm(hour: int, minute: int = 0) -> str:
    return f"{hour % 24:02d}:{minute:02d}"


def recommend(days: list[DailySummary], *, dismissed_alerts: int = 0) -> list[Recommendation]:
    """Recommendations for a period (typically one week of daily summaries).

    ``dismissed_alerts``: alerts the wearer dismissed in the app (known to the service, not
    to the signal); counted with escalated alerts as "ignored".
    """
    if not days:
        return []
    out: list[Recommendation] = []
    week = weekly_summary(days)
    n_days = len(days)
    wear_per_day = week.wear_s / n_days

    if wear_per_day < MIN_WEAR_S_PER_DAY:
        out.append(
            Recommendation(
                "short_wear",
                "Wear the sensor longer: the summary may not represent your usual day.",
                f"The sensor was worn {wear_per_day / 3600:.1f} h a day on average "
                f"(less than {MIN_WEAR_S_PER_DAY / 3600:.0f} h).",
                {"wear_h_per_day": round(wear_per_day / 3600, 2)},
            )
        )

    flexed_total = sum(week.flexed_s_by_hour)
    if flexed_total >= MIN_FLEXED_S_FOR_TIMING:
        by_hour = week.flexed_s_by_hour
        best = max(range(24), key=lambda h: by_hour[h] + by_hour[(h + 1) % 24])
        window_s = by_hour[best] + by_hour[(best + 1) % 24]
        share = window_s / flexed_total
        if share >= TIMING_SHARE:
            out.append(
                Recommendation(
                    "movement_break",
                    f"Most flexed sitting happens {_hhmm(best)}–{_hhmm(best + 2)}: "
                    f"plan a movement break at {_hhmm(best - 1, 45)}.",
                    f"{share:.0%} of your {flexed_total / 3600:.1f} h of flexed posture fell "
                    f"between {_hhmm(best)} and {_hhmm(best + 2)}.",
                    {
                        "window_start_hour": best,
                        "share": round(share, 3),
                        "flexed_h": round(flexed_total / 3600, 2),
                    },
                    "Buckley et al. 2015, Br J Sports Med 49:1357",
                )
            )

    ignored = week.alerts_escalated + dismissed_alerts
    if week.alerts >= MIN_ALERTS and ignored / week.alerts >= IGNORED_SHARE:
        out.append(
            Recommendation(
                "alerts_ignored",
                "Alerts are mostly ignored: recalibrate the sensor, or review the threshold "
                "with your physiotherapist.",
                f"{ignored} of {week.alerts} alerts were followed by the same posture "
                "(escalated) or dismissed.",
                {
                    "alerts": week.alerts,
                    "escalated": week.alerts_escalated,
                    "dismissed": dismissed_alerts,
                },
            )
        )

    severe_per_day = week.severe_s / n_days
    if severe_per_day >= SEVERE_S_PER_DAY:
        out.append(
            Recommendation(
                "severe_flexion",
                "Review bending and lifting with your physiotherapist (bend at the hips and "
                "knees, bring the load close).",
                f"You spent {severe_per_day / 60:.0f} min a day bent beyond the severe threshold.",
                {"severe_min_per_day": round(severe_per_day / 60, 1)},
                "ISO 11226:2000 (trunk inclination > 60° not recommended)",
            )
        )

    longest = max(d.longest_static_s for d in days)
    if longest >= LONG_STATIC_S:
        out.append(
            Recommendation(
                "long_static",
                "Break up long sitting: stand up and move for a few minutes at least every "
                "30–60 minutes.",
                f"Your longest stretch without walking lasted {longest / 60:.0f} min.",
                {"longest_static_min": round(longest / 60, 1)},
                "Buckley et al. 2015, Br J Sports Med 49:1357",
            )
        )

    worn = [d for d in days if d.wear_s >= MIN_WEAR_S_PER_DAY]
    if worn:
        walking = sum(d.walking_s for d in worn) / len(worn)
        if walking < LOW_WALKING_S_PER_DAY:
            out.append(
                Recommendation(
                    "low_walking",
                    "Try to walk more: staying active is first-line advice for low back pain.",
                    f"You walked {walking / 60:.0f} min a day on average on days with enough "
                    "wear time.",
                    {"walking_min_per_day": round(walking / 60, 1)},
                    "NICE NG59 (2016, updated 2020)",
                )
            )

    first, second = week.flexed_share_first_half, week.flexed_share_second_half
    if first and second is not None and second <= IMPROVEMENT_RATIO * first:
        out.append(
            Recommendation(
                "improving",
                "Your posture is improving: keep going.",
                f"Flexed time fell from {first:.0%} to {second:.0%} of wear time between the "
                "first and second half of the period.",
                {"first_half_share": round(first, 3), "second_half_share": round(second, 3)},
            )
        )
    return out
