"""Writes TensorBoard event files (TFRecord framing, CRC32C checksums) of scalar summaries, as
PyTorch's SummaryWriter writes them: `add_scalar(tag, value, step)` is one Event{wall_time, step,
summary{value{tag, simple_value}}} per call. Pure Python, no TensorFlow.

usage (from generate.py): write_scalar_events(path, target_bytes, rng)

Checksumming a large file byte by byte in Python is slow, so records are made from a template per
layout: a CRC is affine in its input, so a record's checksum is the template's, changed by a table
entry per byte that differs (the wall time, the step and the value).
"""
import struct

_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number, wire, payload):
    return varint(number << 3 | wire) + payload


def event(wall_time, step, tag, value):
    summary_value = field(1, 2, varint(len(tag)) + tag) + field(2, 5, struct.pack("<f", value))
    summary = field(1, 2, varint(len(summary_value)) + summary_value)
    return field(1, 1, struct.pack("<d", wall_time)) + field(2, 0, varint(step)) + field(5, 2, varint(len(summary)) + summary)


def frame(data, data_crc=None):
    length = struct.pack("<Q", len(data))
    crc = crc32c(data) if data_crc is None else data_crc
    return length + struct.pack("<I", masked(crc32c(length))) + data + struct.pack("<I", masked(crc))


class _Layout:
    """The checksum of every record of one layout (tag and step length), from a template."""

    def __init__(self, tag, step_length):
        self.template = event(0.0, 1 << (7 * (step_length - 1)) if step_length > 1 else 1, tag, 0.0)
        self.base = crc32c(self.template)
        zero = bytes(len(self.template))
        zero_crc = crc32c(zero)
        wall_at, step_at = 1, 10
        value_at = len(self.template) - 4
        self.positions = list(range(wall_at, wall_at + 8)) + list(range(step_at, step_at + step_length)) + list(range(value_at, value_at + 4))
        # table[p][v]: how a byte v at position p (zeros elsewhere) changes the checksum.
        self.tables = {}
        for p in self.positions:
            row = []
            for v in range(256):
                probe = bytearray(zero)
                probe[p] = v
                row.append(crc32c(probe) ^ zero_crc)
            self.tables[p] = row

    def crc(self, data):
        crc = self.base
        template = self.template
        for p in self.positions:
            crc ^= self.tables[p][data[p] ^ template[p]]
        return crc


def write_scalar_events(path, target_bytes, rng, every_val=1000):
    """Per step a `Loss/train` value; every `every_val` steps a `Loss/val` value."""
    layouts = {}
    written = 0
    with open(path, "wb") as out:
        header = field(1, 1, struct.pack("<d", 1.7e9)) + field(3, 2, varint(len(b"brain.Event:2")) + b"brain.Event:2")
        out.write(frame(header))
        buffer = []
        step = 0
        while written < target_bytes:
            step += 1
            wall = 1.7e9 + step * 0.01
            loss = 2.3 * 2.718281828 ** (-step / 400000.0) + 0.05 + rng.random() * 0.02
            for tag, value in [(b"Loss/train", loss)] + ([(b"Loss/val", loss * 1.1)] if step % every_val == 0 else []):
                data = event(wall, step, tag, value)
                key = (tag, len(varint(step)))
                if key not in layouts:
                    layouts[key] = _Layout(*key)
                record = frame(data, layouts[key].crc(data))
                buffer.append(record)
                written += len(record)
            if len(buffer) >= 4096:
                out.write(b"".join(buffer))
                buffer.clear()
        out.write(b"".join(buffer))
