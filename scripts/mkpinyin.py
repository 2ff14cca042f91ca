#!/usr/bin/env python3
"""Build data/pinyin.tsv, the hanzi -> pinyin table used by the catalogue's
pinyin-initials search, from the Unicode Consortium's Unihan database.

Usage:
    python3 scripts/mkpinyin.py [UNIHAN_READINGS] > data/pinyin.tsv

UNIHAN_READINGS defaults to /usr/share/unicode/Unihan_Readings.txt.bz2 (Debian
package unicode-data); a plain .txt works too.  Standard library only.

Readings come from kMandarin (the customary reading, written first), then
kHanyuPinlu, kXHC1983, kTGHZ2013 and kHanyuPinyin for the other readings of
polyphonic characters.  Tones are stripped to plain ASCII letters; u with
diaeresis becomes "v".  Only CJK Unified Ideographs (U+4E00-U+9FFF) and
Extension A (U+3400-U+4DBF) are kept.  Output format: see data/README.md.
"""

import bz2
import re
import sys
import unicodedata

DEFAULT_SOURCE = "/usr/share/unicode/Unihan_Readings.txt.bz2"
RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
# Order matters: the first field's readings are written first.
FIELDS = ("kMandarin", "kHanyuPinlu", "kXHC1983", "kTGHZ2013", "kHanyuPinyin")


def in_ranges(cp):
    return any(lo <= cp <= hi for lo, hi in RANGES)


def plain(reading):
    """Strip tone marks: 'lǘ' -> 'lv', 'xíng' -> 'xing'.  None if not a syllable."""
    s = unicodedata.normalize("NFD", reading.lower())
    s = s.replace("u\u0308", "v")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s if re.fullmatch(r"[a-z]+", s) else None


def readings_of(field, value):
    """The pinyin syllables in one Unihan field value."""
    if field == "kMandarin":
        return value.split()
    if field == "kHanyuPinlu":  # "lè(283) yuè(54)"
        return [re.sub(r"\(\d+\)$", "", tok) for tok in value.split()]
    out = []  # "0442.080:háng 0460.010,0461.020:xìng" and "10404.100:jiàn,jiān"
    for tok in value.split():
        out.extend(tok.split(":", 1)[-1].split(","))
    return out


def open_source(path):
    if path.endswith(".bz2"):
        return bz2.open(path, "rt", encoding="utf-8")
    return open(path, "rt", encoding="utf-8")


def main(argv):
    source = argv[1] if len(argv) > 1 else DEFAULT_SOURCE
    table = {}  # cp -> {field: [syllables]}
    version = date = "unknown"
    with open_source(source) as f:
        for line in f:
            if line.startswith("#"):
                m = re.match(r"#\s*Unicode version:\s*(\S+)", line)
                version = m.group(1) if m else version
                m = re.match(r"#\s*Date:\s*(.+)$", line)
                date = m.group(1).strip() if m else date
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[1] not in FIELDS:
                continue
            cp = int(parts[0][2:], 16)
            if in_ranges(cp):
                table.setdefault(cp, {})[parts[1]] = readings_of(parts[1], parts[2])

    name = source.rsplit("/", 1)[-1]
    print("# pinyin.tsv - hanzi -> toneless pinyin readings, for pinyin-initials search.")
    print(f"# Source: {name}, Unicode {version} ({date}), fields {' '.join(FIELDS)}.")
    print("# Made by: python3 scripts/mkpinyin.py > data/pinyin.tsv")
    print("# Format: U+XXXX<TAB>reading[ reading...]; code points ascending; readings [a-z]+,")
    print("# the customary (kMandarin) reading first.  See data/README.md.")
    for cp in sorted(table):
        seen = []
        for field in FIELDS:
            for r in table[cp].get(field, []):
                p = plain(r)
                if p and p not in seen:
                    seen.append(p)
        if seen:
            print(f"U+{cp:04X}\t{' '.join(seen)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
