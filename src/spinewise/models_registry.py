"""Import every ORM module so ``Base.metadata`` knows all tables (used by Alembic autogenerate)."""

from spinewise.accounts import models as accounts_models
from spinewise.assistant import models as assistant_models
from spinewise.consults import models as consults_models
from spinewise.core import models as core_models
from spinewise.db import Base
from spinewise.devices import models as devices_models
from spinewise.dosing import models as dosing_models
from spinewise.fhir import models as fhir_models
from spinewise.imaging import models as imaging_models
from spinewise.motion import models as motion_models
from spinewise.outcomes import models as outcomes_models
from spinewise.predict import models as predict_models
from spinewise.rehab import models as rehab_models
from spinewise.reminders import models as reminders_models
from spinewise.robotics import models as robotics_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "assistant_models",
    "consults_models",
    "core_models",
    "devices_models",
    "dosing_models",
    "fhir_models",
    "imaging_models",
    "metadata",
    "motion_models",
    "outcomes_models",
    "predict_models",
    "rehab_models",
    "reminders_models",
    "robotics_models",
]
