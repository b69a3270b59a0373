#!/usr/bin/env bash
# Releases the bundles that export packages into cnf/release, the repository the bnd-baseline-maven-plugin compares
# every later build with (README, "Releases and baselining").
#
#   bash cnf/release.sh 0.2.0
#
# Run it on a clean checkout of the commit being released. It builds that commit (git archive of HEAD, so nothing
# uncommitted is released) with every pom's version set to VERSION, copies each bundle that exports a package into
# cnf/release in the Maven repository layout (jar, a minimal pom, checksums, maven-metadata.xml), and prints what to
# do next: set <cachet.baseline.version> in the root pom to VERSION and commit cnf/release with it.
set -euo pipefail

version=${1:?usage: bash cnf/release.sh VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)
repo="$root/cnf/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

current=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
[ -n "$current" ] || { echo "release: cannot read the project version from pom.xml" >&2; exit 1; }

git -C "$root" archive HEAD | tar -x -C "$work"
find "$work" -name pom.xml -exec sed -i "s:<version>$current</version>:<version>$version</version>:g" {} +

# the modules whose bundle exports a package: a package-info.java with @Export, or Export-Package in bnd.bnd
modules=()
while IFS= read -r dir; do
  modules+=("$dir")
done < <(cd "$work" && {
  grep -rl --include=package-info.java -E '@(org\.osgi\.annotation\.bundle\.)?Export\b' . | sed 's:/src/main/java/.*::'
  grep -l '^Export-Package' */*/bnd.bnd 2>/dev/null | xargs -r -n1 dirname
} | sed 's:^\./::' | sort -u)
((${#modules[@]})) || { echo "release: no bundle exports a package" >&2; exit 1; }
echo "release: $version of ${modules[*]}"

list=$(IFS=,; echo "${modules[*]}")
(cd "$work" && mvn -o -B -q -pl "$list" -am package -DskipTests)

for dir in "${modules[@]}"; do
  artifact=$(sed -n 's:^  <artifactId>\(.*\)</artifactId>$:\1:p' "$work/$dir/pom.xml" | head -n 1)
  jar="$work/$dir/target/$artifact-$version.jar"
  [ -f "$jar" ] || { echo "release: $jar was not built" >&2; exit 1; }
  dest="$repo/io/cachet/$artifact/$version"
  mkdir -p "$dest"
  cp "$jar" "$dest/$artifact-$version.jar"
  cat > "$dest/$artifact-$version.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.cachet</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <packaging>jar</packaging>
</project>
EOF
  versions=$(ls "$repo/io/cachet/$artifact" | grep -v '^maven-metadata' | sort -V)
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<metadata>'
    echo '  <groupId>io.cachet</groupId>'
    echo "  <artifactId>$artifact</artifactId>"
    echo '  <versioning>'
    echo "    <latest>$(tail -n 1 <<<"$versions")</latest>"
    echo "    <release>$(tail -n 1 <<<"$versions")</release>"
    echo '    <versions>'
    while IFS= read -r v; do echo "      <version>$v</version>"; done <<<"$versions"
    echo '    </versions>'
    echo '  </versioning>'
    echo '</metadata>'
  } > "$repo/io/cachet/$artifact/maven-metadata.xml"
  for f in "$dest/$artifact-$version.jar" "$dest/$artifact-$version.pom" "$repo/io/cachet/$artifact/maven-metadata.xml"; do
    sha1sum "$f" | cut -d' ' -f1 > "$f.sha1"
  done
  echo "release: $dest/$artifact-$version.jar"
done

echo "release: now set <cachet.baseline.version>$version</cachet.baseline.version> in pom.xml and commit cnf/release"
