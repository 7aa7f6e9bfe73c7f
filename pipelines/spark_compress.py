#!/usr/bin/env python3
"""Compress inputs on Apache Spark with headroom-batch: plan, pipe, merge.

    spark-submit pipelines/spark_compress.py logs/ --shard-bytes 256M \
        --work /shared/hb-shards --into /shared/hb-archive --bundle /shared/logs.bundle.md

1. `headroom-batch plan` cuts the inputs into shards: one JSON line each.
2. The lines become an RDD, one partition per shard, piped through
   `headroom-batch run-shard --out WORK` on the executors by the JVM's own `RDD.pipe()`:
   only shard descriptions and one-line summaries cross between the JVM and headroom-batch,
   and no Python worker is started. Each shard is compressed into WORK/shard-NNNNNN (its
   archive and bundle), so WORK must be a directory every executor and the driver can reach
   (a shared filesystem; local mode needs nothing).
3. `headroom-batch merge` unions the shard archives into --into and joins the shard bundles,
   in shard order, into --bundle.

The binary must be on every executor's PATH, or given with --binary. Extra compressor flags
(the same for every shard) go after `--`, e.g. `-- --budget 5000 --jobs 1`.
"""
import argparse
import json
import os
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description="Compress inputs with headroom-batch on Apache Spark.")
    parser.add_argument("inputs", nargs="+", help="files, directories or glob patterns")
    parser.add_argument("--shard-bytes", default="256M", help="bytes per shard, about (default 256M)")
    parser.add_argument("--work", required=True, help="directory for the shard directories (shared by all executors)")
    parser.add_argument("--into", required=True, help="the archive to merge the shards into")
    parser.add_argument("--bundle", required=True, help="where to write the merged bundle")
    parser.add_argument("--binary", default="headroom-batch", help="the headroom-batch executable")
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[*])")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []  # compressor flags for run-shard
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    work = os.path.abspath(args.work)

    plan = subprocess.run([args.binary, "plan", *args.inputs, "--shard-bytes", args.shard_bytes],
                          check=True, capture_output=True, text=True).stdout.splitlines()
    if not plan:
        print("spark_compress: nothing to compress", file=sys.stderr)
        return 1

    from pyspark import SparkConf, SparkContext  # imported here so --help works without pyspark

    # The JVM only schedules and pipes: no web UI, no progress bar, and a JIT and collector
    # that start fast (they make up most of a short run's wall time).
    conf = (SparkConf().setAppName("headroom-batch")
            .setIfMissing("spark.ui.enabled", "false")
            .setIfMissing("spark.ui.showConsoleProgress", "false")
            .setIfMissing("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"))
    if args.master:
        conf.setMaster(args.master)
    elif not launched_with_master():
        conf.setMaster("local[*]")
    started = time.monotonic()
    context = SparkContext(conf=conf)
    ready = time.monotonic()
    try:
        summaries = pipe_in_jvm(context, plan, [args.binary, "run-shard", "--out", work, *extra])
    finally:
        piped = time.monotonic()
        context.stop()

    shards = sorted((json.loads(line) for line in summaries if line.startswith("{")), key=lambda s: s["shard"])
    failed = [s for s in shards if s["failed"]]
    if len(shards) != len(plan):
        print(f"spark_compress: {len(plan)} shards planned, {len(shards)} reported", file=sys.stderr)
        return 1
    stopped = time.monotonic()
    subprocess.run([args.binary, "merge", *[s["dir"] for s in shards], "--into", args.into, "--bundle", args.bundle],
                   check=True)
    merged = time.monotonic()
    seconds = {"spark_start": ready - started, "shards": piped - ready, "spark_stop": stopped - piped,
               "merge": merged - stopped}
    print(json.dumps({"shards": len(shards), "failed_shards": len(failed), "bytes": sum(s["bytes"] for s in shards),
                      "seconds": {k: round(v, 3) for k, v in seconds.items()}}), file=sys.stderr)
    return 1 if failed else 0


def launched_with_master():
    """Whether spark-submit, or the environment, already names the master."""
    return ("PYSPARK_GATEWAY_PORT" in os.environ or "SPARK_MASTER" in os.environ
            or "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""))


def pipe_in_jvm(context, lines, command):
    """Pipes `lines`, one partition each, through `command` with the JVM's RDD.pipe() and
    returns what the command printed. A command that exits non-zero fails the job."""
    jvm = context._jvm
    java_lines = jvm.java.util.ArrayList()
    for line in lines:
        java_lines.add(line)
    java_command = jvm.java.util.ArrayList()
    for word in command:
        java_command.add(word)
    piped = context._jsc.parallelize(java_lines, len(lines)).pipe(java_command)
    return [str(line) for line in piped.collect()]


if __name__ == "__main__":
    sys.exit(main())
