#!/usr/bin/python3
"""Builds labelled text sets in fastText's format from files already on a Debian machine (no network).

usage: /usr/bin/python3 scripts/make_labelled_sets.py OUTPUT_DIR [--seed 1] [--test-fraction 0.2]
                                                   [--sets debian-section,debian-debtags,fortunes]

Sets (each written as OUTPUT_DIR/<set>.train and OUTPUT_DIR/<set>.test, one example per line,
`__label__<label> token token ...`, shuffled and split with the seed):

  debian-section  the first line of each binary package's Description -> its Section (the
                  component prefix such as contrib/ removed; about 58 classes), from the package
                  index /var/lib/apt/lists/*_Packages (plain or .lz4/.gz/.xz; run `apt-get update`
                  first), each package once.
  debian-debtags  the same descriptions -> every debtag of the package's Tag field (multi-label;
                  tags on fewer than 20 packages dropped, packages left without tags skipped).
  fortunes        each quotation of the `fortunes` package (/usr/share/games/fortunes/*, entries
                  separated by lines holding "%"; install it with `apt-get install fortunes`) ->
                  the name of its file (art, computers, literature, ...).

Text is lowercased and cut into tokens of letters, digits and inner apostrophes (unicode-aware),
nothing else. Prints one line per set with its sizes.
"""

import argparse
import glob
import os
import random
import re
import subprocess
import sys
from collections import Counter

TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
APT_LISTS = "/var/lib/apt/lists"
FORTUNES = "/usr/share/games/fortunes"
MIN_TAG_PACKAGES = 20


def tokens(text):
    return TOKEN.findall(text.lower())


def read_index(path):
    """The text of a Packages file, decompressed as apt stores it."""
    if path.endswith(".lz4"):
        return subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], check=True,
                              capture_output=True).stdout.decode("utf-8", "replace")
    if path.endswith(".gz"):
        import gzip
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            return f.read()
    if path.endswith(".xz"):
        import lzma
        with lzma.open(path, "rt", encoding="utf-8", errors="replace") as f:
            return f.read()
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def packages():
    """(package, section, description first line, [tags]) for every binary package, each once."""
    paths = sorted(p for p in glob.glob(os.path.join(APT_LISTS, "*_Packages*"))
                   if re.search(r"_Packages(\.(lz4|gz|xz))?$", p))
    if not paths:
        sys.exit(f"make_labelled_sets: no package index in {APT_LISTS} (run apt-get update)")
    seen = {}
    for path in paths:
        for stanza in read_index(path).split("\n\n"):
            fields, last = {}, None
            for line in stanza.splitlines():
                if line[:1] in (" ", "\t") and last:
                    fields[last] += " " + line.strip()
                elif ":" in line:
                    last, _, value = line.partition(":")
                    fields[last] = value.strip()
            name = fields.get("Package")
            if not name or name in seen or "Section" not in fields or "Description" not in fields:
                continue
            section = fields["Section"].split("/")[-1]
            tags = [t.strip() for t in fields.get("Tag", "").split(",") if t.strip()]
            seen[name] = (name, section, fields["Description"], tags)
    return [seen[name] for name in sorted(seen)]


def fortunes():
    """(file name, quotation) for every entry of the fortune files."""
    files = sorted(p for p in glob.glob(os.path.join(FORTUNES, "*"))
                   if os.path.isfile(p) and not p.endswith((".dat", ".u8")) and not os.path.islink(p))
    if not files:
        sys.exit(f"make_labelled_sets: no fortune files in {FORTUNES} (apt-get install fortunes)")
    out = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            for entry in re.split(r"^%\s*$", f.read(), flags=re.M):
                if entry.strip():
                    out.append((os.path.basename(path), entry))
    return out


def write_split(directory, name, examples, seed, test_fraction):
    """examples: (labels, tokens) pairs; those without tokens are dropped."""
    lines = [" ".join([f"__label__{label}" for label in labels] + words)
             for labels, words in examples if words and labels]
    random.Random(seed).shuffle(lines)
    test_count = int(round(len(lines) * test_fraction))
    for suffix, part in (("test", lines[:test_count]), ("train", lines[test_count:])):
        with open(os.path.join(directory, f"{name}.{suffix}"), "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in part))
    labels = Counter(label for labels, words in examples if words for label in labels)
    print(f"{name}: {len(lines) - test_count} train + {test_count} test lines, {len(labels)} labels")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--test-fraction", type=float, default=0.2)
    parser.add_argument("--sets", default="debian-section,debian-debtags,fortunes")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    wanted = args.sets.split(",")
    if "debian-section" in wanted or "debian-debtags" in wanted:
        index = packages()
        if "debian-section" in wanted:
            write_split(args.output, "debian-section",
                        [([section], tokens(description)) for _, section, description, _ in index],
                        args.seed, args.test_fraction)
        if "debian-debtags" in wanted:
            counts = Counter(tag for *_, tags in index for tag in set(tags))
            examples = []
            for _, _, description, tags in index:
                kept = sorted({t for t in tags if counts[t] >= MIN_TAG_PACKAGES})
                examples.append((kept, tokens(description)))
            write_split(args.output, "debian-debtags", examples, args.seed, args.test_fraction)
    if "fortunes" in wanted:
        write_split(args.output, "fortunes", [([label], tokens(text)) for label, text in fortunes()],
                    args.seed, args.test_fraction)


if __name__ == "__main__":
    main()
