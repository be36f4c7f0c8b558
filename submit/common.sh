# shellcheck shell=bash
# Shared shell functions for the submit/ scripts. Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/common.sh"
#
# Provides:
#   BLORA_ROOT, BLORA_CLASSPATH_FILE, BLORA_APP_JAR, BLORA_MAIN_CLASS, SPARK_JVM_FLAGS (array)
#   log / die                      messages on stderr (stdout stays clean for machine-readable output)
#   pin_java17                     exports JAVA_HOME (Java 17) and puts it first on PATH
#   ensure_built                   runs `mvn -B -q -DskipTests -Dassembly.skipAssembly package` if the classpath or
#                                  app jar is missing/stale (the scripts need no release archive)
#   read_classpath                 prints the runtime classpath (':'-separated) written by spark-job's pom
#   build_fake_home DIR            DIR/home with jars/ -> symlinks to the classpath jars; prints DIR/home
#                                  (in a release: checks and prints $SPARK_HOME, or the release's spark/)
#   standalone_auth_file URL       prints the secret properties file of the local standalone cluster at URL, if any
#   export_fake_spark_env HOME     exports SPARK_HOME, SPARK_SCALA_VERSION=2.13, SPARK_LOCAL_IP=127.0.0.1
#   quote_cmd ARGS...              prints a command line, shell-quoted, on stdout
#
# Environment knobs:
#   BLORA_JAVA_HOME   use this JDK instead of searching for Java 17
#   BLORA_APP_JAR     application jar (path or URI, e.g. local:///opt/blora/blora-spark-app.jar); no build if set
#   BLORA_SKIP_BUILD  =1: never run Maven (fail if outputs are missing)
#   BLORA_MVN_ARGS    extra Maven arguments for ensure_built (e.g. "-o")
#   BLORA_SPARK_DIR   state dir of the local standalone cluster / fake SPARK_HOME (default: <repo>/.spark-standalone)

BLORA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
BLORA_CLASSPATH_FILE="$BLORA_ROOT/spark-job/target/classpath.txt"
# A source checkout builds with Maven and takes Spark from the Maven-resolved jars. A release (the
# blora-spark-VERSION-bin.tar.gz of `mvn package`) has no pom.xml, its application jar in lib/, and takes Spark
# from $SPARK_HOME when a gateway node has a distribution, from its own spark/jars/ otherwise.
if [[ -f "$BLORA_ROOT/pom.xml" ]]; then
  BLORA_RELEASE=0
  BLORA_DEFAULT_APP_JAR="$BLORA_ROOT/spark-job/target/blora-spark-app.jar"
else
  BLORA_RELEASE=1
  BLORA_DEFAULT_APP_JAR="$BLORA_ROOT/lib/blora-spark-app.jar"
fi
BLORA_APP_JAR="${BLORA_APP_JAR:-$BLORA_DEFAULT_APP_JAR}"
BLORA_MAIN_CLASS="org.blora.cli.Main"
BLORA_SPARK_DIR="${BLORA_SPARK_DIR:-$BLORA_ROOT/.spark-standalone}"
export BLORA_ROOT BLORA_CLASSPATH_FILE BLORA_APP_JAR BLORA_MAIN_CLASS

# JVM flags Spark needs on Java 17 (Spark's launcher/JavaModuleOptions.java).
# Keep in sync with the <spark.jvm.flags> property of the parent pom.
SPARK_JVM_FLAGS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
  -Dio.netty.allocator.type=pooled
  -Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE
)
export SPARK_JVM_FLAGS

BLORA_PROG="$(basename "$0")"

log() { printf '%s: %s\n' "$BLORA_PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$BLORA_PROG" "$*" >&2; exit 1; }

# Major version of the JDK in $1 (a JAVA_HOME), or empty.
java_major() {
  local jh="$1" line
  [[ -x "$jh/bin/java" ]] || return 0
  # The JDK's release file (JAVA_VERSION="17.0.15") avoids starting a JVM.
  line="$(grep -m 1 '^JAVA_VERSION=' "$jh/release" 2>/dev/null | sed 's/^JAVA_VERSION=/version /')" || line=""
  if [[ -z "$line" ]]; then line="$("$jh/bin/java" -version 2>&1 | head -n 1)" || return 0; fi
  # openjdk version "17.0.15" 2025-04-15  |  java version "1.8.0_x"
  line="${line#*version \"}"
  line="${line%%[.\"]*}"
  printf '%s' "$line"
}

