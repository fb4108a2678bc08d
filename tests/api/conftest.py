# The access matrix's objects (one row of every model), shared with tests/core.
from ..core.conftest import objects  # noqa: F401
