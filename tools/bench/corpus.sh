#!/usr/bin/env bash
# Fetches the real-world PDF corpus of CorpusBenchmark into tools/bench/target/corpus (or $1): PDFs other
# producers wrote, taken from Debian documentation packages (Debian main: DFSG-free), each checked by SHA-256.
# Nothing here is committed to the repository; the .deb files are kept in target/corpus-debs as a cache.
#
#   tools/bench/corpus.sh [folder]          (needs apt-get, dpkg-deb, sha256sum; run `apt-get update` once first)
#
# | file                        | package (Debian 12)              | licence   | what it is                                    |
# |-----------------------------|----------------------------------|-----------|-----------------------------------------------|
# | R-exts.pdf                  | r-doc-pdf                        | GPL-2     | pdfTeX, object + xref streams, 236 p., 1.0 MB |
# | R-intro.pdf                 | r-doc-pdf                        | GPL-2     | pdfTeX, object streams, 113 p., 0.6 MB        |
# | fullrefman.pdf (large/)     | r-doc-pdf                        | GPL-2     | pdfTeX, 565 object streams, 2,415 p., 6.5 MB  |
# | auto-multiple-choice.en.pdf | auto-multiple-choice-doc-pdf     | GPL-2+    | xdvipdfmx, object streams, 101 p.             |
# | reportlab-userguide.pdf     | python-reportlab-doc             | BSD-3     | ReportLab, classic xref table, 134 p.         |
# | GS9_Color_Management.pdf    | ghostscript-doc                  | AGPL-3+   | MiKTeX pdfTeX, large images, 42 p., 6.6 MB    |
# | l3pdffield-textfield.pdf    | texlive-latex-recommended-doc    | LPPL-1.3c | an AcroForm (text fields), 9 p.               |
# | hyperref-generic.pdf        | texlive-latex-recommended-doc    | LPPL-1.3c | claims PDF/A-2 (XMP pdfaid), 106 p.           |
# | microtype.pdf               | texlive-latex-recommended-doc    | LPPL-1.3c | pdfTeX, object streams, 37 p.                 |
# texlive-latex-recommended-doc is a 50 MB download; the others are 0.7-10 MB.
# fullrefman.pdf goes to a sibling folder, corpus-large: PDFBox 3.0.4 (and 3.0.6) takes ~20 s under load for one
# incremental save of it (COSWriter.prepareIncrement dereferences every object; objects of object streams are
# parsed again and again), floor included, which would leave the benchmark's iterations with one file each.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/target/corpus}
debs=$here/target/corpus-debs
mkdir -p "$out" "$debs"

# package | path inside the package | SHA-256 of the PDF
files=(
  "r-doc-pdf|usr/share/R/doc/manual/R-exts.pdf|792220b273d40e8629664d5dd0d6ae4151419d14f613a949aebe85b8c2a1f85c"
  "r-doc-pdf|usr/share/R/doc/manual/R-intro.pdf|337ccd0b490b1e66f7e783b45f4588d0599730b4206c0c051edfe1419c568c51"
  "r-doc-pdf|usr/share/R/doc/manual/fullrefman.pdf|89150a81fb3d3a11223c3e184f38c92adf3e77067aee3661086cf3582cf9dce2|large"
  "auto-multiple-choice-doc-pdf|usr/share/doc/auto-multiple-choice/auto-multiple-choice.en.pdf|dc69b1bcd7b2b601ae05d84cd52f155d12eb8d340407c7e2eb469ce4647ef0f8"
  "python-reportlab-doc|usr/share/doc/python-reportlab-doc/reportlab-userguide.pdf|91ad5429d7b2907b8efefd7b95facfe2fb01ec31b8cefb024e47b0a7ac713420"
  "ghostscript-doc|usr/share/doc/ghostscript/GS9_Color_Management.pdf|42f7aa0dc0e0fa98d0811a631d8e665ce68ce236cdb80b4fe558a2196ff786a1"
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/pdfmanagement-testphase/l3pdffield-textfield.pdf|114acc664d520ba83848921cffc499114ebfbae71900efd0aad5912c9caa7dec"
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/pdfmanagement-testphase/hyperref-generic.pdf|66c7f09f776eacc44ab2cfe4fdd55e875b43207c5e4cd0c7e1dd93f66a2abd27"
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/microtype/microtype.pdf|87d5dea67dac255eddac75106b3b382e7dc20cf91e493888357664c93a9308f4"
)

status=0
for entry in "${files[@]}"; do
  IFS='|' read -r package path sha where <<< "$entry"
  name=$(basename "$path")
  dest=$out
  if [ "${where:-}" = large ]; then dest=$out-large; mkdir -p "$dest"; fi
  target=$dest/$name
  if [ -f "$target" ] && echo "$sha  $target" | sha256sum -c --status; then
    continue
  fi
  deb=$(ls "$debs/${package}"_*.deb 2>/dev/null | head -1 || true)
  if [ -z "$deb" ]; then
    (cd "$debs" && apt-get download "$package") || {
      echo "corpus.sh: cannot download $package (run apt-get update first?)" >&2; status=1; continue; }
    deb=$(ls "$debs/${package}"_*.deb | head -1)
  fi
  tmp=$(mktemp -d)
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./$path"
  if echo "$sha  $tmp/$path" | sha256sum -c --status; then
    mv "$tmp/$path" "$target"
    echo "corpus.sh: $name from $(basename "$deb")"
  else
    echo "corpus.sh: $name in $(basename "$deb") is not the expected file (SHA-256 differs): left out;" \
      "a newer package? check its licence and PDF, then update the SHA-256 here" >&2
    status=1
  fi
  rm -rf "$tmp"
done
echo "corpus.sh: $(ls "$out"/*.pdf 2>/dev/null | wc -l) PDFs, $(du -sh "$out" | cut -f1) in $out"
exit $status
