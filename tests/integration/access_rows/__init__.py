"""The access matrix's rows, one module per part of the portal (each defines INTRANET and
EXTRANET), merged here; a route listed by two modules is an error."""

import importlib
import pkgutil


def _merge():
    matrix = {"intranet": {}, "extranet": {}}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for face, rows in (("intranet", module.INTRANET), ("extranet", module.EXTRANET)):
            twice = matrix[face].keys() & rows.keys()
            if twice:
                raise ValueError(f"Access-matrix rows listed twice: {sorted(twice)}")
            matrix[face].update(rows)
    return matrix


MATRIX = _merge()
