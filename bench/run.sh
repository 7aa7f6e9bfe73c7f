#!/usr/bin/env bash
# make bench: throughput against zstd -3 -T0 on the same file, peak memory at 100 MB and
# 1 GB, the speed-up from --jobs 1 to --jobs 2, and retrieve latency of a 60-line range.
# Every figure is the median of RUNS runs measured in this same invocation.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/headroom-batch
GEN=.build/release/hb-loggen
OUT=bench/out
RUNS=${RUNS:-3}
TOKENIZER=${TOKENIZER:-../shared/datasets/tokenizers/o200k_base.tiktoken}
mkdir -p "$OUT"
tok=(); [ -f "$TOKENIZER" ] && tok=(--tokenizer "$TOKENIZER")

for size in 100M 1G; do
  [ -f "$OUT/gen-$size.log" ] || "$GEN" --size "$size" --seed 1 --output "$OUT/gen-$size.log"
done

# Runs a command RUNS times (stdout discarded); prints the median seconds and that run's
# peak RSS in KB, read with wait4 for the child alone. `--clean DIR` first removes DIR before
# each run (and syncs), outside the timing.
run_stats() {
  python3 - "$RUNS" "$@" <<'PY'
import os, shutil, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
clean = None
if cmd[0] == "--clean":  # a directory removed before each run, outside the timing
    clean, cmd = cmd[1], cmd[2:]
times, peaks = [], []
for _ in range(runs):
    if clean:
        shutil.rmtree(clean, ignore_errors=True)
        os.sync()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY); os.dup2(fd, 1)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    times.append(time.monotonic() - start)
    peaks.append(usage.ru_maxrss)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(cmd)}")
print("  " + " ".join(cmd[-1:]) + ": " + " ".join(f"{t:.2f}" for t in times) + " s", file=sys.stderr)
order = sorted(range(runs), key=lambda i: times[i])
mid = order[runs // 2]
print(f"{times[mid]:.3f} {peaks[mid]}")
PY
}

echo "headroom-batch bench · $(nproc) cores · median of $RUNS runs"
declare -A T M
for size in 100M 1G; do
  f="$OUT/gen-$size.log"
  cat "$f" > /dev/null   # page cache warm for every contender alike
  read -r T[zstd-$size] M[zstd-$size] < <(run_stats --clean "$OUT/zstd-out" zstd -3 -T0 -q -f "$f" -o "$OUT/gen.zst")
  for jobs in 1 2; do
    arch="$OUT/archive-$size-$jobs"
    read -r T[hb$jobs-$size] M[hb$jobs-$size] < <(run_stats --clean "$arch" $BIN compress -q --jobs $jobs --archive "$arch" "${tok[@]}" "$f")
  done
done

printf '%-6s %-26s %10s %12s\n' size command seconds "peak RSS"
for size in 100M 1G; do
  printf '%-6s %-26s %10s %9s MB\n' "$size" "zstd -3 -T0" "${T[zstd-$size]}" "$(( ${M[zstd-$size]} / 1024 ))"
  for jobs in 1 2; do
    printf '%-6s %-26s %10s %9s MB\n' "$size" "headroom-batch --jobs $jobs" "${T[hb$jobs-$size]}" "$(( ${M[hb$jobs-$size]} / 1024 ))"
  done
done
python3 - "${T[hb2-1G]}" "${T[zstd-1G]}" "${T[hb1-1G]}" "${M[hb2-1G]}" "${M[hb2-100M]}" <<'PY'
import sys
hb2, zstd, hb1, m1g, m100 = map(float, sys.argv[1:])
print(f"1 GB: headroom-batch --jobs 2 / zstd -3 -T0 wall time = {hb2/zstd:.2f}x (target <= 2.0 with template mining)")
print(f"1 GB: --jobs 1 / --jobs 2 = {hb1/hb2:.2f}x speed-up (target >= 1.6)")
print(f"peak memory 1 GB = {m1g/1024:.0f} MB (target <= 300), 1 GB / 100 MB = {m1g/m100:.2f}x (target <= 1.3)")
PY

