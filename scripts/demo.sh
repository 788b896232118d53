#!/usr/bin/env bash
# The kbm demo: a regional repository from sample-repo/, two offices working offline, a sync
# that combines their edits and shows a conflict, and a check that no personal data left a laptop.
# Usage: scripts/demo.sh <path-to-kbm> <output-folder>
set -euo pipefail
KBM_BIN=${1:?usage: demo.sh <kbm binary> <output folder>}
OUT=${2:?usage: demo.sh <kbm binary> <output folder>}
HERE=$(cd "$(dirname "$0")/.." && pwd)
JOINT=01KGHJT2F0YBXPXVRC6FC2HE97   # "Regionaler Fachtag Übergang Schule–Beruf", lk-augsburg with co-owner stadt-kempten
KEYS="$HERE/scripts/demo-keys"      # DEMO ONLY keys (see scripts/demo-keys/README.md)

bold=$'\e[1m'; dim=$'\e[2m'; off=$'\e[0m'
[ -t 1 ] || { bold=""; dim=""; off=""; }
step() { printf '\n%s== %s ==%s\n' "$bold" "$1" "$off"; }
say() { printf '%s\n' "$*"; }
run() { printf '%s$ kbm %s%s\n' "$dim" "$*" "$off"; "$KBM_BIN" "$@"; }
runok() { printf '%s$ kbm %s%s\n' "$dim" "$*" "$off"; "$KBM_BIN" "$@" || true; }

rm -rf "$OUT"
mkdir -p "$OUT"
REGION="$OUT/region.git"
AGENCY="$OUT/transferagentur"
AUGSBURG="$OUT/lk-augsburg"
KEMPTEN="$OUT/stadt-kempten"

step "1. The agency creates the regional repository from the sample region"
git init -q --bare -b main "$REGION"
# The region is served by `git daemon` on 127.0.0.1, like a small git server.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_server() {
  git daemon --reuseaddr --base-path="$OUT" --export-all --enable=receive-pack \
    --listen=127.0.0.1 --port="$PORT" "$OUT" >/dev/null 2>&1 &
  SERVER=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && return 0; sleep 0.1; done
  echo "git daemon did not start" >&2; exit 1
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap stop_server EXIT
start_server
URL="git://127.0.0.1:$PORT/region.git"
say "The agency's repository is served at $URL."
run clone "$URL" "$AGENCY" --county transferagentur --user "Regionalbüro Süd <transfer@regionalbuero-sued.example>"
cd "$AGENCY"
say "The agency signs with its key and registers every office and its coordinator's public key"
say "(the keys in scripts/demo-keys are made for this demo only):"
run keygen --key "$KEYS/transferagentur" >/dev/null
register() { # county, office name, coordinator
  "$KBM_BIN" registry add-office "$1" --name "$2" >/dev/null
  "$KBM_BIN" registry add-coordinator "$1" "$3" --key "$(cat "$KEYS/$1.pub")" >/dev/null
}
register transferagentur "Transferagentur Bayern, Regionalbüro Süd" "Regionalbüro Süd <transfer@regionalbuero-sued.example>"
register lk-augsburg "Bildungsbüro Landkreis Augsburg" "Anna Berger <anna.berger@lra-augsburg.example>"
register stadt-augsburg "Bildungsbüro Stadt Augsburg" "Sophie Graf <sophie.graf@augsburg.example>"
register stadt-kempten "Bildungsbüro Stadt Kempten (Allgäu)" "Lukas Ferstl <lukas.ferstl@kempten.example>"
register lk-ostallgaeu "Bildungsbüro Landkreis Ostallgäu" "Theresa Mayr <theresa.mayr@lra-oal.example>"
register lk-unterallgaeu "Bildungsbüro Landkreis Unterallgäu" "Martin Kögel <martin.koegel@lra-ua.example>"
register lk-rosenheim "Bildungsbüro Landkreis Rosenheim" "Veronika Stadler <veronika.stadler@lra-rosenheim.example>"
register stadt-ingolstadt "Bildungsbüro Stadt Ingolstadt" "Daniel Özkan <daniel.oezkan@ingolstadt.example>"
register lk-ebersberg "Bildungsbüro Landkreis Ebersberg" "Katharina Huber <katharina.huber@lra-ebe.example>"
register stadt-passau "Bildungsbüro Stadt Passau" "Florian Aigner <florian.aigner@passau.example>"
register lk-deggendorf "Bildungsbüro Landkreis Deggendorf" "Eva Brunner <eva.brunner@lra-deg.example>"
run registry show | head -4
run import "$HERE/sample-repo"
run sync >/dev/null
say "The region now holds $(git --git-dir="$REGION" ls-tree -r --name-only main | grep -c '^counties/') record files and the registry of $(git --git-dir="$REGION" ls-tree --name-only main region/offices/ | wc -l) offices, in signed commits."

step "2. Two offices join: Landkreis Augsburg and Stadt Kempten"
run clone "$URL" "$AUGSBURG" --county lk-augsburg --user "Anna Berger <anna.berger@lra-augsburg.example>"
(cd "$AUGSBURG" && run keygen --key "$KEYS/lk-augsburg" >/dev/null)
run clone "$URL" "$KEMPTEN" --county stadt-kempten --user "Lukas Ferstl <lukas.ferstl@kempten.example>"
(cd "$KEMPTEN" && run keygen --key "$KEYS/stadt-kempten" >/dev/null)
say "Each office pinned the agency's key when it joined; every change they sync is signed."

