#!/usr/bin/env python3
"""Prints the async frame size of every async function in a binary, largest first.

    Benchmarks/tools/async-frame-sizes.py .build/release/hch-bench [SUBSTRING]

A waiting task keeps the frames of every async function on its path, allocated from the task's slabs
(984 bytes each, taken from malloc); this shows which functions cost a waiting node the most. Each async
function has an async function pointer (a symbol ending in "Tu") that holds, after a relative offset, the size
of the context its caller allocates. SUBSTRING filters by mangled name (a module or type name, say).
Needs nm, readelf and the toolchain's swift-demangle.
"""
import re
import struct
import subprocess
import sys


def sections(binary):
    listing = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    found = []
    for match in re.finditer(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", listing):
        address, offset, size = (int(match.group(i), 16) for i in (2, 3, 4))
        if address:
            found.append((address, offset, size))
    return found


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, substring = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    symbols = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    data = open(binary, "rb").read()
    layout = sections(binary)
    rows = []
    for line in symbols.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[2].endswith("Tu") or substring not in parts[2]:
            continue
        address = int(parts[0], 16)
        for start, offset, size in layout:
            if start <= address < start + size:
                _, context = struct.unpack("<iI", data[offset + address - start:offset + address - start + 8])
                rows.append((context, parts[2][:-2]))
                break
    names = subprocess.run(
        ["swift", "demangle", "--simplified", "--compact"],
        input="\n".join(name for _, name in rows), capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    for (context, _), name in sorted(zip(rows, names), key=lambda row: -row[0][0]):
        print(f"{context:6d}  {name}")


if __name__ == "__main__":
    main()
