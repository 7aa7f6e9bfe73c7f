#!/usr/bin/env python3
"""Drain3 baseline for `make bench`: streams a log file line by line through
drain3.TemplateMiner and prints `lines=N clusters=C seconds=S` on stdout.

The miner uses the masking instructions of Drain3's example configuration
(examples/drain3.ini: ID, IP, SEQ, HEX, NUM, CMD with <: :> around the mask name)
and its DRAIN settings (sim_th 0.4, depth 4, max_children 100, "_" as an extra
delimiter), set here in code. Two departures from that file: max_clusters is left
unbounded, so the cluster count is the number Drain3 really finds rather than an
LRU cap of 1024, and profiling is off, so it costs nothing. Seconds run from before
`import drain3` to the last line, so they include loading the library but not the
interpreter start-up.
"""
import sys
import time

start = time.monotonic()

from drain3 import TemplateMiner  # noqa: E402
from drain3.masking import MaskingInstruction  # noqa: E402
from drain3.template_miner_config import TemplateMinerConfig  # noqa: E402

# Boundaries used by every example mask: start of line or a character that is not
# a letter or digit, on either side.
BEFORE = r"((?<=[^A-Za-z0-9])|^)"
AFTER = r"((?=[^A-Za-z0-9])|$)"

EXAMPLE_MASKS = [
    (BEFORE + r"(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))" + AFTER, "ID"),
    (BEFORE + r"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})" + AFTER, "IP"),
    (BEFORE + r"([0-9a-f]{6,} ?){3,}" + AFTER, "SEQ"),
    (BEFORE + r"([0-9A-F]{4} ?){4,}" + AFTER, "SEQ"),
    (BEFORE + r"(0x[a-f0-9A-F]+)" + AFTER, "HEX"),
    (BEFORE + r"([\-\+]?\d+)" + AFTER, "NUM"),
    (r"(?<=executed cmd )(\".+?\")", "CMD"),
]


def make_config() -> TemplateMinerConfig:
    config = TemplateMinerConfig()
    config.masking_instructions = [MaskingInstruction(p, name) for p, name in EXAMPLE_MASKS]
    config.mask_prefix = "<:"
    config.mask_suffix = ":>"
    config.drain_sim_th = 0.4
    config.drain_depth = 4
    config.drain_max_children = 100
    config.drain_max_clusters = None
    config.drain_extra_delimiters = ["_"]
    config.profiling_enabled = False
    return config


def main() -> int:
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} LOGFILE", file=sys.stderr)
        return 2
    miner = TemplateMiner(config=make_config())
    lines = 0
    with open(sys.argv[1], encoding="utf-8", errors="replace", newline="\n") as f:
        for line in f:
            miner.add_log_message(line.rstrip("\r\n"))
            lines += 1
    seconds = time.monotonic() - start
    print(f"lines={lines} clusters={len(miner.drain.clusters)} seconds={seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