step "3. Both work offline"
say "Augsburg is at an Ausbildungsmesse without network. It notes two new contacts (with e-mail"
say "addresses, which stay on this laptop) and adds a goal to the joint Fachtag:"
cd "$AUGSBURG"
C1=$(run add stakeholder "name=Sabine Lechner" type=person "organisation=Autohaus Lechner GmbH" role=Ausbildungsleiterin sector=economy stance=supporter "email=s.lechner@autohaus-lechner.example" "notes=Sucht Praktikanten für 2027; Rückruf nach der Messe." | tail -1)
C2=$(run add stakeholder "name=Murat Yıldız" type=person "organisation=Bäckerei Yıldız" role=Inhaber sector=economy stance=neutral "phone=0821 555 0142" | tail -1)
run edit "$JOINT" "goals+=Betriebe aus dem Landkreis als Gastgeber gewinnen"
run edit "$JOINT" "location=Kongress am Park, Augsburg"
say "Kempten, also offline, records the final participant count and a different venue:"
cd "$KEMPTEN"
run edit "$JOINT" participants=142
run edit "$JOINT" "location=bigBOX ALLGÄU, Kempten"
say
say "Augsburg tries to sync while the network is down: the changes are committed locally and wait."
cd "$AUGSBURG"
stop_server
set +e
run sync
code=$?
set -e
say "(exit code $code: offline, nothing lost)"
start_server

step "4. Both sync"
(cd "$AUGSBURG" && run sync)
(cd "$KEMPTEN" && run sync)
(cd "$AUGSBURG" && run sync >/dev/null)
say
say "The goal from Augsburg and the count from Kempten were combined:"
(cd "$KEMPTEN" && "$KBM_BIN" show "$JOINT" | grep -E "goals|participants|location")
say
say "Both offices changed the venue, so both see the same conflict:"
(cd "$AUGSBURG" && run conflicts)
say
say "Kempten decides, and syncs; the conflict closes in every office:"
(cd "$KEMPTEN" && run resolve "$JOINT" location --value "bigBOX ALLGÄU, Kempten" && run sync >/dev/null)
(cd "$AUGSBURG" && run sync >/dev/null && run conflicts)

step "5. The same partner, entered in two counties"
say "Augsburg looks for people and bodies that other offices entered too:"
(cd "$AUGSBURG" && run duplicates --kind stakeholder)
HUBER_A=01KGHD9MT9CXTXQJ4KPFB35Y6A   # "Dr. Maria Huber", Landkreis Augsburg
HUBER_B=01KGHDXQD7W9R00YVEJDBR2A2C   # "Huber, Maria", Stadt Augsburg
say
say "It is the same Schulamtsdirektorin. Augsburg links the two records; each county keeps its own:"
(cd "$AUGSBURG" && run link "$HUBER_A" "$HUBER_B" --reason "Dieselbe Person, Staatliches Schulamt" && run sync >/dev/null)
(cd "$KEMPTEN" && run sync >/dev/null && run show "$HUBER_B" | tail -4)
say "Counting partners now counts her once:"
(cd "$KEMPTEN" && run count stakeholder --dedupe)

step "6. Only an office's own coordinators change its records"
say "Someone edits Augsburg's joint Fachtag directly on the git server, without a valid signature:"
HAND="$OUT/hand-edit"
git clone -q "$REGION" "$HAND"
JOINT_FILE=$(cd "$HAND" && git ls-files "counties/lk-augsburg/event/*/$JOINT.md")
sed -i 's/^participants: .*/participants: 9999/' "$HAND/$JOINT_FILE"
git -C "$HAND" -c user.name="Unbekannt" -c user.email="x@example.org" commit -q -am "Teilnehmerzahl korrigiert"
git -C "$HAND" push -q origin HEAD:main
(cd "$KEMPTEN" && run sync | tail -3)
say "Kempten refused the change and keeps the last valid version:"
(cd "$KEMPTEN" && "$KBM_BIN" show "$JOINT" | grep participants)
(cd "$KEMPTEN" && run status | grep -A3 -i "refused" | head -6 || true)
(cd "$AUGSBURG" && run sync >/dev/null; run verify | tail -3 || true)

step "7. No personal data in the regional repository"
hits=0
for marker in "s.lechner@autohaus-lechner.example" "0821 555 0142" "Rückruf nach der Messe"; do
  n=$(git --git-dir="$REGION" rev-list --objects --all | cut -d' ' -f1 | git --git-dir="$REGION" cat-file --batch | grep -c -F "$marker" || true)
  say "  '$marker': found $n time(s) in the region's history"
  hits=$((hits + n))
done
(cd "$AUGSBURG" && "$KBM_BIN" show "$C1" | grep -E "email|notes" | head -2)
[ "$hits" -eq 0 ] || { say "Personal data reached the region!"; exit 1; }
say "The e-mail, phone and notes stay on Augsburg's laptop; the region never saw them."

step "Summary"
say "Region: $(git --git-dir="$REGION" rev-list --count main) commits, $(git --git-dir="$REGION" ls-tree -r --name-only main | grep -c '^counties/') record files."
say "Augsburg and Kempten are at the same commit: $(git --git-dir="$AUGSBURG/.kbm/repo.git" rev-parse --short main) / $(git --git-dir="$KEMPTEN/.kbm/repo.git" rev-parse --short main)."
say "Look around:"
say "  cd $AUGSBURG && $KBM_BIN list event"
say "  $KBM_BIN -C $KEMPTEN log $JOINT"
say "  git --git-dir=$REGION log --stat | less"
