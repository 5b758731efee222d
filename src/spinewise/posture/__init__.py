"""Posture engine: raw IMU samples to trunk angles, zones, episodes, alerts and summaries.

Pure package (numpy and scipy only): the same code analyses a recorded file (``analyze``)
and a live stream (``PostureStream``). See ``docs/posture.md``.
"""

from spinewise.posture.angles import NeutralCalibration, trunk_angles
from spinewise.posture.config import (
    CalibrationSettings,
    FeedbackRules,
    FilterSettings,
    PostureConfig,
    ZoneThresholds,
)
from spinewise.posture.feedback import Alert, Episode
from spinewise.posture.io import ImuSamples, Units, iter_csv, iter_jsonl, read_csv
from spinewise.posture.recommend import Recommendation, recommend
from spinewise.posture.stream import PostureReport, PostureStream, StreamUpdate, analyze
from spinewise.posture.summary import (
    DailySummary,
    MinuteAggregate,
    WeeklySummary,
    daily_summaries,
    weekly_summary,
)

__all__ = [
    "Alert",
    "CalibrationSettings",
    "DailySummary",
    "Episode",
    "FeedbackRules",
    "FilterSettings",
    "ImuSamples",
    "MinuteAggregate",
    "NeutralCalibration",
    "PostureConfig",
    "PostureReport",
    "PostureStream",
    "Recommendation",
    "StreamUpdate",
    "Units",
    "WeeklySummary",
    "ZoneThresholds",
    "analyze",
    "daily_summaries",
    "iter_csv",
    "iter_jsonl",
    "read_csv",
    "recommend",
    "trunk_angles",
    "weekly_summary",
]
