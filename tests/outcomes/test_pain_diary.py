"""Daily pain diary: entry validation, ISO-week summaries, pain spikes."""

import datetime as dt

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.pain_diary import PainDiaryEntry, pain_spikes, weekly_summary


def day(n: int) -> dt.date:
    return dt.date(2025, 3, 3) + dt.timedelta(days=n)  # day 0 is Monday 3 March 2025


def test_entries_round_trip_through_json_like_dicts():
    entry = PainDiaryEntry.from_dict(
        {"day": "2025-03-04", "back_pain": 4, "leg_pain": 2, "sleep_disturbed": True, "note": "ok"}
    )
    assert entry.day == dt.date(2025, 3, 4)
    assert PainDiaryEntry.from_dict(entry.to_dict()) == entry


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"day": "2025-03-04"}, "back_pain"),
        ({"day": "2025-03-04", "back_pain": 11}, "back_pain"),
        ({"day": "04/03/2025", "back_pain": 3}, "day"),
        ({"day": "2025-03-04", "back_pain": 3, "leg_pain": -1}, "leg_pain"),
        ({"day": "2025-03-04", "back_pain": 3, "sleep_disturbed": "yes"}, "sleep_disturbed"),
        ({"day": "2025-03-04", "back_pain": 3, "activity_min": 2000}, "activity_min"),
        ({"day": "2025-03-04", "back_pain": 3, "mood": 5}, "mood"),
    ],
)
def test_invalid_entries_name_the_field(data, field):
    with pytest.raises(InvalidInput) as err:
        PainDiaryEntry.from_dict(data)
    assert err.value.field == field


def test_weekly_summary_groups_by_iso_week():
    entries = [
        PainDiaryEntry(day(0), 4, leg_pain=2, sleep_disturbed=True),
        PainDiaryEntry(day(1), 6),
        PainDiaryEntry(day(2), 5, leg_pain=4),
        PainDiaryEntry(day(7), 3),  # the next Monday → ISO week 11
    ]
    first, second = weekly_summary(entries)
    assert first.label == "2025-W10"
    assert first.days_logged == 3
    assert first.back_pain_mean == pytest.approx(5.0)  # (4 + 6 + 5) / 3
    assert first.back_pain_max == 6
    assert first.leg_pain_mean == pytest.approx(3.0)  # (2 + 4) / 2
    assert first.nights_disturbed == 1
    assert (second.label, second.days_logged, second.leg_pain_mean) == ("2025-W11", 1, None)


def test_two_entries_on_one_day_are_refused():
    with pytest.raises(InvalidInput, match="two diary entries"):
        weekly_summary([PainDiaryEntry(day(0), 3), PainDiaryEntry(day(0), 4)])


def test_a_spike_is_two_points_above_the_previous_week_mean():
    # Days 0–3 rate 3, 4, 3, 4 (mean 3.5). Day 4 at 5 is +1.5 → no spike;
    # day 5 at 6: window days 0–4 mean (3+4+3+4+5)/5 = 3.8, +2.2 → spike.
    ratings = [3, 4, 3, 4, 5, 6]
    spikes = pain_spikes([PainDiaryEntry(day(i), r) for i, r in enumerate(ratings)])
    assert [s.day for s in spikes] == [day(5)]
    assert spikes[0].previous_mean == pytest.approx(3.8)


def test_no_spike_without_three_days_of_history():
    entries = [PainDiaryEntry(day(0), 1), PainDiaryEntry(day(1), 1), PainDiaryEntry(day(2), 9)]
    assert pain_spikes(entries) == []


def test_the_window_only_looks_back_seven_days():
    # Three 8s long ago do not count; three 2s in the last week do: 5 - 2 = 3 → spike.
    entries = [PainDiaryEntry(day(i), 8) for i in range(3)]
    entries += [PainDiaryEntry(day(20 + i), 2) for i in range(3)]
    entries.append(PainDiaryEntry(day(24), 5))
    assert [s.day for s in pain_spikes(entries)] == [day(24)]
