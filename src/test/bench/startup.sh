#!/usr/bin/env bash
# Startup benchmark for the one-shot commands: `kspark --version` and a `--dry-run` SparkPi submission,
# for the plain JVM launcher, AppCDS (what quarkus.package.jar.aot.enabled gives in Quarkus 3.33),
# a JDK 25 Leyden AOT cache, and the native binary when one has been built (target/*-runner).
# Runs alternate between variants; prints median wall time and median peak RSS per variant.
#
# Usage: src/test/bench/startup.sh [runs-per-variant]      (default 15)
# Needs: JDK 17 (default java) and JDK 25 at $JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64), GNU time.
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS=${1:-15}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=target/bench/startup
mkdir -p "$OUT"

build() { # $1 = jdk home, $2 = dir name, $3.. = extra maven args
  local jdk=$1 name=$2; shift 2
  rm -rf "$OUT/$name"
  JAVA_HOME=$jdk mvn -B -q -o package -DskipTests "$@" >/dev/null
  cp -r target/quarkus-app "$OUT/$name"
}
echo "building variants..." >&2
build "$JDK17" jvm17
build "$JDK17" jvm17-appcds -Pjdk25-aot
build "$JDK25" jvm25-appcds -Pjdk25-aot
rm -rf "$OUT/jvm25-leyden" && cp -r "$OUT/jvm25-appcds" "$OUT/jvm25-leyden" && rm -f "$OUT/jvm25-leyden/app-cds.jsa"
DRYRUN=(submit --dry-run --master k8s://https://kubernetes.example:6443 --deploy-mode cluster --name spark-pi
        --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.container.image=apache/spark:4.1.1
        local:///opt/spark/examples/jars/spark-examples.jar 100)
# Leyden training run (JDK 25, one-step): record while doing a dry run, write app.aot at exit.
(cd "$OUT/jvm25-leyden" && "$JDK25/bin/java" -XX:AOTCacheOutput=app.aot -jar quarkus-run.jar "${DRYRUN[@]}" >/dev/null 2>&1)
(cd target && ls ./*-runner >/dev/null 2>&1) && cp target/*-runner "$OUT/native" || true

declare -A CMD
CMD[jvm17]="$JDK17/bin/java -jar quarkus-run.jar"
CMD[jvm17-appcds]="$JDK17/bin/java -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar"
CMD[jvm25]="$JDK25/bin/java -jar quarkus-run.jar"
CMD[jvm25-appcds]="$JDK25/bin/java -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar"
CMD[jvm25-leyden]="$JDK25/bin/java -XX:AOTCache=app.aot -jar quarkus-run.jar"
declare -A DIRS=([jvm17]=jvm17 [jvm17-appcds]=jvm17-appcds [jvm25]=jvm25-appcds [jvm25-appcds]=jvm25-appcds [jvm25-leyden]=jvm25-leyden)
VARIANTS=(jvm17 jvm17-appcds jvm25 jvm25-appcds jvm25-leyden)
if [ -x "$OUT/native" ]; then CMD[native]="$PWD/$OUT/native"; DIRS[native]=.; VARIANTS+=(native); fi

TIMES="$PWD/$OUT/time.tmp"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for task in version dryrun; do
  for v in "${VARIANTS[@]}"; do : > "$OUT/$v.$task"; done
  for ((i = 0; i < RUNS; i++)); do
    for v in "${VARIANTS[@]}"; do
      if [ "$task" = version ]; then args=(--version); else args=("${DRYRUN[@]}"); fi
      (cd "$OUT/${DIRS[$v]}" && /usr/bin/time -f '%e %M' -o "$TIMES" ${CMD[$v]} "${args[@]}" >/dev/null 2>&1)
      cat "$TIMES" >> "$OUT/$v.$task"
    done
  done
done
printf '%-14s %-8s %12s %14s\n' variant task "wall (s)" "peak RSS (MiB)"
for task in version dryrun; do
  for v in "${VARIANTS[@]}"; do
    wall=$(cut -d' ' -f1 "$OUT/$v.$task" | median)
    rss=$(cut -d' ' -f2 "$OUT/$v.$task" | median)
    printf '%-14s %-8s %12.3f %14.1f\n' "$v" "$task" "$wall" "$(echo "$rss / 1024" | bc -l)"
  done
done
