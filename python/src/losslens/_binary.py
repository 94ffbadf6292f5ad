"""Where the losslens binary is: inside the installed package, or LOSSLENS_BINARY."""

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


class LossLensError(RuntimeError):
    """losslens could not run, or refused its arguments (exit status 2 with nothing to report)."""


def binary_path() -> str:
    """The losslens executable this package runs.

    ``LOSSLENS_BINARY`` names another one (a build from source, say); otherwise the binary the
    wheel installed inside the package.
    """
    override = os.environ.get("LOSSLENS_BINARY")
    if override:
        return override
    bundled = _PACKAGE / "_bin" / "losslens"
    if not bundled.is_file():
        raise LossLensError(
            f"the losslens binary is missing at {bundled}: install the losslens wheel, "
            "or set LOSSLENS_BINARY to a losslens built from source"
        )
    return str(bundled)


def data_file(name: str) -> str:
    """A file the wheel ships beside the binary: ``man/losslens.1``, ``completions/losslens.bash``,
    ``completions/_losslens`` (zsh) or ``completions/losslens.fish``."""
    path = _PACKAGE / "_share" / name
    if not path.is_file():
        raise FileNotFoundError(path)
    return str(path)
