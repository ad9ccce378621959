#!/usr/bin/env python3
"""Generates the Python/numpy cross-check data for the io.kato.engine.text tests.

Writes, under worker/src/test/resources/io/kato/engine/text/:

  python-repr-blocks.txt   one line per block of 4096 code points: the block's first code
                           point (hex) and the SHA-1 (hex) of UTF-8("\\n".join(repr(chr(cp))
                           for every cp of the block)); a header line gives the number of
                           code points for which str.isprintable() is true.
  python-float-repr.txt    one line per double: its IEEE-754 bits (16 hex digits) and
                           repr(x).
  numpy-vector-text.txt    two lines per vector: "V" + the components as repr(x) separated
                           by spaces, then "T" + str(numpy.array(v, dtype=float64)) with
                           each newline replaced by "|".

Needs CPython 3.11 (Unicode 14.0) and numpy >= 1.24 with default print options. The data
is deterministic (fixed seed):

    python3 tools/gen_text_test_data.py
"""
import hashlib
import math
import pathlib
import random
import struct
import sys
import unicodedata

import numpy

EXPECTED_UNICODE = "14.0.0"
BLOCK_SIZE = 0x1000
FLOAT_COUNT = 2000
VECTOR_COUNT = 300
SEED = 20240611

OUT_DIR = (pathlib.Path(__file__).resolve().parent.parent
           / "worker/src/test/resources/io/kato/engine/text")


def bits_of(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def double_of(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def random_finite_bits(rng):
    while True:
        x = double_of(rng.getrandbits(64))
        if math.isfinite(x):
            return x


def random_short_decimal(rng):
    digits = rng.randint(1, 17)
    mantissa = rng.randint(1, 10 ** digits - 1)
    exponent = rng.randint(-330, 310)
    x = float(f"{mantissa}e{exponent}")
    if not math.isfinite(x):
        return 1.0
    return -x if rng.random() < 0.5 else x


def special_doubles():
    values = [0.0, -0.0, 5e-324, 1e-323, 1.5e-323, 2.2250738585072014e-308,
              2.2250738585072009e-308, 1.7976931348623157e308, 0.1, 0.2, 0.3,
              0.1 + 0.2, 1 / 3, 2 / 3, 1e15, 1e16, 1e17, 1e-4, 1e-5, 9.999999999999999e-5,
              123456789012345.6, 1.2345678901234568e17, 2.0 ** 53, 2.0 ** 53 + 2, 2.0 ** 63,
              2.0 ** 64, 1e23, 2e23, 9007199254740993.0, 5e-5, 1.5e-5, 0.001953125]
    values += [2.0 ** e for e in range(-1074, 1024, 7)]
    values += [10.0 ** e for e in range(-323, 309, 3)]
    return values


def float_lines(rng):
    values = special_doubles()
    while len(values) < FLOAT_COUNT:
        values.append(random_finite_bits(rng) if rng.random() < 0.5 else random_short_decimal(rng))
    return [f"{bits_of(x):016x} {x!r}" for x in values]


def vector_component(rng, kind):
    if kind == "integer":
        return float(rng.randint(-1000, 1000))
    if kind == "short":
        return round(rng.uniform(-100, 100), rng.randint(0, 10))
    if kind == "unit":
        return rng.random()
    if kind == "tiny":
        return rng.uniform(-1, 1) * 10.0 ** rng.randint(-12, -4)
    if kind == "huge":
        return rng.uniform(-1, 1) * 10.0 ** rng.randint(7, 25)
    if kind == "tie":
        return rng.randint(-4096, 4096) / 2.0 ** rng.randint(0, 12)
    if kind == "zero":
        return rng.choice([0.0, -0.0, 1.0])
    return random_finite_bits(rng)


KINDS = ["integer", "short", "unit", "tiny", "huge", "tie", "zero", "bits"]


def random_vector(rng):
    roll = rng.random()
    if roll < 0.75:
        length = rng.randint(0, 30)
    elif roll < 0.95:
        length = rng.randint(31, 200)
    else:
        length = rng.randint(1001, 1010)
    kinds = [rng.choice(KINDS)] if rng.random() < 0.7 else rng.sample(KINDS, 2)
    return [vector_component(rng, rng.choice(kinds)) for _ in range(length)]


def vector_lines(rng):
    lines = []
    for _ in range(VECTOR_COUNT):
        v = random_vector(rng)
        text = str(numpy.array(v, dtype=numpy.float64))
        lines.append("V" + " ".join(repr(x) for x in v))
        lines.append("T" + text.replace("\n", "|"))
    return lines


def repr_block_lines():
    printable = sum(1 for cp in range(0x110000) if chr(cp).isprintable())
    lines = [f"# printable code points: {printable}"]
    for start in range(0, 0x110000, BLOCK_SIZE):
        text = "\n".join(repr(chr(cp)) for cp in range(start, start + BLOCK_SIZE))
        lines.append(f"{start:06x} {hashlib.sha1(text.encode('utf-8')).hexdigest()}")
    return lines


def write(name, lines):
    (OUT_DIR / name).write_text("\n".join(lines) + "\n", encoding="ascii")


def main():
    if unicodedata.unidata_version != EXPECTED_UNICODE:
        sys.exit(f"need Unicode {EXPECTED_UNICODE} (CPython 3.11), "
                 f"this Python has {unicodedata.unidata_version}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    write("python-repr-blocks.txt", repr_block_lines())
    write("python-float-repr.txt", float_lines(rng))
    write("numpy-vector-text.txt", vector_lines(rng))
    print(f"wrote test data to {OUT_DIR} (numpy {numpy.__version__})")


if __name__ == "__main__":
    main()
