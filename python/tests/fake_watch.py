"""A stand-in for ``losslens watch --input-format jsonl``, for testing the callbacks' side of the
protocol on a binary without the JSON-lines reader: it copies its input to standard output, and
alerts on standard error, once, when a loss is not finite or above 1e6, as watch does
(``losslens: error: non-finite at epoch N (line L): …``; a log that starts at epoch 0 is shifted
to count from 1). With --output it writes a report at the end. FAKE_WATCH_RECORDS names a file
that receives every record."""

import json
import math
import os
import sys


def main():
    arguments = sys.argv[1:]
    output = arguments[arguments.index("--output") + 1] if "--output" in arguments else None
    records_file = os.environ.get("FAKE_WATCH_RECORDS")
    records = []
    alerted = False
    shift = None
    for number, line in enumerate(sys.stdin, start=1):
        sys.stdout.write(line)
        sys.stdout.flush()
        record = json.loads(line)
        records.append(record)
        epoch = record.get("epoch")
        if shift is None and epoch is not None:
            shift = 1 if epoch == 0 else 0
        losses = [value for key, value in record.items() if key.endswith("loss") and isinstance(value, (int, float))]
        if not alerted and any(not math.isfinite(value) or value > 1e6 for value in losses):
            alerted = True
            place = f" at epoch {int(epoch) + (shift or 0)}" if epoch is not None else ""
            sys.stderr.write(f"losslens: error: non-finite{place} (line {number}): loss is not finite\n")
            sys.stderr.flush()
    if records_file:
        with open(records_file, "w") as handle:
            json.dump(records, handle)
    if output:
        with open(output, "w") as handle:
            handle.write(f"# fake report\n\n{len(records)} records\n")
    else:
        sys.stderr.write(f"{len(records)} records\n")


if __name__ == "__main__":
    main()
