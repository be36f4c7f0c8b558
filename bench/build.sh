# Sourced by the bench scripts from the repository root: compiles the benchmark classes (MVN_OFFLINE=-o for an
# offline build) and sets CP (their classpath) and FLAGS (the JVM flags of the parent pom's spark.jvm.flags).
mkdir -p target
mvn -B -q ${MVN_OFFLINE:-} -pl spark-job -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >target/bench-build.log 2>&1 \
    || { cat target/bench-build.log; exit 1; }
CP="spark-job/target/test-classes:spark-job/target/classes:$(cat spark-job/target/bench-classpath.txt)"
FLAGS=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