# Retrieve a 60-line range from the middle of the 1 GB log.
arch="$OUT/archive-1G-2"
ref=$($BIN compress -q --archive "$arch" "$OUT/gen-1G.log" | head -1 | grep -o 'hb_[0-9a-f]*$')
read -r t _ < <(RUNS=7 run_stats $BIN retrieve --archive "$arch" "$ref:5000000-5000059")
python3 -c "print(f'retrieve of a 60-line range from the 1 GB log: {float(\"$t\")*1000:.1f} ms median (target < 50)')"

# JSONL: compress on a 1 GB generated JSONL of API-like records (records parsed on bytes in
# the workers), against zstd -3 -T0 on the same file.
f="$OUT/gen-1G.jsonl"
[ -f "$f" ] || "$GEN" --format jsonl --size 1G --seed 1 --output "$f"
cat "$f" > /dev/null
read -r tz _ < <(run_stats --clean "$OUT/zstd-out" zstd -3 -T0 -q -f "$f" -o "$OUT/gen-jsonl.zst")
read -r tj mj < <(run_stats --clean "$OUT/archive-jsonl" $BIN compress -q --jobs 2 --archive "$OUT/archive-jsonl" "${tok[@]}" "$f")
python3 - "$tj" "$tz" "$mj" "$(stat -c %s "$f")" <<'PY'
import sys
t, tz, m, size = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"JSONL 1 GB: headroom-batch --jobs 2 {t:.2f} s = {size/t/1e6:.0f} MB/s (target >= 150), "
      f"zstd -3 -T0 {tz:.2f} s, ratio {t/tz:.2f}x, peak {m/1024:.0f} MB")
PY

# RAG pipeline: `run` on a generated RAG corpus (overlapping windows of documents, footers,
# duplicates): the first run from nothing, a second run over the unchanged corpus, and a run
# after 1% more records were appended. RAG_SIZE changes the corpus size (default 1G).
rag_size=${RAG_SIZE:-1G}
rag_dir="$OUT/rag-run"
mkdir -p "$OUT/rag-corpus"
f="$OUT/rag-corpus/corpus.jsonl"
[ -f "$OUT/gen-rag-$rag_size.jsonl" ] || "$GEN" --format rag --size "$rag_size" --seed 1 --output "$OUT/gen-rag-$rag_size.jsonl"
cp "$OUT/gen-rag-$rag_size.jsonl" "$f"
cat > "$OUT/rag.toml" <<TOML
[[inputs]]
path = "rag-corpus/corpus.jsonl"
[output]
directory = "rag-run/out"
archive = "rag-run/archive"
[run]
jobs = 2
TOML
read -r tz _ < <(run_stats --clean "$OUT/zstd-out" zstd -3 -T0 -q -f "$f" -o "$OUT/gen-rag.zst")
read -r t1 m1 < <(run_stats --clean "$rag_dir" $BIN run -q "${tok[@]}" "$OUT/rag.toml")
read -r t2 _ < <(run_stats $BIN run -q "${tok[@]}" "$OUT/rag.toml")
size=$(stat -c %s "$f")
"$GEN" --format rag --size $((size / 100)) --seed 2 >> "$f"
RUNS=1 run_stats $BIN run -q "${tok[@]}" "$OUT/rag.toml" > "$OUT/rag-change.txt"
read -r t3 _ < "$OUT/rag-change.txt"

python3 - "$t1" "$m1" "$t2" "$t3" "$tz" "$size" <<'PY'
import sys
t1, m1, t2, t3, tz, size = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
print(f"RAG pipeline {size/1e9:.2f} GB: first run {t1:.2f} s = {size/t1/1e6:.0f} MB/s (target >= 100), peak {m1/1024:.0f} MB "
      f"(target <= 1 GB), zstd -3 -T0 {tz:.2f} s; unchanged second run {t2:.2f} s = {t2/t1*100:.1f}% of the first "
      f"(target <= 5%); after appending 1% more records {t3:.2f} s = {t3/t1*100:.1f}%")
PY

