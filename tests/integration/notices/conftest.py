# The notices are addressed to the directory's people: the same departments and colleagues,
# and messages read in English.
from tests.integration.directory.conftest import (  # noqa: F401
    _fresh_directory_names,
    english,
    factory_departments,
    people,
)
