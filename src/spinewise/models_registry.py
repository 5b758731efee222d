"""Import every ORM module so ``Base.metadata`` knows all tables (used by Alembic autogenerate)."""

from spinewise.accounts import models as accounts_models
from spinewise.core import models as core_models
from spinewise.db import Base
from spinewise.devices import models as devices_models
from spinewise.robotics import models as robotics_models

metadata = Base.metadata

__all__ = ["accounts_models", "core_models", "devices_models", "metadata", "robotics_models"]