# Spark 4 on Java 25 fails in Hadoop's user lookup: always launch Spark with Java 17.
pin_java17() {
  local cand
  if [[ -n "${BLORA_JAVA_HOME:-}" ]]; then
    [[ -x "$BLORA_JAVA_HOME/bin/java" ]] || die "BLORA_JAVA_HOME=$BLORA_JAVA_HOME has no bin/java"
    JAVA_HOME="$BLORA_JAVA_HOME"
  elif [[ -n "${JAVA_HOME:-}" && "$(java_major "$JAVA_HOME")" == 17 ]]; then
    : # already Java 17
  else
    JAVA_HOME=""
    for cand in /usr/lib/jvm/java-17-openjdk* /usr/lib/jvm/*17* /usr/lib/jvm/*/ \
                "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
      cand="${cand%/}"
      if [[ -d "$cand" && "$(java_major "$cand")" == 17 ]]; then JAVA_HOME="$cand"; break; fi
    done
    [[ -n "$JAVA_HOME" ]] || die "no Java 17 found (looked at JAVA_HOME, /usr/lib/jvm, java on PATH); set BLORA_JAVA_HOME"
  fi
  export JAVA_HOME
  PATH="$JAVA_HOME/bin:$PATH"
  export PATH
}

# Prints the first source file (pom.xml or anything under */src/main/) newer than $1, if any; with $2 = poms,
# only a pom.xml counts.
_newer_source() {
  local -a what=(-name pom.xml -o -path '*/src/main/*')
  [[ "${2:-}" != poms ]] || what=(-name pom.xml)
  find "$BLORA_ROOT" \( -name target -o -name .git -o -name .spark-standalone -o -name node_modules -o -path "$BLORA_ROOT/runs" \
       -o -path "$BLORA_ROOT/data" \) -prune -o -type f \( "${what[@]}" \) -newer "$1" -print -quit 2>/dev/null
}

# Builds the project when spark-job/target/classpath.txt or the app jar is missing or older than a pom/source.
ensure_built() {
  local reason="" out
  if [[ "$BLORA_RELEASE" == 1 ]]; then
    [[ "$BLORA_APP_JAR" != "$BLORA_DEFAULT_APP_JAR" || -s "$BLORA_APP_JAR" ]] || die "this release lacks $BLORA_APP_JAR"
    return 0
  fi
  if [[ ! -s "$BLORA_CLASSPATH_FILE" ]]; then reason="missing ${BLORA_CLASSPATH_FILE#"$BLORA_ROOT"/}"
  elif [[ "$BLORA_APP_JAR" == "$BLORA_DEFAULT_APP_JAR" && ! -s "$BLORA_APP_JAR" ]]; then
    reason="missing ${BLORA_APP_JAR#"$BLORA_ROOT"/}"
  else
    # The app jar is rewritten by every package. A custom BLORA_APP_JAR is the user's own build: only the
    # dependency classpath must be current, i.e. no pom.xml newer than classpath.txt.
    if [[ "$BLORA_APP_JAR" == "$BLORA_DEFAULT_APP_JAR" ]]; then out="$(_newer_source "$BLORA_APP_JAR")"
    else out="$(_newer_source "$BLORA_CLASSPATH_FILE" poms)"; fi
    [[ -z "$out" ]] || reason="${out#"$BLORA_ROOT"/} is newer than the build"
  fi
  [[ -n "$reason" ]] || return 0
  [[ "${BLORA_SKIP_BUILD:-0}" != 1 ]] || die "build needed ($reason) but BLORA_SKIP_BUILD=1"
  log "building ($reason): mvn -B -q -DskipTests -Dassembly.skipAssembly package ${BLORA_MVN_ARGS:-}"
  # shellcheck disable=SC2086  # BLORA_MVN_ARGS is a word list on purpose
  (cd "$BLORA_ROOT" && mvn -B -q -Dstyle.color=never -DskipTests -Dassembly.skipAssembly ${BLORA_MVN_ARGS:-} package) >&2 \
    || die "maven build failed"
  [[ -s "$BLORA_CLASSPATH_FILE" ]] || die "build did not write $BLORA_CLASSPATH_FILE (spark-job pom: dependency:build-classpath)"
  # dependency:build-classpath leaves an unchanged classpath.txt untouched: mark both outputs as fresh.
  touch "$BLORA_CLASSPATH_FILE"
  if [[ "$BLORA_APP_JAR" == "$BLORA_DEFAULT_APP_JAR" && -f "$BLORA_APP_JAR" ]]; then touch "$BLORA_APP_JAR"; fi
}

