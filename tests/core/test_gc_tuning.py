"""A long-lived server freezes its start-up objects and collects less often; test apps do not."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from spinewise.core.gc_tuning import (
    MIDDLE_THRESHOLD,
    OLD_THRESHOLD,
    YOUNG_THRESHOLD,
    tune_for_long_lived_process,
)


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_tuning_freezes_what_exists_and_raises_the_thresholds(restored_gc: None) -> None:
    before = gc.get_freeze_count()
    survivor = [object() for _ in range(10)]
    tune_for_long_lived_process()
    assert gc.get_freeze_count() > before + len(survivor)
    assert gc.get_threshold() == (YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)


def test_only_the_served_app_is_marked_long_lived(settings) -> None:  # type: ignore[no-untyped-def]
    from spinewise.app import create_app

    app = create_app(settings)
    assert not getattr(app.state, "long_lived", False)
    app.state.engine.dispose()
