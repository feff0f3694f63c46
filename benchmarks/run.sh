#!/usr/bin/env bash
# Runs one benchmark main class with the JVM options Flink needs on JDK 17.
#   benchmarks/run.sh SnapshotBenchmark [--rows=1000000] [--parallelism=1,2] ...
#   benchmarks/run.sh LatencyBenchmark  [--rates=1000,5000] [--measureSeconds=30] ...
# It compiles this checkout's modules and runs them from their target/classes (Maven's reactor), so nothing is
# installed into ~/.m2 and the harness runs exactly the code of this working tree.
# BENCH_SKIP_BUILD=1 reuses the last compile and classpath; MVN_OPTS_EXTRA adds Maven options (default -o, offline).
# JAVA_OPTS adds JVM options (default -Xmx3g).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
main="${1:?usage: run.sh SnapshotBenchmark|LatencyBenchmark|... [--name=value ...]}"
shift
case "$main" in *.*) ;; *) main="io.tapflow.benchmarks.$main" ;; esac

cp_file="$here/target/classpath.txt"
if [[ "${BENCH_SKIP_BUILD:-}" != 1 || ! -s "$cp_file" ]]; then
  # Every module of the reactor writes the file in turn; benchmarks comes last, so its classpath (with the other
  # modules as their target/classes directories) is what remains.
  mvn -B -q -Dstyle.color=never ${MVN_OPTS_EXTRA:--o} -f "$root/pom.xml" -pl benchmarks -am \
    compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
fi
# Flink's --add-opens list, read from the parent pom so it stays the same as the tests'.
opens="$(sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' "$root/pom.xml")"

work="$here/target/bench"
mkdir -p "$work"
# Two runs in one work dir would delete each other's servers (and skew each other's numbers): one at a time.
exec 9>"$here/target/bench.lock"
if ! flock -n 9; then
  echo "another benchmark is running in $work; wait for it to finish" >&2
  exit 1
fi
mkdir -p "$work/tmp"
cd "$here"
status=0
# java.io.tmpdir inside the work dir: whatever Flink or the servers leave in the temp dir is removed below.
java ${JAVA_OPTS:--Xmx3g} $opens -Djava.io.tmpdir="$work/tmp" -Dbench.log="$work/bench.log" -Dbench.workDir="$work" \
  -cp "$here/target/classes:$(cat "$cp_file")" "$main" "$@" || status=$?
rm -rf "$work/tmp"
exit $status