read_classpath() {
  if [[ "$BLORA_RELEASE" == 1 ]]; then
    release_spark_home >/dev/null
    printf '%s' "$SPARK_HOME/jars/*"
    return 0
  fi
  [[ -s "$BLORA_CLASSPATH_FILE" ]] || die "missing $BLORA_CLASSPATH_FILE; run ensure_built first"
  tr -d '\n\r' < "$BLORA_CLASSPATH_FILE"
}

# A fake Spark distribution: DIR/home/jars -> symlinks to the Maven-resolved jars (what the Worker needs to
# build executor command lines). The project's own module jars are left out, as in a real
# distribution: the application jar ships them. jars/ is a symlink to a content-addressed directory and is
# swapped atomically, so a running cluster never sees a half-built jars/.
build_fake_home() {
  local dir="$1" home sum jdir entry name cp
  if [[ "$BLORA_RELEASE" == 1 ]]; then
    mkdir -p "$dir"
    release_spark_home
    return 0
  fi
  home="$dir/home"
  mkdir -p "$home"
  cp="$(read_classpath)"
  sum="$(printf '%s' "$cp" | cksum | cut -d' ' -f1)"
  jdir=".jars-$sum"
  if [[ ! -d "$home/$jdir" || "$(readlink "$home/jars" 2>/dev/null || true)" != "$jdir" ]]; then
    rm -rf "${home:?}/$jdir.tmp"
    mkdir -p "$home/$jdir.tmp"
    local -a entries links=()
    local -A seen=()
    IFS=':' read -r -a entries <<<"$cp"
    for entry in "${entries[@]}"; do
      [[ "$entry" == *.jar && -f "$entry" ]] || continue
      [[ "$entry" != "$BLORA_ROOT"/* ]] || continue
      name="${entry##*/}"
      [[ -z "${seen[$name]:-}" ]] || continue
      seen[$name]=1
      links+=("$entry")
    done
    ((${#links[@]})) || die "no jars in $BLORA_CLASSPATH_FILE"
    ln -s -t "$home/$jdir.tmp" "${links[@]}"
    rm -rf "${home:?}/$jdir"
    mv "$home/$jdir.tmp" "$home/$jdir"
    ln -sfn "$jdir" "$home/jars.tmp"
    mv -T "$home/jars.tmp" "$home/jars"
    find "$home" -maxdepth 1 -name '.jars-*' ! -name "$jdir" -exec rm -rf {} +
  fi
  mkdir -p "$home/conf"
  # Keep the runtime state out of git without touching the repo's .gitignore.
  [[ -e "$dir/.gitignore" ]] || printf '*\n' > "$dir/.gitignore"
  printf '%s\n' "$home"
}

# A release runs on the Spark 4.2 (Scala 2.13) distribution $SPARK_HOME names, or without one on its own spark/
# (Spark's jars with its YARN module and Hadoop's client, as the build resolved them).
release_spark_home() {
  local home="${SPARK_HOME:-$BLORA_ROOT/spark}"
  [[ -d "$home/jars" ]] \
    || die "SPARK_HOME=$home has no jars/: set SPARK_HOME to a Spark 4.2 distribution (Scala 2.13), or unset it to use this release's spark/"
  compgen -G "$home/jars/spark-core_2.13-*.jar" >/dev/null \
    || die "SPARK_HOME=$home has no jars/spark-core_2.13-*.jar: a Spark 4.2 distribution for Scala 2.13 is needed"
  printf '%s\n' "$home"
}

# The local standalone cluster (submit/standalone.sh) runs with spark.authenticate and a secret kept in its state
# dir; a job submitted to it needs the same settings. Prints that properties file when $1 is that cluster's URL.
standalone_auth_file() {
  local url="$1" env="$BLORA_SPARK_DIR/cluster.env" file="$BLORA_SPARK_DIR/spark-auth.conf"
  [[ -r "$env" && -r "$file" ]] || return 0
  [[ "$(sed -n 's/^MASTER_URL=//p' "$env")" == "$url" ]] || return 0
  printf '%s\n' "$file"
}

export_fake_spark_env() {
  export SPARK_HOME="$1"
  export SPARK_SCALA_VERSION=2.13
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  export SPARK_CONF_DIR="$1/conf"
}

quote_cmd() {
  local out="" a
  for a in "$@"; do out+="$(printf '%q' "$a") "; done
  printf '%s\n' "${out% }"
}
