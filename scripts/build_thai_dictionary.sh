#!/usr/bin/env bash
# Rebuild briefings/data/libthai/thbrk.tri: the word list Pango's Thai line breaking (libthai) reads when
# WeasyPrint lays out a briefing. It is libthai's own dictionary plus PyThaiNLP's word list, so words such as
# ดำเนินการ and ผลประโยชน์ — missing from libthai's list — are never broken across lines in print.
# Needs trietool (Debian: apt-get install libdatrie1-bin) and libthai-data; run after upgrading PyThaiNLP.
set -euo pipefail
cd "$(dirname "$0")/.."
out=briefings/data/libthai
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/libthai/thbrk.tri "$work/system.tri"
(cd "$work" && trietool system list | cut -f1) > "$work/system.txt"
# Each word also as the renderer spells it: SARA AM decomposed (briefings.print_text.thai_for_pdf), or
# ดำเนินการ would again be a word libthai does not know.
PYTHAINLP_OFFLINE=1 .venv/bin/python - "$work/system.txt" > "$work/words.txt" <<'PY'
import sys
from pythainlp.corpus import thai_words
from briefings.print_text import thai_for_pdf
words = set(open(sys.argv[1], encoding="utf-8").read().split()) | set(thai_words())
for word in sorted(words):
    if word and all("\u0e01" <= ch <= "\u0e5b" for ch in word):  # Thai letters only, as the alphabet map allows
        print(word)
        if thai_for_pdf(word) != word:
            print(thai_for_pdf(word))
PY
sort -u "$work/words.txt" -o "$work/words.txt"
printf '[0x0e01,0x0e5b]\n' > "$work/thbrk.abm"
(cd "$work" && trietool thbrk add-list -e UTF-8 words.txt)
cp "$work/thbrk.tri" "$out/thbrk.tri"
echo "$(wc -l < "$work/words.txt") words → $out/thbrk.tri"