# Sharded: the 1 GB log through pipelines/spark_compress.py (PySpark local[2], shards of
# 256 MB) against one `compress --jobs 2` of the same file, both into fresh archives.
spark_py=.build/spark-venv/bin/python
if [ -x "$spark_py" ]; then
  f="$OUT/gen-1G.log"
  read -r ts _ < <(run_stats --clean "$OUT/archive-single" $BIN compress -q --jobs 2 --archive "$OUT/archive-single" "${tok[@]}" "$f")
  read -r tp _ < <(run_stats --clean "$OUT/spark" "$spark_py" pipelines/spark_compress.py "$f" --shard-bytes 256M \
      --work "$OUT/spark/work" --into "$OUT/spark/archive" --bundle "$OUT/spark/bundle.md" --binary "$BIN" \
      --master "local[2]" -- --jobs 1 "${tok[@]}" 2> "$OUT/spark.log")
  python3 -c "print(f'Spark (local[2], 4 shards of 256 MB) on the 1 GB log: {float(\"$tp\"):.2f} s, one compress --jobs 2: {float(\"$ts\"):.2f} s, ratio {float(\"$tp\")/float(\"$ts\"):.2f}x (target <= 1.5)')"
  # Where the Spark run's time went (its last run): JVM start, the shards, JVM stop, merge.
  python3 - "$OUT/spark.log" <<'PY'
import json, sys
summary = json.loads([l for l in open(sys.argv[1]) if l.startswith('{"shards"')][-1])
print("  Spark run, last: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary["seconds"].items()))
PY
else
  echo "Spark: skipped (no $spark_py; make spark-env installs PySpark)"
fi

# Template mining throughput on the 1 GB log: lines of input per second of `templates`.
f="$OUT/gen-1G.log"
cat "$f" > /dev/null
lines=$(wc -l < "$f")
read -r t _ < <(run_stats $BIN templates "$f")
python3 -c "print(f'templates: $lines lines in {float(\"$t\"):.2f} s = {$lines/float(\"$t\")/1e6:.2f} M lines/s (target >= 1.0)')"

# Drain3 (Python, PyPI `drain3`) on the 100 MB log against `templates` on the same file.
# Drain3 is slow, so it runs once; DRAIN3=0 skips it. It is installed into bench/out/venv
# when no Python at hand can import it; if that fails the comparison is skipped.
if [ "${DRAIN3:-1}" = 0 ]; then
  echo "Drain3: skipped (DRAIN3=0)"
else
  venv="$OUT/venv"
  py=""
  if python3 -c 'import drain3' 2>/dev/null; then
    py=python3
  elif "$venv/bin/python" -c 'import drain3' 2>/dev/null; then
    py="$venv/bin/python"
  else
    log="$OUT/drain3-install.log"
    if { python3 -m venv "$venv" && "$venv/bin/python" -m pip install -q --disable-pip-version-check drain3; } > "$log" 2>&1; then
      py="$venv/bin/python"
    elif python3 -m pip install -q --disable-pip-version-check --break-system-packages drain3 >> "$log" 2>&1; then
      py=python3
    fi
    [ -n "$py" ] && ! "$py" -c 'import drain3' 2>/dev/null && py=""
  fi
  if [ -z "$py" ]; then
    echo "Drain3: skipped (could not install drain3 with pip; see $log)"
  else
    f="$OUT/gen-100M.log"
    cat "$f" > /dev/null
    echo "  Drain3 on $f (one run, slow: about a minute) ..." >&2
    d3=$("$py" bench/drain3_bench.py "$f")   # lines=N clusters=C seconds=S
    echo "  drain3_bench.py: $d3" >&2
    read -r t2 _ < <(run_stats $BIN templates "$f")
    $BIN templates "$f" > "$OUT/templates-100M.txt"
    ntpl=$(sed -n '1s/.* \([0-9,]*\) templates$/\1/p' "$OUT/templates-100M.txt" | tr -d ,)
    python3 - "$d3" "$t2" "$ntpl" <<'PY'
import sys
d3 = dict(kv.split("=") for kv in sys.argv[1].split())
s1, s2, ntpl = float(d3["seconds"]), float(sys.argv[2]), sys.argv[3]
print(f"Drain3 on 100 MB: {s1:.1f} s ({d3['clusters']} clusters, 1 run); "
      f"headroom-batch templates: {s2:.2f} s ({ntpl} templates); ratio = {s1/s2:.1f}x")
PY
  fi
fi
