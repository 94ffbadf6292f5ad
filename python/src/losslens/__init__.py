"""losslens: reads deep-learning training logs and tells you what went wrong.

The package wraps the losslens binary that the wheel carries:

- the ``losslens`` command (and ``python -m losslens``) runs it with your arguments;
- ``losslens.analyze(paths, **options)`` returns its JSON report as a dict;
- ``losslens.keras``, ``losslens.lightning`` and ``losslens.transformers`` hold training callbacks
  that feed ``losslens watch`` while a model trains and stop the run at an alert.

Nothing here imports a deep-learning framework until a callback is asked for.
"""

from ._binary import LossLensError, binary_path, data_file
from ._analyze import analyze

__all__ = ["analyze", "binary_path", "data_file", "LossLensError", "__version__"]


def __getattr__(name):
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("losslens")
        except PackageNotFoundError:
            return "unknown"
    raise AttributeError(f"module 'losslens' has no attribute {name!r}")
