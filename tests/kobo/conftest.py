# The cities the import files name, shared with tests/beneficiaries.
from ..beneficiaries.conftest import cities  # noqa: F401
