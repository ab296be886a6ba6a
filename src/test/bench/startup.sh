#!/usr/bin/env bash
# Start-up benchmark of the one-shot commands: `kspark --version` and a `--dry-run` SparkPi submission, for
#   jvm17         java -jar quarkus-run.jar on JDK 17 (the plain JVM launcher)
#   jvm17-kspark  bin/kspark on JDK 17: quick JIT tier, serial GC, AppCDS archive trained at package time
#   jvm25         java -jar quarkus-run.jar on JDK 25
#   jvm25-aot     bin/kspark on JDK 25 built with -Pjdk25-aot: the same settings with a JDK 25 AOT cache
#   native        target/*-runner, when a native build exists (none can be built on the project's machines)
# Runs alternate between variants; prints the median wall time and median peak RSS of each.
#
# Usage: src/test/bench/startup.sh [runs-per-variant]      (default 15)
# Needs: JDK 17 (default java), JDK 25 at $JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64), GNU time, a
# Maven repository that already holds the build's dependencies (builds run offline).
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS=${1:-15}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=target/bench/startup
mkdir -p "$OUT"

build() { # $1 = jdk home, $2 = variant dir, $3.. = extra maven args
  local jdk=$1 name=$2; shift 2
  rm -rf "$OUT/$name"
  JAVA_HOME=$jdk mvn -B -q -o package -DskipTests "$@" >/dev/null
  cp -r target/quarkus-app "$OUT/$name"
}
echo "building variants..." >&2
build "$JDK25" jvm25-aot -Pjdk25-aot
build "$JDK17" jvm17     # last, so target/ is left as a JDK 17 build
NATIVE=$(ls target/*-runner 2>/dev/null | head -1 || true)

declare -A CMD ENVS
CMD[jvm17]="$JDK17/bin/java -jar $OUT/jvm17/quarkus-run.jar";          ENVS[jvm17]="JAVA_HOME=$JDK17"
CMD[jvm17-kspark]="$OUT/jvm17/bin/kspark";                              ENVS[jvm17-kspark]="JAVA_HOME=$JDK17"
CMD[jvm25]="$JDK25/bin/java -jar $OUT/jvm25-aot/quarkus-run.jar";      ENVS[jvm25]="JAVA_HOME=$JDK25"
CMD[jvm25-aot]="$OUT/jvm25-aot/bin/kspark";                             ENVS[jvm25-aot]="JAVA_HOME=$JDK25"
VARIANTS=(jvm17 jvm17-kspark jvm25 jvm25-aot)
if [ -n "$NATIVE" ]; then CMD[native]="$NATIVE"; ENVS[native]="JAVA_HOME=$JDK17"; VARIANTS+=(native); fi

DRYRUN=(submit --dry-run --master k8s://https://kubernetes.example:6443 --deploy-mode cluster --name spark-pi
        --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.container.image=apache/spark:4.1.1
        local:///opt/spark/examples/jars/spark-examples.jar 100)
TIMES="$OUT/time.tmp"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for task in version dryrun; do
  for v in "${VARIANTS[@]}"; do : > "$OUT/$v.$task"; done
  for ((i = 0; i < RUNS; i++)); do
    for v in "${VARIANTS[@]}"; do
      if [ "$task" = version ]; then args=(--version); else args=("${DRYRUN[@]}"); fi
      # shellcheck disable=SC2086
      env ${ENVS[$v]} /usr/bin/time -f '%e %M' -o "$TIMES" ${CMD[$v]} "${args[@]}" >/dev/null 2>&1
      cat "$TIMES" >> "$OUT/$v.$task"
    done
  done
done
printf '%-14s %-8s %12s %16s\n' variant task "wall (s)" "peak RSS (MiB)"
for task in version dryrun; do
  for v in "${VARIANTS[@]}"; do
    wall=$(cut -d' ' -f1 "$OUT/$v.$task" | median)
    rss=$(cut -d' ' -f2 "$OUT/$v.$task" | median)
    printf '%-14s %-8s %12.3f %16.1f\n' "$v" "$task" "$wall" "$(echo "$rss / 1024" | bc -l)"
  done
done
