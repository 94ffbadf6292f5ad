"""``losslens`` and ``python -m losslens``: the losslens binary, run with these arguments.

The process is replaced by the binary (exec), so its exit status, standard streams, terminal
detection and signals are the binary's own.
"""

import os
import sys


def main() -> None:
    from ._binary import LossLensError, binary_path

    try:
        binary = binary_path()
    except LossLensError as error:
        sys.stderr.write(f"losslens: {error}\n")
        raise SystemExit(2)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, ["losslens", *sys.argv[1:]])


if __name__ == "__main__":
    main()
