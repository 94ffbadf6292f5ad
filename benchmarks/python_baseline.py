#!/usr/bin/env python3
"""The baseline a user would write: a plain `re` line loop that extracts the same numbers
(epoch and every `name: value` / `name=value` pair of the lines that carry a loss); for a .csv
table, the `csv` module and float() on every cell that has a value.
usage: python_baseline.py FILE"""
import csv, re, sys

LINE = re.compile(rb"(?:[Ee]poch|'epoch'|loss)")
PAIR = re.compile(rb"([A-Za-z_]\w*)'?\s*[:=]\s*'?([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|nan|inf))")
values = 0
if sys.argv[1].endswith(".csv"):
    with open(sys.argv[1], newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            for cell in row:
                if cell:
                    float(cell)
                    values += 1
    print(values)
    sys.exit()
with open(sys.argv[1], "rb") as handle:
    for raw in handle:
        for line in raw.split(b"\r"):
            if LINE.search(line):
                for name, value in PAIR.findall(line):
                    float(value)
                    values += 1
print(values)
