"""``losslens.analyze``: the JSON report of ``losslens analyze`` as a dict."""

import json
import os
import subprocess
from typing import Any, Dict, Iterable, Union

from ._binary import LossLensError, binary_path

PathLike = Union[str, "os.PathLike[str]"]

# Options that decide where and how the report is written: analyze() always reads JSON back.
_REFUSED = {"format", "output", "fail_on"}


def _arguments(options: Dict[str, Any]) -> list:
    arguments = []
    for name, value in options.items():
        if name in _REFUSED:
            raise TypeError(f"analyze() sets {name!r} itself; it returns the JSON report")
        flag = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            arguments.append(flag)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                arguments += [flag, str(item)]
        else:
            arguments += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return arguments


def analyze(paths: Union[PathLike, Iterable[PathLike]], **options: Any) -> Dict[str, Any]:
    """Analyze training logs and return the JSON report (schema in the README) as a dict.

    ``paths`` is a file or folder, or a list of them. ``options`` are ``losslens analyze``'s, with
    underscores for dashes: ``ignore=["too-short"]``, ``min_severity="warning"``, ``classes=10``,
    ``input_format="keras-console"``, ``patterns="ci/patterns"``, ``separate_artifacts=True``,
    ``config="ci/losslens.toml"``, ``no_config=True``. A settings file (``.losslens.toml`` or
    ``[tool.losslens]``) applies as it does on the command line.

    Sources that cannot be read are listed under ``"errors"``; ``LossLensError`` is raised only
    when losslens refuses the arguments or cannot run.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    paths = [os.fsdecode(path) for path in paths]
    if not paths:
        raise ValueError("analyze() needs at least one file or folder")
    command = [binary_path(), "analyze", "--format", "json", "--fail-on", "never", *_arguments(options), "--", *paths]
    # The report comes back here: a CI's job summary and annotations are the command line's business.
    environment = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    try:
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=environment)
    except OSError as error:
        raise LossLensError(f"cannot run {command[0]}: {error}") from error
    if completed.stdout.strip():
        try:
            return json.loads(completed.stdout)
        except ValueError as error:
            raise LossLensError(f"losslens printed no JSON report: {error}") from error
    message = completed.stderr.decode("utf-8", "replace").strip() or f"exit status {completed.returncode}"
    raise LossLensError(message)
