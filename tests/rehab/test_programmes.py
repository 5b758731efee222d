"""Programme templates: shipped content and load-time validation."""

import copy
import json

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.rehab.library import default_library
from spinewise.rehab.programmes import default_templates, load_templates

TEMPLATES = default_templates()
LIB = default_library()

EXPECTED = {
    "acute_nonspecific_lbp",
    "chronic_lbp",
    "startback_medium",
    "startback_high",
    "post_microdiscectomy_0_6",
    "post_microdiscectomy_6_12",
}


def test_all_six_templates_ship():
    assert set(TEMPLATES) == EXPECTED


def test_every_template_cites_its_sources_and_red_flags():
    for template in TEMPLATES.values():
        assert template.sources, template.id
        assert any("cauda equina" in t for t in template.referral_triggers), template.id
        assert template.education and template.progression_rule


def test_stratified_pathways_cite_the_start_back_trial():
    for key in ("startback_medium", "startback_high"):
        citations = " ".join(s.citation for s in TEMPLATES[key].sources)
        assert "Hill JC" in citations and "Lancet 2011" in citations
    high = " ".join(s.citation for s in TEMPLATES["startback_high"].sources)
    assert "Main CJ" in high  # the psychologically informed intervention paper


def test_post_microdiscectomy_phases_follow_each_other():
    early, late = TEMPLATES["post_microdiscectomy_0_6"], TEMPLATES["post_microdiscectomy_6_12"]
    assert (early.week_offset, early.duration_weeks) == (0, 6)
    assert (late.week_offset, late.duration_weeks) == (6, 6)  # its week 1 is week 7 after surgery
    assert any("surgeon" in r for r in early.restrictions)
    assert early.milestones and late.milestones
    # no flexion stretches or loaded lifting in the first six weeks
    early_ids = {i.exercise_id for i in early.items}
    assert not early_ids & {"double_knee_to_chest", "standing_flexion", "kettlebell_deadlift"}


def test_items_for_week_and_dosage_defaults():
    acute = TEMPLATES["acute_nonspecific_lbp"]
    week1 = {i.exercise_id for i in acute.items_for_week(1)}
    week3 = {i.exercise_id for i in acute.items_for_week(3)}
    assert "walking_short_bouts" in week1 and "walking_short_bouts" not in week3
    assert "walking_continuous" in week3
    item = next(i for i in acute.items if i.exercise_id == "walking_continuous")
    dosage = acute.dosage(item)
    assert dosage.duration_min == 15  # set by the template
    assert dosage.sets == LIB.get("walking_continuous").dosage.sets  # exercise default
    assert dosage.sessions_per_week == acute.sessions_per_week
    with pytest.raises(InvalidInput):
        acute.items_for_week(7)


def _write(tmp_path, data):
    path = tmp_path / f"{data['id']}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def _base():
    return copy.deepcopy({"format": "spinewise.programme/1", **TEMPLATES["chronic_lbp"].to_dict()})


def test_a_copied_template_loads(tmp_path):
    loaded = load_templates(_write(tmp_path, _base()), LIB)
    assert loaded["chronic_lbp"].to_dict() == TEMPLATES["chronic_lbp"].to_dict()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["items"][0].update(exercise_id="moonwalk"), "unknown exercise 'moonwalk'"),
        (lambda d: d["items"][0].update(from_week=5, until_week=2), "from_week ≤ until_week"),
        (lambda d: d["items"][0].update(until_week=13), "until_week"),
        (lambda d: d.update(sources=[]), "cite at least one source"),
        (lambda d: d.update(items=d["items"][:1]), "has no exercises"),
        (lambda d: d.update(referral_triggers=[]), "referral_triggers"),
        (lambda d: d.update(colour="red"), "unknown field 'colour'"),
    ],
)
def test_invalid_templates_are_refused(tmp_path, mutate, message):
    data = _base()
    mutate(data)
    with pytest.raises(InvalidInput, match=message):
        load_templates(_write(tmp_path, data), LIB)
