"""The drug library: format validation and the packaged default library's provenance."""

from __future__ import annotations

import copy
import hashlib
from importlib import resources
from typing import Any

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.dosing.library import (
    VERIFY_NOTE,
    default_library,
    library_fingerprint,
    library_from_dict,
    load_library,
)

from .conftest import SYNTHETIC_LIBRARY

# The default library is clinical data: it must never change silently. When you edit it on
# purpose (new source, corrected figure), bump its "version", say why in the commit and
# update this pin.
DEFAULT_LIBRARY_SHA256 = "c76c6c9af65fbbe78b5d5e2463c2085ee55dfc8ac7e711f3be65c885584ae598"

LIMIT_FIELDS = (
    "max_concentration",
    "daily_dose_soft_max",
    "daily_dose_hard_max",
    "max_daily_increase_pct",
    "bolus_dose_hard_max",
    "bolus_min_lockout_min",
    "bolus_max_per_day",
    "pk.half_life_h",
    "pk.volume_ml",
)


def test_default_library_file_is_unchanged() -> None:
    raw = resources.files("spinewise.dosing").joinpath("data", "drug_library.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == DEFAULT_LIBRARY_SHA256


def test_default_library_has_the_intrathecal_pain_drugs() -> None:
    library = default_library()
    assert set(library.drugs) == {
        "morphine",
        "hydromorphone",
        "ziconotide",
        "fentanyl",
        "bupivacaine",
        "clonidine",
        "baclofen",
    }


def test_every_default_figure_cites_a_known_source_and_says_verify() -> None:
    library = default_library()
    assert library.status == VERIFY_NOTE
    for name, entry in library.drugs.items():
        assert entry.status == VERIFY_NOTE, name
        assert set(entry.sources) == set(LIMIT_FIELDS), name
        for field, citation in entry.sources.items():
            key = citation.split(":")[0]
            assert key in library.references, f"{name}.{field} cites unknown {key!r}"
    for field in ("min_rate_ml_per_day", "max_rate_ml_per_day", "low_reservoir_alarm_ml"):
        assert library.pump.sources[field].split(":")[0] in library.references


def test_default_library_carries_the_figures_of_its_sources() -> None:
    library = default_library()
    # PACC 2017 (Deer et al., Neuromodulation 2017): morphine 20 mg/mL, 15 mg/day.
    morphine = library.require("morphine")
    assert (morphine.unit, morphine.max_concentration, morphine.daily_dose_hard_max) == (
        "mg",
        20,
        15,
    )
    # PRIALT labelling: 19.2 mcg/day maximum; CSF t1/2 4.6 h, Vd 155 mL; no patient boluses.
    ziconotide = library.require("ziconotide")
    assert ziconotide.daily_dose_hard_max == 19.2
    assert (ziconotide.pk.half_life_h, ziconotide.pk.volume_ml) == (4.6, 155)
    assert ziconotide.bolus_dose_hard_max == 0
    # LIORESAL INTRATHECAL labelling: strengths up to 2000 mcg/mL.
    assert library.require("baclofen").max_concentration == 2000


def test_fingerprint_is_stable_and_changes_with_any_figure() -> None:
    library = library_from_dict(copy.deepcopy(SYNTHETIC_LIBRARY))
    same = library_from_dict(copy.deepcopy(SYNTHETIC_LIBRARY))
    edited = copy.deepcopy(SYNTHETIC_LIBRARY)
    edited["drugs"]["testorphine"]["daily_dose_hard_max"] = 6.5
    assert library_fingerprint(library) == library_fingerprint(same)
    assert library_fingerprint(library) != library_fingerprint(library_from_dict(edited))


def _edited(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(SYNTHETIC_LIBRARY)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field", "fragment"),
    [
        (("drugs", "testorphine", "unit"), "g", "drugs.testorphine.unit", "'mg' or 'mcg'"),
        (
            ("drugs", "testorphine", "daily_dose_soft_max"),
            7,
            "drugs.testorphine",
            "must not exceed",
        ),
        (
            ("drugs", "testorphine", "pk", "half_life_h"),
            0,
            "drugs.testorphine.pk.half_life_h",
            "greater than 0",
        ),
        (
            ("drugs", "testorphine", "bolus_max_per_day"),
            -1,
            "drugs.testorphine.bolus_max_per_day",
            "greater than or equal to 0",
        ),
        (
            ("drugs", "testorphine", "max_concentration"),
            _DELETE,
            "drugs.testorphine.max_concentration",
            "is required",
        ),
        (
            ("drugs", "testorphine", "max_conc"),
            3,
            "drugs.testorphine.max_conc",
            "not a known field",
        ),
        (("pump", "min_rate_ml_per_day"), 3, "pump", "must not exceed"),
        (("drugs",), {}, "drugs", "at least 1"),
        (
            ("drugs", "testorphine", "pk", "volume_ml"),
            1e-300,
            "drugs.testorphine.pk.volume_ml",
            "not a plausible figure",
        ),
    ],
)
def test_malformed_libraries_raise_invalid_input(
    path: tuple[str, ...], value: Any, field: str, fragment: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        library_from_dict(_edited(path, value))
    assert caught.value.field == field
    assert fragment in caught.value.message


def test_drug_names_must_be_unique_ignoring_case() -> None:
    data = copy.deepcopy(SYNTHETIC_LIBRARY)
    data["drugs"]["TestOrphine"] = copy.deepcopy(data["drugs"]["testorphine"])
    with pytest.raises(InvalidInput, match="listed twice"):
        library_from_dict(data)


def test_require_names_the_known_drugs_for_an_unknown_one() -> None:
    library = library_from_dict(copy.deepcopy(SYNTHETIC_LIBRARY))
    with pytest.raises(InvalidInput, match="known: testorphine"):
        library.require("oxycodone")


def test_load_library_reads_a_clinic_file(tmp_path: Any) -> None:
    import json

    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(SYNTHETIC_LIBRARY), encoding="utf-8")
    assert load_library(path).name == "synthetic test library"
