import pytest

from ..factories import LocationFactory


@pytest.fixture
def cities(db):
    """The cities the import files name."""
    return {name: LocationFactory(name=name) for name in ("Rabat", "Casablanca", "Tanger")}
