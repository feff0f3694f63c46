#!/usr/bin/env bash
# Runs one benchmark main class with the JVM options Flink needs on JDK 17.
#   benchmarks/run.sh SnapshotBenchmark [--rows=1000000] [--parallelism=1,2] ...
#   benchmarks/run.sh LatencyBenchmark  [--rates=1000,5000] [--measureSeconds=30] ...
# It compiles benchmarks and the tapflow modules it uses in one reactor build first and runs against their
# target/classes: nothing is installed into ~/.m2, and a run measures this checkout, not whatever jars were installed.
# SKIP_BUILD=1 runs what the last build left. JAVA_OPTS adds JVM options (default -Xmx3g); MVN_OPTS_EXTRA adds
# options to the build (default -o).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
main="${1:?usage: run.sh SnapshotBenchmark|LatencyBenchmark [--name=value ...]}"
shift
case "$main" in *.*) ;; *) main="io.tapflow.benchmarks.$main" ;; esac

cp_file="$here/target/classpath.txt"
if [[ "${SKIP_BUILD:-}" != 1 || ! -s "$cp_file" ]]; then
  # In a reactor build that ran `compile`, the tapflow modules resolve to their target/classes. Every module of the
  # reactor writes the classpath file; benchmarks comes last, so its classpath is the one left.
  mvn -B -q -Dstyle.color=never ${MVN_OPTS_EXTRA:--o} -f "$root/pom.xml" -pl benchmarks -am compile \
    dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
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
