"""Pure prescription rules: items validated against the library, template dosages resolved,
programme weeks, session status from exercise results, and video type sniffing."""

from __future__ import annotations

import datetime as dt

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.rehab.library import default_library
from spinewise.rehab.prescription import (
    ExerciseResult,
    PrescribedItem,
    items_from_template,
    parse_items,
    programme_week,
    session_status,
)
from spinewise.rehab.programmes import default_templates
from spinewise.rehab.video import check_video, sniff_video_type


def test_missing_dosage_takes_the_exercise_default() -> None:
    default = default_library().get("glute_bridge").dosage
    (item,) = parse_items([{"exercise_id": "glute_bridge", "reps": 12}], duration_weeks=4)
    assert item.reps == 12
    assert (item.sets, item.hold_s, item.rest_s, item.per_side) == (
        default.sets,
        default.hold_s,
        default.rest_s,
        default.per_side,
    )
    assert (item.from_week, item.until_week) == (1, 4)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"exercise_id": "glute_bridge", "sets": 0}, "items[0].sets"),
        ({"exercise_id": "glute_bridge", "reps": 101}, "items[0].reps"),
        ({"exercise_id": "glute_bridge", "reps": 2.5}, "items[0].reps"),
        ({"exercise_id": "glute_bridge", "until_week": 9}, "items[0].until_week"),
        ({"exercise_id": "nope"}, "items[0].exercise_id"),
    ],
)
def test_items_outside_the_library_ranges_are_refused(raw: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_items([raw], duration_weeks=6)
    assert error.value.field == field


def test_every_week_needs_an_exercise() -> None:
    with pytest.raises(InvalidInput, match="week 3 has no exercise"):
        parse_items([{"exercise_id": "glute_bridge", "until_week": 2}], duration_weeks=3)


def test_template_items_resolve_to_full_dosages() -> None:
    template = default_templates()["post_microdiscectomy_0_6"]
    items = items_from_template(template)
    assert [i.exercise_id for i in items] == [i.exercise_id for i in template.items]
    for item, raw in zip(items, template.items, strict=True):
        assert item.reps or item.hold_s or item.duration_min
        assert (item.from_week, item.until_week) == (raw.from_week, raw.until_week)
    # And they pass the same validation as a clinician's own items.
    assert parse_items([i.to_dict() for i in items], duration_weeks=6) == items


def test_programme_weeks_count_seven_days_from_the_start() -> None:
    start = dt.date(2026, 3, 4)  # a Wednesday
    assert programme_week(start, start - dt.timedelta(days=1)) == 0
    assert programme_week(start, start) == 1
    assert programme_week(start, start + dt.timedelta(days=6)) == 1
    assert programme_week(start, start + dt.timedelta(days=7)) == 2


def _result(status: str) -> ExerciseResult:
    return ExerciseResult.from_dict({"exercise_id": "x", "status": status})


def test_a_session_is_completed_partial_or_skipped_by_its_exercises() -> None:
    assert session_status([_result("done"), _result("done")]) == "completed"
    assert session_status([_result("done"), _result("skipped")]) == "partial"
    assert session_status([_result("partial")]) == "partial"
    assert session_status([_result("skipped"), _result("skipped")]) == "skipped"
    with pytest.raises(InvalidInput):
        session_status([])


def test_a_result_checks_pain_and_difficulty() -> None:
    with pytest.raises(InvalidInput):
        ExerciseResult.from_dict({"exercise_id": "x", "status": "done", "pain_during": 11})
    with pytest.raises(InvalidInput):
        ExerciseResult.from_dict({"exercise_id": "x", "status": "done", "difficulty": "meh"})
    with pytest.raises(InvalidInput):
        ExerciseResult.from_dict({"exercise_id": "x", "status": "finished"})


def test_the_dose_reads_like_a_prescription() -> None:
    base = {"hold_s": None, "duration_min": None, "rest_s": 30, "from_week": 1, "until_week": 1}
    assert PrescribedItem("a", sets=3, reps=10, per_side=True, **base).dose_text() == (
        "3 × 10 reps each side"
    )
    walk = {**base, "duration_min": 20}
    assert PrescribedItem("w", sets=None, reps=None, per_side=False, **walk).dose_text() == "20 min"
    hold = {**base, "hold_s": 30}
    assert PrescribedItem("h", sets=2, reps=None, per_side=True, **hold).dose_text() == (
        "2 × each side, hold 30 s"
    )


# --- video types (ISO/IEC 14496-12 ftyp box; EBML magic with DocType webm) ----------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"\x00\x00\x00\x20ftypmp42\x00\x00\x00\x00", "video/mp4"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", None),  # QuickTime: not played everywhere
        (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska", None),  # Matroska but not WebM
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d", None),
        (b"", None),
    ],
)
def test_video_types_are_sniffed_from_their_first_bytes(head: bytes, kind: str | None) -> None:
    assert sniff_video_type(head) == kind


def test_video_size_limits() -> None:
    head = b"\x00\x00\x00\x18ftypisom"
    assert check_video(head, 1000, max_bytes=1000) == "video/mp4"
    with pytest.raises(InvalidInput, match="at most"):
        check_video(head, 1001, max_bytes=1000)
    with pytest.raises(InvalidInput, match="empty"):
        check_video(head, 0)
