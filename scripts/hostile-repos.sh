#!/usr/bin/env bash
# Builds hostile regional repositories with the git CLI (docs/fault-model.md), one bare repository
# per case under <out>/<case>.git. Each holds the same two valid records (VALID_STAKEHOLDER,
# VALID_EVENT of lk-augsburg) plus one hostile thing, so a test can check that kbm refuses the
# hostile part with a clear message and still imports the valid records.
#
#   bash scripts/hostile-repos.sh <out>            # every case
#   bash scripts/hostile-repos.sh <out> big-blob   # only the named cases
#
# Names with bytes git's index refuses ('..', control characters) are written with `git mktree`.
# git cannot store a NUL in a name (a tree entry ends at NUL), so control characters stand in.
set -euo pipefail
OUT=${1:?usage: hostile-repos.sh <out> [case…]}
shift
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
export GIT_AUTHOR_NAME="Web Editor" GIT_AUTHOR_EMAIL=web@example.org GIT_COMMITTER_NAME="Web Editor" GIT_COMMITTER_EMAIL=web@example.org
export GIT_AUTHOR_DATE="2026-01-10T08:00:00Z" GIT_COMMITTER_DATE="2026-01-10T08:00:00Z"

VALID_STAKEHOLDER=01JD3Q5V8X2M4N6P8R0T2W4Y6A
VALID_EVENT=01JD3Q5V8X2M4N6P8R0T2W4Y6B
OTHER_ID=01JD3Q5V8X2M4N6P8R0T2W4Y6C

# record <id> <kind> <county> [extra front-matter lines…]
record() {
  local id=$1 kind=$2 county=$3
  shift 3
  printf -- '---\nid: %s\nkind: %s\ncounty: %s\nformat: 1\ncreated: 2026-01-10T08:00:00Z\nupdated: 2026-01-10T08:00:00Z\n' "$id" "$kind" "$county"
  for line in "$@"; do printf '%s\n' "$line"; done
  printf -- '---\n'
}

# path <county> <kind> <id>
path() { local id=$3; printf 'counties/%s/%s/%s/%s.md' "$1" "$2" "$(printf '%s' "${id: -1}" | tr 'A-Z' 'a-z')" "$id"; }

# blob <file>: writes a blob, prints its id.
blob() { git hash-object -w "$1"; }

# Builds nested trees from "mode<TAB>type<TAB>sha<TAB>path" lines (NUL-separated, any bytes but
# NUL in the path) on stdin with `git mktree -z`, which, unlike the index, checks no names.
# Prints the root tree's id.
tree_from_list() {
  python3 -c '
import subprocess, sys
entries = [e.split(b"\t", 3) for e in sys.stdin.buffer.read().split(b"\0") if e]
def build(items):
    files, folders = [], {}
    for mode, kind, sha, path in items:
        head, sep, rest = path.partition(b"/")
        if sep: folders.setdefault(head, []).append((mode, kind, sha, rest))
        else: files.append((mode, kind, sha, head))
    data = b"".join(m + b" " + k + b" " + s + b"\t" + p + b"\0" for m, k, s, p in files)
    for name, sub in folders.items():
        data += b"040000 tree " + build(sub) + b"\t" + name + b"\0"
    return subprocess.run(["git", "mktree", "-z"], input=data, capture_output=True, check=True).stdout.strip()
sys.stdout.write(build(entries).decode())
'
}

# new_repo <case>: a bare repository at $OUT/<case>.git and a scratch folder $T; prints nothing.
new_repo() {
  REPO="$OUT/$1.git"
  rm -rf "$REPO"
  git init -q --bare -b main "$REPO"
  export GIT_DIR="$REPO"
  T=$(mktemp -d)
  LIST="$T/list"
  : > "$LIST"
  record "$VALID_STAKEHOLDER" stakeholder lk-augsburg "name: Gültige Person" "type: person" > "$T/valid1"
  record "$VALID_EVENT" event lk-augsburg "title: Gültiger Fachtag" "start: \"2026-03-14\"" > "$T/valid2"
  printf '# Regional repository (kbm)\n' > "$T/readme"
  add 100644 blob "$(blob "$T/readme")" "README.md"
  add 100644 blob "$(blob "$T/valid1")" "$(path lk-augsburg stakeholder $VALID_STAKEHOLDER)"
  add 100644 blob "$(blob "$T/valid2")" "$(path lk-augsburg event $VALID_EVENT)"
}

# add <mode> <type> <sha> <path>
add() { printf '%s\t%s\t%s\t%s\0' "$1" "$2" "$3" "$4" >> "$LIST"; }

