"""Hatchling build hook: a platform wheel that carries the losslens binary.

scripts/build-wheel stages the release binary and the generated shell completions and man page in
build-stage/ (LOSSLENS_STAGE overrides the folder). The wheel is tagged py3-none-<platform>: the
Python code runs on any Python 3, the binary on this platform only. auditwheel then vendors
libpcre2-8 and gives the manylinux tag.
"""

import os
import sysconfig
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        stage = Path(os.environ.get("LOSSLENS_STAGE", Path(self.root) / "build-stage"))
        binary = stage / "losslens"
        if not binary.is_file():
            raise RuntimeError(f"{binary} is missing: build the wheel with scripts/build-wheel, which stages the binary")
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{platform}"
        build_data["force_include"][str(binary)] = "losslens/_bin/losslens"
        # Installed under the environment's prefix: <venv>/share/man/man1 is on man's path when
        # <venv>/bin is on PATH; the completion folders are where bash-completion, zsh and fish look
        # under a prefix.
        shared = {
            "man/losslens.1": "share/man/man1/losslens.1",
            "completions/losslens.bash": "share/bash-completion/completions/losslens",
            "completions/_losslens": "share/zsh/site-functions/_losslens",
            "completions/losslens.fish": "share/fish/vendor_completions.d/losslens.fish",
        }
        for source, target in shared.items():
            path = stage / source
            if not path.is_file():
                raise RuntimeError(f"{path} is missing: scripts/build-wheel generates it")
            build_data["shared_data"][str(path)] = target
            # Also inside the package, where `losslens.data_file()` finds them whatever the prefix.
            build_data["force_include"][str(path)] = "losslens/_share/" + source
