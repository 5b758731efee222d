"""From a measured lateral radiograph to the spine classifier's input columns.

The spine classifier (decision-support domain) is trained on the UCI "Vertebral Column" data
set (Rocha Neto & Barreto 2009; parameters after Berthonnaud et al. 2005, J Spinal Disord
Tech 18(1):40–47), whose six columns are filled here from :class:`LateralMeasurements`.
Imaging fills what the landmarks measure and *says* what it cannot; it never invents a value.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.imaging.measure import LateralMeasurements

SPINE_CLASSIFIER_COLUMNS = (
    "pelvic_incidence",
    "pelvic_tilt",
    "lumbar_lordosis_angle",
    "sacral_slope",
    "pelvic_radius",
    "degree_spondylolisthesis",
)

# Why a measured value may not mean exactly what the training data meant.
CAVEATS = {
    "pelvic_radius": (
        "measured as hip axis to the posterior-superior corner of S1 (Jackson et al. 1998); "
        "the data set takes its pelvic radius from Berthonnaud et al. (2005) and does not "
        "document the landmark or the image calibration, so values may be offset"
    ),
    "lumbar_lordosis_angle": (
        "measured as the L1–S1 Cobb angle between superior endplates; the data set's lumbar "
        "lordosis angle (Berthonnaud et al. 2005) may use other vertebral landmarks"
    ),
    "degree_spondylolisthesis": (
        "the slip is not measurable from the six standard landmarks; place the L5 "
        "posterior-inferior corner to measure a Taillard slip percentage, whose scale is "
        "assumed (not documented) to match the data set's grade"
    ),
}


@dataclass(frozen=True)
class ClassifierInputs:
    """The classifier's columns, measured or ``None``, and what could not be measured."""

    values: dict[str, float | None]
    not_measured: tuple[str, ...]
    caveats: dict[str, str]

    @property
    def complete(self) -> bool:
        return not self.not_measured

    def to_dict(self) -> dict[str, object]:
        return {
            "values": dict(self.values),
            "not_measured": list(self.not_measured),
            "caveats": dict(self.caveats),
        }


def spine_classifier_inputs(
    measurements: LateralMeasurements, *, degree_spondylolisthesis: float | None = None
) -> ClassifierInputs:
    """Map lateral measurements to the spine classifier's columns.

    ``degree_spondylolisthesis`` comes from, in order: the argument (a value the clinician
    measured or graded), the slip percentage of the measurements (when the optional L5
    landmark was placed), or nothing, in which case it is listed in ``not_measured``.
    """
    slip = degree_spondylolisthesis
    if slip is None:
        slip = measurements.slip_percent
    values: dict[str, float | None] = {
        "pelvic_incidence": measurements.pelvic_incidence_deg,
        "pelvic_tilt": measurements.pelvic_tilt_deg,
        "lumbar_lordosis_angle": measurements.lumbar_lordosis_deg,
        "sacral_slope": measurements.sacral_slope_deg,
        "pelvic_radius": measurements.pelvic_radius_mm,
        "degree_spondylolisthesis": slip,
    }
    not_measured = tuple(k for k in SPINE_CLASSIFIER_COLUMNS if values[k] is None)
    caveats = dict(CAVEATS)
    return ClassifierInputs(values=values, not_measured=not_measured, caveats=caveats)
