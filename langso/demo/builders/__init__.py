"""The residents' apps' demo data, built after the registry and the party.

Each module here has `ORDER` (an int) and `build(commune, *, as_of, seed, log)`, which adds
its app's demo data to the demo commune inside the demo's transaction (and its demo
logins, made with `is_demo=True` so that `demo` lists them). Modules are found by name,
so a new app adds a file here and touches nothing else.
"""

import importlib
import pkgutil


def builders():
    """The builder modules, in their ORDER (then by name)."""
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda module: (module.ORDER, module.__name__))


def build_all(commune, *, as_of, seed, log):
    for module in builders():
        module.build(commune, as_of=as_of, seed=seed, log=log)
