"""Outcome instruments: pure, cited scoring of back-pain questionnaires.

ODI v2.1a (:mod:`.odi`), RMDQ-24 (:mod:`.rmdq`), NPRS (:mod:`.nprs`), STarT Back
(:mod:`.startback`), PSFS (:mod:`.psfs`), the daily pain diary (:mod:`.pain_diary`),
minimal important change (:mod:`.change`), scheduling (:mod:`.schedule`), instrument
definition files (:mod:`.definition`) and patient-facing progress sentences
(:mod:`.progress`). No web framework or database imports here.
"""

from spinewise.outcomes.change import ChangeAssessment, classify_change
from spinewise.outcomes.nprs import NprsScore, score_nprs
from spinewise.outcomes.odi import OdiScore, odi_band, score_odi
from spinewise.outcomes.psfs import PsfsScore, score_psfs
from spinewise.outcomes.rmdq import RmdqScore, score_rmdq
from spinewise.outcomes.scoring import score_answers
from spinewise.outcomes.startback import StartBackScore, score_startback, startback_risk

__all__ = [
    "ChangeAssessment",
    "NprsScore",
    "OdiScore",
    "PsfsScore",
    "RmdqScore",
    "StartBackScore",
    "classify_change",
    "odi_band",
    "score_answers",
    "score_nprs",
    "score_odi",
    "score_psfs",
    "score_rmdq",
    "score_startback",
    "startback_risk",
]