# commit_repo [message]: commits the listed entries on main (on top of the current main, if any).
commit_repo() {
  local tree parent=()
  tree=$(tree_from_list < "$LIST")
  if git rev-parse -q --verify refs/heads/main >/dev/null; then parent=(-p refs/heads/main); fi
  git update-ref refs/heads/main "$(git commit-tree "$tree" "${parent[@]}" -m "${1:-hostile: $(basename "$REPO" .git)}")"
  unset GIT_DIR
  rm -rf "$T"
}

CASES=("$@")
case_wanted() { [ ${#CASES[@]} -eq 0 ] || [[ " ${CASES[*]} " == *" $1 "* ]]; }

if case_wanted path-traversal; then
  new_repo path-traversal
  record "$OTHER_ID" stakeholder lk-augsburg "name: Über Umwege" "type: person" > "$T/f"
  add 100644 blob "$(blob "$T/f")" "counties/x/../../../../tmp/PWNED-traversal/$OTHER_ID.md"
  add 100644 blob "$(blob "$T/f")" "counties/lk-augsburg/stakeholder/../../../PWNED-up.md"
  commit_repo
fi

if case_wanted symlinks; then
  new_repo symlinks
  printf '/etc/passwd' > "$T/l1"; printf '../../../../../../tmp/PWNED-symlink-dir' > "$T/l2"
  add 120000 blob "$(blob "$T/l1")" "$(path lk-augsburg stakeholder $OTHER_ID)"
  add 120000 blob "$(blob "$T/l2")" "counties/lk-dillingen"
  commit_repo
fi

if case_wanted submodule; then
  new_repo submodule
  printf '[submodule "evil"]\n\tpath = counties/lk-augsburg/evil\n\turl = https://example.org/evil.git\n' > "$T/gm"
  add 100644 blob "$(blob "$T/gm")" ".gitmodules"
  add 160000 commit 0123456789abcdef0123456789abcdef01234567 "counties/lk-augsburg/evil"
  commit_repo
fi

if case_wanted case-clash; then
  # Folders and files whose names differ only by case: on a case-insensitive disk they would
  # overwrite each other; kbm has no working tree, and refuses the upper-case ones.
  new_repo case-clash
  record "$OTHER_ID" stakeholder lk-augsburg "name: Groß geschrieben" "type: person" > "$T/f"
  add 100644 blob "$(blob "$T/f")" "counties/LK-Augsburg/stakeholder/c/$OTHER_ID.md"
  lower=$(printf '%s' "$VALID_STAKEHOLDER" | tr 'A-Z' 'a-z')
  record "$VALID_STAKEHOLDER" stakeholder lk-augsburg "name: Klein geschrieben" "type: person" > "$T/g"
  add 100644 blob "$(blob "$T/g")" "counties/lk-augsburg/stakeholder/a/$lower.md"
  add 100644 blob "$(blob "$T/g")" "counties/lk-augsburg/stakeholder/A/$VALID_STAKEHOLDER.md"
  add 100644 blob "$(blob "$T/readme")" "readme.md"
  commit_repo
fi

if case_wanted control-names; then
  new_repo control-names
  printf 'x\n' > "$T/x"
  add 100644 blob "$(blob "$T/x")" "counties/lk-augsburg/stakeholder/evil"$'\e'"[2J"$'\x01\t\n\x7f'".md"
  add 100644 blob "$(blob "$T/x")" "docs/evil"$'\xc2\x85\xe2\x80\xae'"dm.md"
  add 100644 blob "$(blob "$T/x")" "counties/lk-augsburg/evil-"$'\xff\xfe'".md"
  commit_repo
fi

if case_wanted big-blob; then
  # 100 MiB at a record path (highly compressible, so the pack stays small): refused by its size
  # from the object header, never read whole.
  new_repo big-blob
  { record "$OTHER_ID" stakeholder lk-augsburg "name: Riesig" "type: person"; head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; } > "$T/big"
  add 100644 blob "$(blob "$T/big")" "$(path lk-augsburg stakeholder $OTHER_ID)"
  rm -f "$T/big"
  commit_repo
fi

if case_wanted invalid-utf8; then
  new_repo invalid-utf8
  { record "$OTHER_ID" stakeholder lk-augsburg "type: person"; } | sed 's/^type: person$/name: Kap\xfftt\ntype: person/' > "$T/f"
  add 100644 blob "$(blob "$T/f")" "$(path lk-augsburg stakeholder $OTHER_ID)"
  commit_repo
fi

if case_wanted deep-yaml; then
  # 10,000 levels of nesting, three ways: flow sequences, flow mappings, block sequences on one line.
  new_repo deep-yaml
  n=10000
  record 01JD3Q5V8X2M4N6P8R0T2W4Y6D event lk-augsburg "title: Tief" "goals: $(printf '%*s' $n '' | tr ' ' '[')$(printf '%*s' $n '' | tr ' ' ']')" > "$T/a"
  record 01JD3Q5V8X2M4N6P8R0T2W4Y6E event lk-augsburg "title: Tief" "x_deep: $(printf '%*s' $n '' | sed 's/ /{a: /g')1$(printf '%*s' $n '' | tr ' ' '}')" > "$T/b"
  record 01JD3Q5V8X2M4N6P8R0T2W4Y6F event lk-augsburg "title: Tief" "goals:" "$(printf '%*s' $n '' | sed 's/ /- /g')x" > "$T/c"
  add 100644 blob "$(blob "$T/a")" "$(path lk-augsburg event 01JD3Q5V8X2M4N6P8R0T2W4Y6D)"
  add 100644 blob "$(blob "$T/b")" "$(path lk-augsburg event 01JD3Q5V8X2M4N6P8R0T2W4Y6E)"
  add 100644 blob "$(blob "$T/c")" "$(path lk-augsburg event 01JD3Q5V8X2M4N6P8R0T2W4Y6F)"
  commit_repo
fi

if case_wanted billion-laughs; then
  new_repo billion-laughs
  lines=('x_a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
  prev=a
  for name in b c d e f g h i; do
    lines+=("x_$name: &$name [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]")
    prev=$name
  done
  record "$OTHER_ID" tip lk-augsburg "title: Lachen" "${lines[@]}" > "$T/f"
  add 100644 blob "$(blob "$T/f")" "$(path lk-augsburg tip $OTHER_ID)"
  commit_repo
fi

if case_wanted duplicate-ids; then
  # The same id in two files (two counties' folders, each consistent with its path).
  new_repo duplicate-ids
  record "$VALID_STAKEHOLDER" stakeholder stadt-kempten "name: Doppelgänger" "type: person" > "$T/f"
  add 100644 blob "$(blob "$T/f")" "$(path stadt-kempten stakeholder $VALID_STAKEHOLDER)"
  commit_repo
fi

if case_wanted id-mismatch; then
  new_repo id-mismatch
  record "$OTHER_ID" stakeholder lk-augsburg "name: Falscher Pfad" "type: person" > "$T/f"
  add 100644 blob "$(blob "$T/f")" "$(path lk-augsburg stakeholder 01JD3Q5V8X2M4N6P8R0T2W4Y6G)"
  commit_repo
fi

if case_wanted force-push; then
  # main has two commits; refs/rewritten is main's first commit plus a different second one:
  # `git update-ref refs/heads/main refs/rewritten` in this repository is a force-push that drops
  # the record VALID_EVENT's last edit and the record OTHER_ID.
  new_repo force-push
  commit_repo "region: first"
  export GIT_DIR="$OUT/force-push.git"
  T=$(mktemp -d); LIST="$T/list"; : > "$LIST"
  record "$OTHER_ID" tip lk-augsburg "title: Nur in der verworfenen Geschichte" > "$T/f"
  git ls-tree -r -z main | while IFS= read -r -d '' line; do
    meta=${line%%$'\t'*}; p=${line#*$'\t'}; set -- $meta; add "$1" "$2" "$3" "$p"
  done
  first=$(git rev-parse main)
  add 100644 blob "$(blob "$T/f")" "$(path lk-augsburg tip $OTHER_ID)"
  tree=$(tree_from_list < "$LIST")
  git update-ref refs/heads/main "$(git commit-tree "$tree" -p "$first" -m 'lk-augsburg: 1 record changed')"
  git update-ref refs/rewritten "$(git commit-tree "$(git rev-parse "$first^{tree}")" -p "$first" -m 'rewritten: history without the tip')"
  unset GIT_DIR; rm -rf "$T"
fi

if case_wanted not-kbm; then
  # Some random project: sources and build files at the root, no counties/ folder.
  new_repo not-kbm
  : > "$LIST"
  printf 'int main(void) { return 0; }\n' > "$T/c"; printf '{"name": "random-project", "version": "1.0.0"}\n' > "$T/p"
  printf 'all:\n\tcc -o main src/main.c\n' > "$T/m"; printf '# random-project\n\nNot a kbm region.\n' > "$T/r"; printf 'build/\n' > "$T/i"
  add 100644 blob "$(blob "$T/c")" "src/main.c"
  add 100644 blob "$(blob "$T/p")" "package.json"
  add 100644 blob "$(blob "$T/m")" "Makefile"
  add 100644 blob "$(blob "$T/r")" "README.md"
  add 100644 blob "$(blob "$T/i")" ".gitignore"
  commit_repo "initial commit"
fi

echo "hostile repositories in $OUT:"
ls -1 "$OUT" | grep '\.git$' | sed 's/^/  /'
