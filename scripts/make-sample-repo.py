#!/usr/bin/env python3
"""Generates kbm's sample region: /work/main/sample-repo/ (counties/<county>/<kind>/<shard>/<id>.md).

A regional repository's working tree for the Transferagentur (Regionalbüro Süd) with ten counties
in Schwaben, Oberbayern and Niederbayern. All persons are invented. The script is deterministic:
fixed seed, fixed ULIDs, fixed timestamps; running it twice gives identical bytes.

Usage: python3 scripts/make-sample-repo.py [path/to/kbm] [--out DIR]

It writes raw record files into a temporary folder, runs `kbm init`, `kbm import` and
`kbm export` with the given binary (default: .build/debug/kbm next to this script's project),
checks that the export round-trips byte for byte, and replaces <out>/counties with the export.
Standard library only.
"""

import datetime
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_KBM = os.path.join(ROOT, ".build", "debug", "kbm")
DEFAULT_OUT = os.path.join(ROOT, "sample-repo")

SEED = 20260203
BASE_TIME = datetime.datetime(2026, 2, 3, 9, 15, 0, tzinfo=datetime.timezone.utc)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOCAL_FIELDS = ("email", "phone", "notes", "last_contact")

rng = random.Random(SEED)


# ---------------------------------------------------------------------------------------------
# Ids and timestamps


class Clock:
    """Hands out creation times (one record every 47 seconds from BASE_TIME) and ULIDs."""

    def __init__(self):
        self.records = 0
        self.ids = 0

    def next_created(self):
        t = BASE_TIME + datetime.timedelta(seconds=47 * self.records)
        self.records += 1
        return t

    def ulid(self, when):
        ms = int(when.timestamp() * 1000) + self.ids % 1000
        self.ids += 1
        digest = hashlib.sha256(f"kbm-sample:{SEED}:{self.ids}".encode()).digest()
        rand = int.from_bytes(digest[:10], "big")
        out = []
        for _ in range(16):
            out.append(CROCKFORD[rand & 31])
            rand >>= 5
        time_chars = []
        for _ in range(10):
            time_chars.append(CROCKFORD[ms & 31])
            ms >>= 5
        return "".join(reversed(time_chars)) + "".join(reversed(out))


CLOCK = Clock()


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def d(s):
    return datetime.date.fromisoformat(s)


def de_date(day):
    return day.strftime("%d.%m.%Y")


# ---------------------------------------------------------------------------------------------
# Records


class Rec:
    def __init__(self, kind, county, fields, body="", edited_days=0):
        created = CLOCK.next_created()
        self.id = CLOCK.ulid(created)
        self.kind = kind
        self.county = county
        self.created = created
        self.updated = created + datetime.timedelta(days=edited_days, minutes=13 * bool(edited_days))
        self.fields = fields
        self.body = body
        for name in LOCAL_FIELDS:
            assert name not in fields, f"local field {name} must not go into the sample repository"

    def title(self):
        return self.fields.get("name") or self.fields.get("title")


RECORDS = []


# A stakeholder's assessments are personal data when it is a person: they are local fields then
# (schema/kinds.json, shared_when), so the sample files carry them only for bodies.
ASSESSMENTS = ("stance", "influence", "key_person")
SHARED_ASSESSMENT_TYPES = ("organisation", "office", "committee")


def add(kind, county, fields, body="", edited_days=0):
    if kind == "stakeholder" and fields.get("type") not in SHARED_ASSESSMENT_TYPES:
        fields = {k: v for k, v in fields.items() if k not in ASSESSMENTS}
    rec = Rec(kind, county, {k: v for k, v in fields.items() if v not in (None, [], "")}, body, edited_days)
    RECORDS.append(rec)
    return rec


def q(s):
    """A YAML double-quoted scalar (JSON strings are valid YAML double-quoted scalars)."""
    return json.dumps(str(s), ensure_ascii=False)


def render(rec):
    lines = ["---", f"id: {q(rec.id)}", f"kind: {q(rec.kind)}", f"county: {q(rec.county)}", "format: 1",
             f"created: {q(stamp(rec.created))}", f"updated: {q(stamp(rec.updated))}"]
    for key, value in rec.fields.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        elif isinstance(value, datetime.date):
            lines.append(f"{key}: {q(value.isoformat())}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                first = True
                for ik, iv in item.items():
                    if isinstance(iv, datetime.date):
                        iv = iv.isoformat()
                    lines.append(f"{'  - ' if first else '    '}{ik}: {q(iv)}")
                    first = False
        elif isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                lines.append(f"  - {q(item)}")
        else:
            lines.append(f"{key}: {q(value)}")
    lines.append("---")
    text = "\n".join(lines) + "\n"
    if rec.body:
        text += "\n" + rec.body.strip("\n") + "\n"
    return text


# ---------------------------------------------------------------------------------------------
# Invented people

FEMALE = ["Anna", "Barbara", "Christine", "Claudia", "Daniela", "Elisabeth", "Eva", "Franziska", "Gabriele",
          "Johanna", "Julia", "Katharina", "Kerstin", "Lena", "Magdalena", "Martina", "Monika", "Petra",
          "Regina", "Sabine", "Sandra", "Sophie", "Stefanie", "Theresa", "Ursula", "Veronika"]
MALE = ["Andreas", "Bernhard", "Christian", "Florian", "Georg", "Hans", "Johannes", "Josef", "Klaus",
        "Korbinian", "Ludwig", "Markus", "Martin", "Matthias", "Michael", "Peter", "Robert", "Sebastian",
        "Stefan", "Thomas", "Tobias", "Wolfgang", "Xaver", "Alexander", "Benedikt", "Franz"]
SURNAMES = ["Aigner", "Bauer", "Bergmann", "Bichler", "Brandl", "Engl", "Ertl", "Feichtner", "Forster",
            "Fuchs", "Gerstl", "Götz", "Greimel", "Gruber", "Hartl", "Haslinger", "Heigl", "Hiebl", "Hofmann",
            "Holzner", "Jäger", "Kastner", "Kellner", "Kiermeier", "Köhler", "Kraus", "Langer", "Lechner",
            "Lindner", "Luber", "Maier", "Mayerhofer", "Metzger", "Moser", "Neumeier", "Nußbaum", "Obermaier",
            "Öttl", "Ostermeier", "Pfeiffer", "Pichler", "Probst", "Rauscher", "Reischl", "Rieder", "Roth",
            "Schäfer", "Sedlmair", "Seidl", "Stadler", "Steiner", "Straßer", "Thaler", "Unterholzner", "Vogl",
            "Wagner", "Weinzierl", "Weiß", "Wimmer", "Zacherl", "Zeller", "Fischer", "Dengler", "Auer", "Rottmair"]
_used_names = {"Maria Huber", "Maria Huber-Schmid"}


def person(female=None, doctor=False):
    if female is None:
        female = rng.random() < 0.5
    while True:
        first = rng.choice(FEMALE if female else MALE)
        last = rng.choice(SURNAMES)
        if f"{first} {last}" not in _used_names:
            break
    _used_names.add(f"{first} {last}")
    return (("Dr. " if doctor else "") + f"{first} {last}", female)


def g(female, f_word, m_word):
    return f_word if female else m_word


# ---------------------------------------------------------------------------------------------
# Counties (persons invented; institutions are the kinds of partners offices work with)

COUNTIES = [
    dict(slug="lk-augsburg", loc="im Augsburger Land", name="Landkreis Augsburg", short="Augsburger Land", region="Schwaben", lk=True,
         towns=["Gersthofen", "Neusäß", "Königsbrunn", "Schwabmünchen", "Bobingen", "Meitingen", "Zusmarshausen"],
         press=["Augsburger Allgemeine", "Schwabmünchner Allgemeine", "Gersthofer Stadtzeitung"],
         schulamt="Staatliches Schulamt im Landkreis Augsburg", agentur="Agentur für Arbeit Augsburg",
         vhs="Volkshochschule Augsburger Land", jugendamt="Amt für Jugend und Familie Landkreis Augsburg",
         ihk="org:IHK Schwaben", hwk="person:Handwerkskammer für Schwaben",
         committee="Ausschuss für Schule, Kultur und Sport des Kreistags Augsburg",
         extra=["kita", "wifoe"], head_stance="supporter", host="bildung.landkreis-augsburg.example"),
    dict(slug="stadt-augsburg", loc="in Augsburg", name="Stadt Augsburg", short="Augsburg", region="Schwaben", lk=False,
         towns=["Augsburg-Oberhausen", "Augsburg-Lechhausen", "Augsburg-Haunstetten", "Augsburg-Göggingen"],
         press=["Augsburger Allgemeine", "StadtZeitung Augsburg"],
         schulamt="Staatliches Schulamt in der Stadt Augsburg", agentur="Agentur für Arbeit Augsburg, Geschäftsstelle Innenstadt",
         vhs="vhs Augsburg", jugendamt="Amt für Kinder, Jugend und Familie der Stadt Augsburg",
         ihk="person:IHK Schwaben", hwk="org:Handwerkskammer für Schwaben",
         committee="Bildungsausschuss des Augsburger Stadtrats",
         extra=["hochschule", "integration"], head_stance="supporter", host="bildung.augsburg.example"),
    dict(slug="stadt-kempten", loc="in Kempten", name="Stadt Kempten (Allgäu)", short="Kempten", region="Schwaben", lk=False,
         towns=["Kempten", "Kempten-St. Mang", "Kempten-Sankt Lorenz"],
         press=["Allgäuer Zeitung", "Kreisbote Kempten", "all-in.de"],
         schulamt="Staatliches Schulamt in der Stadt Kempten (Allgäu)", agentur="Agentur für Arbeit Kempten-Memmingen",
         vhs="Volkshochschule Kempten", jugendamt="Jugendamt der Stadt Kempten",
         ihk="org:Industrie- und Handelskammer Schwaben", hwk="person:Handwerkskammer für Schwaben",
         committee="Schul- und Kulturausschuss des Stadtrats Kempten",
         extra=["hochschule"], head_stance="neutral", host="bildung.kempten.example"),
    dict(slug="lk-ostallgaeu", loc="im Ostallgäu", name="Landkreis Ostallgäu", short="Ostallgäu", region="Schwaben", lk=True,
         towns=["Marktoberdorf", "Füssen", "Buchloe", "Obergünzburg", "Pfronten", "Lengenwang"],
         press=["Allgäuer Zeitung", "Füssener Blatt", "Buchloer Zeitung"],
         schulamt="Staatliches Schulamt im Landkreis Ostallgäu", agentur="Agentur für Arbeit Kempten-Memmingen, Geschäftsstelle Marktoberdorf",
         vhs="Volkshochschule Marktoberdorf", jugendamt="Kreisjugendamt Ostallgäu",
         ihk="person:IHK Schwaben", hwk="person:Handwerkskammer für Schwaben",
         committee="Kultur- und Schulausschuss des Kreistags Ostallgäu",
         extra=["kjr", "senioren"], head_stance="supporter", host="bildung.ostallgaeu.example"),
    dict(slug="lk-unterallgaeu", loc="im Unterallgäu", name="Landkreis Unterallgäu", short="Unterallgäu", region="Schwaben", lk=True,
         towns=["Mindelheim", "Bad Wörishofen", "Babenhausen", "Ottobeuren", "Bad Grönenbach", "Türkheim"],
         press=["Mindelheimer Zeitung", "Memminger Zeitung", "Wochenblatt Unterallgäu"],
         schulamt="Staatliches Schulamt im Landkreis Unterallgäu", agentur="Agentur für Arbeit Kempten-Memmingen, Geschäftsstelle Mindelheim",
         vhs="Volkshochschule Unterallgäu", jugendamt="Kreisjugendamt Unterallgäu",
         ihk="person:IHK Schwaben", hwk="person:Handwerkskammer für Schwaben",
         committee="Ausschuss für Bildung und Soziales des Kreistags Unterallgäu",
         extra=["kita"], head_stance="neutral", host="bildung.unterallgaeu.example"),
    dict(slug="lk-rosenheim", loc="im Rosenheimer Land", name="Landkreis Rosenheim", short="Rosenheimer Land", region="Oberbayern", lk=True,
         towns=["Bad Aibling", "Kolbermoor", "Wasserburg am Inn", "Prien am Chiemsee", "Bad Endorf", "Brannenburg"],
         press=["Oberbayerisches Volksblatt", "Wasserburger Zeitung", "Chiemgau-Zeitung"],
         schulamt="Staatliches Schulamt im Landkreis Rosenheim", agentur="Agentur für Arbeit Rosenheim",
         vhs="Volkshochschule Bad Aibling", jugendamt="Kreisjugendamt Rosenheim",
         ihk="org:IHK für München und Oberbayern, Regionalausschuss Rosenheim",
         hwk="person:Handwerkskammer für München und Oberbayern",
         committee="Schul- und Kulturausschuss des Kreistags Rosenheim",
         extra=["hochschule", "wifoe"], head_stance="supporter", host="bildung.landkreis-rosenheim.example"),
    dict(slug="stadt-ingolstadt", loc="in Ingolstadt", name="Stadt Ingolstadt", short="Ingolstadt", region="Oberbayern", lk=False,
         towns=["Ingolstadt", "Ingolstadt-Nordost", "Ingolstadt-Friedrichshofen", "Ingolstadt-Süd"],
         press=["Donaukurier", "Ingolstädter Anzeiger", "intv"],
         schulamt="Staatliches Schulamt in der Stadt Ingolstadt", agentur="Agentur für Arbeit Ingolstadt",
         vhs="Volkshochschule Ingolstadt", jugendamt="Amt für Jugend und Familie der Stadt Ingolstadt",
         ihk="org:IHK für München und Oberbayern, Geschäftsstelle Ingolstadt",
         hwk="person:Handwerkskammer für München und Oberbayern",
         committee="Ausschuss für Schule und Bildung des Ingolstädter Stadtrats",
         extra=["hochschule", "integration"], head_stance="supporter", host="bildung.ingolstadt.example"),
    dict(slug="lk-ebersberg", loc="im Landkreis Ebersberg", name="Landkreis Ebersberg", short="Landkreis Ebersberg", region="Oberbayern", lk=True,
         towns=["Ebersberg", "Grafing bei München", "Vaterstetten", "Poing", "Markt Schwaben", "Kirchseeon"],
         press=["Ebersberger Zeitung", "Süddeutsche Zeitung, Ausgabe Ebersberg", "Hallo Ebersberg"],
         schulamt="Staatliches Schulamt im Landkreis Ebersberg", agentur="Agentur für Arbeit Rosenheim, Geschäftsstelle Ebersberg",
         vhs="Volkshochschule Grafing", jugendamt="Kreisjugendamt Ebersberg",
         ihk="person:IHK für München und Oberbayern", hwk="org:Handwerkskammer für München und Oberbayern",
         committee="Ausschuss für Soziales, Familie, Bildung, Sport und Kultur des Kreistags Ebersberg",
         extra=["kjr"], head_stance="supporter", host="bildung.lra-ebersberg.example"),
    dict(slug="stadt-passau", loc="in Passau", name="Stadt Passau", short="Passau", region="Niederbayern", lk=False,
         towns=["Passau", "Passau-Hacklberg", "Passau-Grubweg", "Passau-Innstadt"],
         press=["Passauer Neue Presse", "Bürgerblatt Passau", "TRP1"],
         schulamt="Staatliches Schulamt in der Stadt Passau", agentur="Agentur für Arbeit Passau",
         vhs="Volkshochschule Passau", jugendamt="Amt für Jugend und Familie der Stadt Passau",
         ihk="org:IHK Niederbayern", hwk="org:Handwerkskammer Niederbayern-Oberpfalz",
         committee="Schul-, Kultur- und Sportausschuss des Passauer Stadtrats",
         extra=["hochschule", "senioren"], head_stance="supporter", host="bildung.passau.example"),
    dict(slug="lk-deggendorf", loc="im Landkreis Deggendorf", name="Landkreis Deggendorf", short="Landkreis Deggendorf", region="Niederbayern", lk=True,
         towns=["Deggendorf", "Plattling", "Osterhofen", "Hengersberg", "Metten", "Niederalteich"],
         press=["Deggendorfer Zeitung", "Plattlinger Anzeiger", "Wochenblatt Deggendorf"],
         schulamt="Staatliches Schulamt im Landkreis Deggendorf", agentur="Agentur für Arbeit Deggendorf",
         vhs="Volkshochschule für den Landkreis Deggendorf", jugendamt="Kreisjugendamt Deggendorf",
         ihk="person:IHK Niederbayern", hwk="person:Handwerkskammer Niederbayern-Oberpfalz",
         committee="Kreisausschuss für Bildung und Kultur Deggendorf",
         extra=["hochschule", "kita", "wifoe"], head_stance="neutral", host="bildung.landkreis-deggendorf.example"),
]

TOPICS = ["Übergang Schule–Beruf", "Fachkräftesicherung", "Digitale Bildung", "Ganztag", "Frühkindliche Bildung",
          "Integration durch Bildung", "Erwachsenenbildung", "Bildungsmonitoring", "Inklusion", "Sprachförderung",
          "Berufsorientierung", "Schulabschlüsse", "Seniorenbildung", "MINT", "Demokratiebildung", "Elternarbeit"]


def pick(seq, lo, hi=None):
    n = lo if hi is None else rng.randint(lo, hi)
    return rng.sample(seq, n)


def council(c):
    return "Kreistag" if c["lk"] else "Stadtrat"


def authority(c):
    return f"Landratsamt {c['name'].replace('Landkreis ', '')}" if c["lk"] else c["name"]


# ---------------------------------------------------------------------------------------------
# Stakeholders


def stakeholders(c):
    """Returns a dict role -> record for a county."""
    s = {}
    slug = c["slug"]
    # Political head.
    name, fem = person()
    role = g(fem, "Landrätin", "Landrat") if c["lk"] else g(fem, "Oberbürgermeisterin", "Oberbürgermeister")
    s["head"] = add("stakeholder", slug, dict(
        name=name, type="person", organisation=authority(c), role=role, sector="politics",
        committees=[council(c), "Bildungsbeirat", "Steuerungsgremium Bildung"] if c["head_stance"] == "supporter" else [council(c)],
        stance=c["head_stance"], influence="high", key_person=True,
        topics=pick(["Fachkräftesicherung", "Digitale Bildung", "Ganztag", "Integration durch Bildung", "Schulabschlüsse"], 2),
        tags=["politische-spitze", "verstetigung"]))
    # Staatliches Schulamt.
    s["schulamt"] = add("stakeholder", slug, dict(
        name=c["schulamt"], type="office", sector="school",
        committees=["Steuerungsgremium Bildung", "Arbeitskreis SchuleWirtschaft"],
        stance=rng.choice(["supporter", "supporter", "neutral"]), influence="high", key_person=True,
        topics=["Übergang Schule–Beruf", "Ganztag", "Inklusion"], tags=["schule", "kernpartner"]))
    if slug == "lk-augsburg":
        s["schulrat"] = add("stakeholder", slug, dict(
            name="Dr. Maria Huber", type="person", organisation="Staatliches Schulamt im Landkreis Augsburg",
            role="Schulamtsdirektorin", sector="school", committees=["Steuerungsgremium Bildung", "Bildungsbeirat"],
            stance="supporter", influence="high", key_person=True,
            topics=["Übergang Schule–Beruf", "Ganztag", "Bildungsmonitoring"], tags=["schule", "kernpartner"]))
    elif slug == "stadt-augsburg":
        s["schulrat"] = add("stakeholder", slug, dict(
            name="Huber, Maria", type="person", organisation="Staatliches Schulamt Augsburg",
            role="Schulamtsdirektorin", sector="school", committees=["Bildungsbeirat"],
            stance="supporter", influence="high", key_person=True,
            topics=["Ganztag", "Übergang Schule–Beruf", "Sprachförderung"], tags=["schule"]))
    elif rng.random() < 0.4:
        name, fem = person(doctor=rng.random() < 0.3)
        s["schulrat"] = add("stakeholder", slug, dict(
            name=name, type="person", organisation=c["schulamt"],
            role=g(fem, "Schulamtsdirektorin", "Schulamtsdirektor") if rng.random() < 0.6 else g(fem, "Schulrätin", "Schulrat"),
            sector="school", committees=["Steuerungsgremium Bildung"],
            stance=rng.choice(["supporter", "neutral"]), influence=rng.choice(["medium", "high"]), key_person=rng.random() < 0.5,
            topics=pick(["Übergang Schule–Beruf", "Ganztag", "Inklusion", "Digitale Bildung", "Sprachförderung"], 2),
            tags=["schule"]))
    # Chambers.
    for key, spec, sector, topics in (("ihk", c["ihk"], "economy", ["Fachkräftesicherung", "Berufsorientierung", "Übergang Schule–Beruf"]),
                                      ("hwk", c["hwk"], "vocational", ["Berufsorientierung", "Fachkräftesicherung", "MINT"])):
        form, org = spec.split(":", 1)
        if form == "org":
            s[key] = add("stakeholder", slug, dict(
                name=org, type="organisation", sector=sector,
                committees=["Arbeitskreis SchuleWirtschaft", "Netzwerk Übergang Schule–Beruf"],
                stance="supporter", influence="high", key_person=False, topics=topics,
                tags=["kammer", "ausbildungsmesse"]))
        else:
            name, fem = person()
            role = rng.choice([g(fem, "Ausbildungsberaterin", "Ausbildungsberater"), g(fem, "Referentin Berufsorientierung", "Referent Berufsorientierung"),
                               g(fem, "Leiterin der Regionalgeschäftsstelle", "Leiter der Regionalgeschäftsstelle")])
            s[key] = add("stakeholder", slug, dict(
                name=name, type="person", organisation=org, role=role, sector=sector,
                committees=["Arbeitskreis SchuleWirtschaft"], stance=rng.choice(["supporter", "neutral"]),
                influence="medium", key_person=False, topics=pick(topics, 2), tags=["kammer"]))
    # Employment agency.
    s["agentur"] = add("stakeholder", slug, dict(
        name=c["agentur"], type="office", sector="vocational", committees=["Netzwerk Übergang Schule–Beruf"],
        stance=rng.choice(["supporter", "neutral"]), influence="medium", key_person=False,
        topics=["Berufsorientierung", "Übergang Schule–Beruf", "Erwachsenenbildung"], tags=["berufsberatung", "ausbildungsmesse"]))
    # Adult education.
    s["vhs"] = add("stakeholder", slug, dict(
        name=c["vhs"], type="organisation", sector="adult_ed", committees=["Bildungsbeirat"],
        stance="supporter", influence="medium", topics=["Erwachsenenbildung", "Sprachförderung", "Seniorenbildung"],
        tags=["weiterbildung"]))
    if slug == "lk-augsburg":
        s["vhs_person"] = add("stakeholder", slug, dict(
            name="Maria Huber-Schmid", type="person", organisation="Volkshochschule Augsburger Land",
            role="Fachbereichsleiterin Sprachen und Integration", sector="adult_ed", committees=["Netzwerk Integration"],
            stance="supporter", influence="low", key_person=False,
            topics=["Sprachförderung", "Integration durch Bildung"], tags=["weiterbildung"]))
    elif rng.random() < 0.3:
        name, fem = person()
        s["vhs_person"] = add("stakeholder", slug, dict(
            name=name, type="person", organisation=c["vhs"], role=g(fem, "Leiterin", "Leiter"), sector="adult_ed",
            committees=["Bildungsbeirat"], stance="supporter", influence="medium", key_person=False,
            topics=pick(["Erwachsenenbildung", "Seniorenbildung", "Digitale Bildung", "Sprachförderung"], 2), tags=["weiterbildung"]))
    # Youth services.
    s["jugendamt"] = add("stakeholder", slug, dict(
        name=c["jugendamt"], type="office", sector="youth", committees=["Jugendhilfeausschuss"],
        stance=rng.choice(["supporter", "neutral", "neutral"]), influence="medium",
        topics=["Frühkindliche Bildung", "Ganztag", "Elternarbeit"], tags=["jugendhilfe", "verwaltung"]))
    # School heads.
    t1, t2 = rng.sample(c["towns"], 2)
    name, fem = person()
    s["head_ms"] = add("stakeholder", slug, dict(
        name=name, type="person", organisation=f"Mittelschule {t1}", role=g(fem, "Schulleiterin", "Schulleiter"),
        sector="school", committees=["Arbeitskreis SchuleWirtschaft"], stance=rng.choice(["supporter", "supporter", "neutral"]),
        influence="low", key_person=False, topics=pick(["Berufsorientierung", "Ganztag", "Digitale Bildung", "Elternarbeit"], 2),
        tags=["schulleitung"]))
    name, fem = person(doctor=rng.random() < 0.25)
    school_kept = rng.random() < 0.5
    school = rng.choice([f"Staatliche Berufsschule {t2}", f"Staatliche Realschule {t2}", f"Grundschule {t2}", f"Staatliche Fach- und Berufsoberschule {t2}"])
    if school_kept:
        s["head_bs"] = add("stakeholder", slug, dict(
            name=name, type="person", organisation=school,
            role=g(fem, "Schulleiterin", "Schulleiter") if rng.random() < 0.7 else g(fem, "Stellvertretende Schulleiterin", "Stellvertretender Schulleiter"),
            sector="vocational" if "Beruf" in school else "school", committees=pick(["Bildungsbeirat", "Netzwerk Übergang Schule–Beruf", "Arbeitskreis Schulsozialarbeit"], 1),
            stance=rng.choice(["supporter", "neutral", "unknown"]), influence=rng.choice(["low", "medium"]), key_person=False,
            topics=pick(TOPICS, 2), tags=["schulleitung"]))
    # The council committee.
    s["committee"] = add("stakeholder", slug, dict(
        name=c["committee"], type="committee", organisation=council(c) + " " + c["name"].replace("Landkreis ", "").replace("Stadt ", ""),
        sector="politics", committees=[council(c)], stance=rng.choice(["neutral", "supporter"]), influence="high", key_person=True,
        topics=["Bildungsmonitoring", "Schulabschlüsse", "Ganztag"], tags=["gremium", "haushalt"]))
    # A critic in the council and the treasurer.
    name, fem = person()
    s["critic"] = add("stakeholder", slug, dict(
        name=name, type="person", organisation=council(c) + " " + c["name"].replace("Landkreis ", "").replace("Stadt ", ""),
        role=(g(fem, "Kreisrätin", "Kreisrat") if c["lk"] else g(fem, "Stadträtin", "Stadtrat")) + ", " + g(fem, "Fraktionsvorsitzende", "Fraktionsvorsitzender"),
        sector="politics", committees=[council(c), "Kreisausschuss" if c["lk"] else "Finanzausschuss"],
        stance="critical", influence=rng.choice(["medium", "high"]), key_person=True,
        topics=["Haushaltskonsolidierung", "Freiwillige Leistungen"] + pick(["Schulabschlüsse", "Fachkräftesicherung", "Digitale Bildung"], 1),
        tags=["kritisch", "verstetigung"]))
    if rng.random() < 0.5:
        name, fem = person()
        s["kaemmerei"] = add("stakeholder", slug, dict(
            name=name, type="person", organisation=authority(c), role=g(fem, "Kämmerin", "Kämmerer"), sector="administration",
            committees=["Kreisausschuss" if c["lk"] else "Finanzausschuss"], stance=rng.choice(["neutral", "critical"]),
            influence="high", key_person=True, topics=["Haushaltskonsolidierung", "Freiwillige Leistungen"],
            tags=["verwaltung", "haushalt"]))
    # Optional partners.
    for extra in c["extra"][:1]:
        if extra == "kita":
            name, fem = person(female=rng.random() < 0.8)
            s["kita"] = add("stakeholder", slug, dict(
                name=name, type="person", organisation=f"Fachberatung Kindertagesstätten, {authority(c)}", role=g(fem, "Kita-Fachberaterin", "Kita-Fachberater"),
                sector="early_childhood", committees=["Netzwerk Frühe Bildung"], stance="supporter", influence="medium",
                topics=["Frühkindliche Bildung", "Sprachförderung", "Fachkräftesicherung"], tags=["kita"]))
        elif extra == "wifoe":
            s["wifoe"] = add("stakeholder", slug, dict(
                name=f"Wirtschaftsförderung {c['name']}", type="office", sector="economy", committees=["Netzwerk Übergang Schule–Beruf"],
                stance="supporter", influence="medium", topics=["Fachkräftesicherung", "Berufsorientierung"], tags=["wirtschaft", "verwaltung"]))
        elif extra == "hochschule":
            uni = {"stadt-augsburg": "Universität Augsburg", "stadt-kempten": "Hochschule Kempten",
                   "lk-rosenheim": "Technische Hochschule Rosenheim", "stadt-ingolstadt": "Technische Hochschule Ingolstadt",
                   "stadt-passau": "Universität Passau", "lk-deggendorf": "Technische Hochschule Deggendorf"}[slug]
            s["hochschule"] = add("stakeholder", slug, dict(
                name=uni, type="organisation", sector="higher_ed", committees=["Bildungsbeirat"], stance=rng.choice(["supporter", "neutral"]),
                influence="medium", topics=pick(["MINT", "Fachkräftesicherung", "Bildungsmonitoring", "Digitale Bildung"], 2), tags=["hochschule"]))
        elif extra == "kjr":
            s["kjr"] = add("stakeholder", slug, dict(
                name=f"Kreisjugendring {c['short'].replace('Landkreis ', '')}", type="organisation", sector="youth",
                committees=["Jugendhilfeausschuss"], stance="supporter", influence="low",
                topics=["Demokratiebildung", "Ganztag"], tags=["jugendarbeit", "ehrenamt"]))
        elif extra == "integration":
            name, fem = person()
            s["integration"] = add("stakeholder", slug, dict(
                name=name, type="person", organisation=authority(c), role=g(fem, "Integrationsbeauftragte", "Integrationsbeauftragter"),
                sector="civil_society", committees=["Netzwerk Integration"], stance="supporter", influence="medium",
                topics=["Integration durch Bildung", "Sprachförderung"], tags=["integration"]))
        elif extra == "senioren":
            s["senioren"] = add("stakeholder", slug, dict(
                name=f"Seniorenbeirat {c['short'].replace('Landkreis ', '')}", type="committee", sector="civil_society",
                committees=["Bildungsbeirat"], stance="neutral", influence="low",
                topics=["Seniorenbildung", "Digitale Bildung"], tags=["senioren", "ehrenamt"]))
    return s


# ---------------------------------------------------------------------------------------------
# Events

THEMES = {
    "uebergang": dict(
        name="Übergang Schule–Beruf", short="Übergang",
        goals=["Angebote zur beruflichen Orientierung {loc} bündeln und sichtbar machen",
               "Lehrkräfte, Betriebe und Berufsberatung an einen Tisch bringen",
               "Lücken zwischen Schulabschluss und Ausbildungsbeginn gemeinsam benennen",
               "Verabredungen für das nächste Schuljahr treffen"],
        groups=["Lehrkräfte", "Ausbildungsbetriebe", "Berufsberatung", "Jugendsozialarbeit an Schulen"],
        partners=["schulamt", "agentur", "ihk", "hwk", "head_ms"],
        results=["Die Übersicht der Praktikumsangebote wird künftig zentral vom Bildungsbüro gepflegt.",
                 "Drei Mittelschulen wollen ein gemeinsames Bewerbungstraining mit Betrieben erproben.",
                 "Der Wunsch nach einer festen Ansprechperson je Schule für die Berufsorientierung kam mehrfach.",
                 "Die Zahlen aus dem Bildungsmonitoring zu Ausbildungsabbrüchen lösten eine lebhafte Diskussion aus.",
                 "Betriebe berichten, dass Praktikumsplätze oft zu spät nachgefragt werden."],
        followups=["Praktikumsbörse als Liste an alle Mittelschulen schicken", "Arbeitsgruppe Übergangsmanagement einberufen",
                   "Dokumentation mit Fotoprotokoll online stellen", "Termin für das Folgetreffen mit den Kammern abstimmen",
                   "Kennzahlen zu Ausbildungsabbrüchen im Steuerungsgremium vorstellen"],
        headline=["Schulen und Betriebe rücken zusammen", "Wie der Weg in die Ausbildung gelingt", "Ein Netz für den Berufseinstieg"]),
    "ganztag": dict(
        name="Ganztag an Grundschulen", short="Ganztag",
        goals=["Über den Rechtsanspruch auf Ganztagsbetreuung ab 2026 informieren",
               "Bedarfe der Gemeinden mit Daten aus dem Bildungsmonitoring abgleichen",
               "Gute Beispiele aus Kooperationen von Schule und Jugendhilfe vorstellen"],
        groups=["Bürgermeisterinnen und Bürgermeister", "Schulleitungen", "Träger der Jugendhilfe", "Elternvertretungen"],
        partners=["schulamt", "jugendamt", "head_bs", "kjr"],
        results=["Die Bedarfsprognose des Bildungsbüros dient mehreren Gemeinden als Planungsgrundlage.",
                 "Viele Gemeinden wünschen sich eine Beratung zu Raum- und Personalfragen.",
                 "Zwei Gemeinden vereinbaren, Ferienbetreuung künftig gemeinsam zu organisieren.",
                 "Die Rückmeldungen zeigen, dass Eltern früher informiert werden möchten."],
        followups=["Bedarfsprognose je Gemeinde aktualisieren", "Beratungsangebot für Gemeinden ausschreiben",
                   "Elterninformation in leichter Sprache erstellen", "Ergebnisse im Jugendhilfeausschuss berichten"],
        headline=["Ganztag: Gemeinden planen gemeinsam", "Rechtsanspruch rückt näher", "Betreuung am Nachmittag im Blick"]),
    "digital": dict(
        name="Digitale Bildung", short="Digitale Bildung",
        goals=["Medienkompetenz entlang der Bildungsbiografie zum Thema machen",
               "Angebote von Schulen, VHS und Jugendarbeit zusammentragen",
               "Eine gemeinsame Fortbildungsreihe verabreden"],
        groups=["Lehrkräfte", "Fachkräfte der Jugendarbeit", "Kursleitungen der Erwachsenenbildung", "Eltern"],
        partners=["vhs", "schulamt", "hochschule", "head_ms"],
        results=["Ein gemeinsamer Kalender für Medienbildungsangebote ist verabredet.",
                 "Die VHS bietet an, Elternabende zu Medienthemen für Schulen zu übernehmen.",
                 "Für Seniorinnen und Senioren fehlen wohnortnahe Einstiegskurse.",
                 "Teilnehmende wünschen sich ein Folgetreffen zum Thema künstliche Intelligenz im Unterricht."],
        followups=["Medienbildungskalender auf der Website einrichten", "Elternabend-Reihe mit der VHS planen",
                   "Umfrage zu Fortbildungsbedarfen an Schulen versenden", "Referentenliste an Schulen verteilen"],
        headline=["Medienkompetenz von klein auf", "Digital lernen – ein Leben lang", "Gemeinsam fit für die digitale Welt"]),
    "fruehe": dict(
        name="Frühe Bildung und Sprachförderung", short="Frühe Bildung",
        goals=["Übergang von der Kita in die Grundschule besser abstimmen",
               "Sprachförderangebote {loc} sichtbar machen",
               "Fachkräfte aus Kita und Grundschule miteinander vernetzen"],
        groups=["Kita-Fachkräfte", "Grundschullehrkräfte", "Kita-Träger", "Familienstützpunkte"],
        partners=["jugendamt", "kita", "schulamt", "vhs"],
        results=["Tandems aus Kitas und Grundschulen sollen in drei Gemeinden erprobt werden.",
                 "Die Karte der Sprachförderangebote wurde von den Teilnehmenden ergänzt.",
                 "Kita-Leitungen berichten von wachsendem Fachkräftemangel.",
                 "Der Vorkurs Deutsch soll besser mit den Kitas abgestimmt werden."],
        followups=["Kooperationstandems Kita–Grundschule starten", "Karte der Sprachförderangebote veröffentlichen",
                   "Fachkräftedaten der Kitas auswerten", "Infobrief an alle Kita-Träger senden"],
        headline=["Gut ankommen in der Schule", "Sprache öffnet Türen", "Kita und Schule Hand in Hand"]),
    "integration": dict(
        name="Bildung und Integration", short="Integration",
        goals=["Zugänge zu Sprach- und Bildungsangeboten für Neuzugewanderte vereinfachen",
               "Ehrenamtliche und Hauptamtliche vernetzen",
               "Beratungswege transparent machen"],
        groups=["Integrationslotsinnen und -lotsen", "Ehrenamtliche", "Migrationsberatung", "Sprachkursträger"],
        partners=["vhs", "integration", "agentur", "jugendamt"],
        results=["Eine gemeinsame Übersicht der Sprachkurse soll viermal im Jahr aktualisiert werden.",
                 "Die Wartezeiten auf Integrationskurse sind in mehreren Gemeinden ein Problem.",
                 "Ehrenamtliche wünschen sich eine feste Anlaufstelle im Landratsamt bzw. Rathaus.",
                 "Die Agentur für Arbeit stellt ihre Beratung in mehreren Sprachen vor."],
        followups=["Kursübersicht quartalsweise aktualisieren", "Anlaufstelle für Ehrenamtliche prüfen",
                   "Wartezeiten auf Integrationskurse erheben", "Mehrsprachige Infoblätter drucken lassen"],
        headline=["Wege in Bildung für Neuzugewanderte", "Sprachkurse besser abstimmen", "Ankommen durch Bildung"]),
    "monitoring": dict(
        name="Ergebnisse des Bildungsberichts", short="Bildungsbericht",
        goals=["Zentrale Befunde des Bildungsberichts vorstellen",
               "Befunde mit den Bildungsakteuren deuten",
               "Handlungsempfehlungen für die nächsten zwei Jahre ableiten"],
        groups=["Kreisrätinnen und Kreisräte", "Verwaltung", "Schulleitungen", "Fachöffentlichkeit"],
        partners=["schulamt", "committee", "agentur", "vhs"],
        results=["Die Quote der Abgänge ohne Abschluss liegt über dem bayerischen Schnitt und soll Schwerpunkt werden.",
                 "In Arbeitsgruppen wurden zu jedem Kapitel zwei bis drei Empfehlungen formuliert.",
                 "Die Politik bittet um eine kurze Fassung mit den wichtigsten Kennzahlen.",
                 "Mehrere Ämter wollen künftig eigene Daten für den Bericht beisteuern."],
        followups=["Kurzfassung des Berichts mit zehn Kennzahlen erstellen", "Empfehlungen im Ausschuss vorstellen",
                   "Datenlieferungen der Ämter für den nächsten Bericht vereinbaren", "Faktencheck zu Schulabschlüssen vorbereiten"],
        headline=["Was die Zahlen über Bildung verraten", "Bildungsbericht liefert Grundlage für Entscheidungen", "Daten statt Bauchgefühl"]),
    "mint": dict(
        name="MINT-Bildung", short="MINT",
        goals=["MINT-Angebote für Kinder und Jugendliche zusammenführen",
               "Unternehmen als Partner für Schulprojekte gewinnen",
               "Mädchen gezielt für Technik begeistern"],
        groups=["Lehrkräfte", "Unternehmen", "Hochschulen", "Jugendarbeit"],
        partners=["hochschule", "ihk", "schulamt", "head_ms"],
        results=["Fünf Betriebe bieten Schulen Experimentiertage an.",
                 "Eine Forscherwoche in den Sommerferien wird gemeinsam geplant.",
                 "Schulen wünschen sich Unterstützung bei der Beantragung von Fördermitteln.",
                 "Die Hochschule öffnet ihre Labore für Schulklassen."],
        followups=["Forscherwoche für die Sommerferien ausschreiben", "Liste der MINT-Partnerbetriebe veröffentlichen",
                   "Beratung zu Fördermitteln für Schulen anbieten", "Girls' Day mit Betrieben abstimmen"],
        headline=["Forschen, tüfteln, staunen", "Technik begeistert", "MINT-Netz wächst"]),
    "lebenslang": dict(
        name="Lebenslanges Lernen", short="Weiterbildung",
        goals=["Weiterbildungsangebote für Erwachsene {loc} sichtbar machen",
               "Bildungsberatung für Beschäftigte bekannter machen",
               "Angebote für ältere Menschen stärken"],
        groups=["Beschäftigte", "Personalverantwortliche", "Seniorinnen und Senioren", "Weiterbildungsträger"],
        partners=["vhs", "agentur", "senioren", "wifoe"],
        results=["Die Bildungsberatung wird künftig auch in Gemeinderäumen angeboten.",
                 "Betriebe wünschen kurze, berufsbegleitende Formate.",
                 "Der Bildungs- und Beratungspass wird als Einstieg in die Beratung gut angenommen.",
                 "Für ältere Menschen ohne Auto fehlen erreichbare Kursorte."],
        followups=["Beratungstage in den Gemeinden planen", "Weiterbildungsdatenbank um Kurzformate ergänzen",
                   "Mobilität zu Kursorten mit dem ÖPNV-Team klären", "Betriebsbefragung zu Weiterbildung auswerten"],
        headline=["Lernen hört nie auf", "Weiterbildung vor Ort", "Beratung für alle Lebensphasen"]),
}

ONLINE_TITLES = ["Online-Sprechstunde „{t}“", "Digitaler Elternabend: {t}", "Web-Seminar für Lehrkräfte: {t}", "Online-Austausch {t}"]
NETWORK_TITLES = ["Netzwerktreffen {t}", "Runder Tisch {t}"]


def goals_for(theme, c, n=3):
    return [g_.format(loc=c["loc"]) for g_ in theme["goals"][:n]]


def partner_ids(s, roles, extra=()):
    ids = [s[r].id for r in roles if r in s]
    return ids + list(extra)


def followups(theme, day, past, n, owners, statuses=None):
    items = []
    texts = rng.sample(theme["followups"], min(n, len(theme["followups"])))
    for i, text in enumerate(texts):
        if statuses and past:
            status = statuses[i % len(statuses)]
        elif past:
            status = rng.choice(["done", "done", "open", "dropped"])
        else:
            status = "open"
        due = day + datetime.timedelta(days=rng.choice([14, 21, 30, 45, 60, 90]))
        it = {"id": None, "text": text, "owner": rng.choice(owners), "due": due, "status": status}
        items.append(it)
    return items


def outcome_body(theme, c, participants, past, extra_lines=(), visitors=False):
    if not past:
        return ("## Planungsstand\n\nDie Einladungen sind verschickt; Programm und Referierende stehen. "
                "Ergebnisse werden nach der Veranstaltung hier festgehalten.")
    res = rng.sample(theme["results"], 3)
    lines = ["## Ergebnisse", ""]
    lines += [f"- {r}" for r in res]
    lines += list(extra_lines)
    lines += ["", "## Rückmeldungen", ""]
    if visitors:
        lines.append(f"Rund {participants} Besucherinnen und Besucher an beiden Tagen, viele davon mit ihren Schulklassen. "
                     "Die Aussteller bewerteten vor allem die Vorbereitung der Klassen im Unterricht positiv.")
    else:
        lines.append(rng.choice([f"{participants} Teilnehmende; der Evaluationsbogen kam von etwa der Hälfte zurück, die Bewertung war überwiegend „gut“ bis „sehr gut“.",
                          f"Mit {participants} Anmeldungen war die Veranstaltung ausgebucht. Besonders gelobt wurden die Austauschphasen.",
                          f"{participants} Personen nahmen teil. Mehrere wünschten sich mehr Zeit für Gespräche in kleinen Gruppen."]))
    lines += ["", "## Was daraus folgt", "",
              rng.choice(["Die Folgeprozesse sind unten festgehalten und werden im Steuerungsgremium nachverfolgt.",
                          "Das Bildungsbüro berichtet über die Umsetzung der Verabredungen beim nächsten Treffen des Bildungsbeirats.",
                          "Die Ergebnisse fließen in den nächsten Bildungsbericht und in die Jahresplanung des Bildungsbüros ein."])]
    return "\n".join(lines)


def press_for(c, day, theme):
    n = rng.choice([0, 1, 1, 2])
    papers = rng.sample(c["press"], min(n, len(c["press"])))
    return [f"{p}, {de_date(day + datetime.timedelta(days=rng.randint(1, 4)))}: „{rng.choice(theme['headline'])}“" for p in papers]


OWNERS = ["Bildungsbüro", "Bildungsmonitoring", "Pressestelle", "Bildungskoordination", "Staatliches Schulamt", "Geschäftsstelle Bildungsbeirat"]


def event(c, s, typ, title, theme, day, location, participants, partners, nfu, end=None, statuses=None, extra_tags=(), co_owners=None, extra_lines=()):
    past = day < BASE_TIME.date()
    fields = dict(
        title=title, type=typ, start=day, end=end, location=location,
        goals=goals_for(theme, c, rng.choice([2, 3, 3, 4]) if typ != "online" else 2),
        target_groups=rng.sample(theme["groups"], rng.randint(2, len(theme["groups"]))),
        participants=participants if past else None,
        partners=partners,
        follow_ups=followups(theme, day, past, nfu, OWNERS, statuses),
        press=press_for(c, day, theme) if past else [],
        tags=[theme["short"].lower().replace(" ", "-").replace("–", "-")] + list(extra_tags),
        co_owners=co_owners)
    return fields, outcome_body(theme, c, participants, past, extra_lines, visitors=typ == "ausbildungsmesse")


def add_event(c, fields, body):
    edited = 0
    if any(f["status"] != "open" for f in fields.get("follow_ups", [])):
        edited = rng.randint(5, 40)
    rec = add("event", c["slug"], fields, body, edited_days=edited)
    for item in rec.fields.get("follow_ups", []):
        item["id"] = CLOCK.ulid(rec.created)
    return rec


def events(c, s, shared_ids):
    slug = c["slug"]
    out = []
    theme_keys = [k for k in THEMES if k != "uebergang"]
    rng.shuffle(theme_keys)
    towns = c["towns"]
    year_n = rng.randint(3, 7)
    # Bildungskonferenz.
    th = THEMES[theme_keys[0]]
    day = d(rng.choice(["2025-03-20", "2025-05-08", "2025-07-03", "2025-10-16", "2025-11-20"]))
    f, b = event(c, s, "bildungskonferenz", f"{year_n}. Bildungskonferenz {c['short']}: {th['name']}", th, day,
                 rng.choice([f"Landratsamt, Großer Sitzungssaal" if c["lk"] else "Rathaus, Festsaal", f"Stadthalle {towns[0]}", f"Kulturzentrum {towns[1]}"]),
                 rng.randint(80, 220), partner_ids(s, th["partners"], shared_ids[:1]), 4, statuses=["done", "open", "dropped", "open"],
                 extra_tags=["bildungskonferenz"])
    out.append(add_event(c, f, b))
    # Fachtag (the planted joint one in lk-augsburg).
    if slug == "lk-augsburg":
        th = THEMES["uebergang"]
        joint = dict(
            title="Regionaler Fachtag Übergang Schule–Beruf", type="fachtag", start=d("2025-11-13"),
            location="Stadthalle Gersthofen",
            goals=["Erfahrungen beider Bildungsbüros mit dem Übergangsmanagement austauschen",
                   "Gemeinsame Standards für Praktikumsbörsen in Schwaben verabreden",
                   "Kammern und Agenturen in eine regionale Arbeitsgruppe einbinden"],
            target_groups=["Lehrkräfte", "Berufsberatung", "Ausbildungsbetriebe", "Jugendsozialarbeit an Schulen", "Bildungsbüros"],
            participants=120,
            partners=[s["ihk"].id, s["schulamt"].id, s["schulrat"].id, s["agentur"].id] + [KEMPTEN_PARTNERS[k] for k in ("ihk", "agentur")],
            follow_ups=[
                {"id": None, "text": "Gemeinsame Dokumentation beider Bildungsbüros veröffentlichen", "owner": "Bildungsbüro Landkreis Augsburg", "due": d("2025-12-12"), "status": "done"},
                {"id": None, "text": "Regionale AG Praktikumsbörsen mit den Kammern gründen", "owner": "Bildungsbüro Kempten", "due": d("2026-02-27"), "status": "open"},
                {"id": None, "text": "Gemeinsamen Pressetermin mit beiden Behördenleitungen organisieren", "owner": "Pressestelle", "due": d("2025-12-05"), "status": "dropped"},
                {"id": None, "text": "Fachtag 2026 im Allgäu planen (Gastgeber Kempten)", "owner": "Bildungsbüro Kempten", "due": d("2026-04-30"), "status": "open"},
            ],
            press=["Augsburger Allgemeine, 15.11.2025: „Schwaben rückt beim Berufseinstieg zusammen“",
                   "Allgäuer Zeitung, 18.11.2025: „Kempten und Augsburger Land planen gemeinsam“"],
            tags=["übergang", "fachtag", "kooperation"],
            co_owners=["stadt-kempten"])
        body = ("## Ergebnisse\n\n"
                "- Beide Bildungsbüros stellten ihre Praktikumsbörsen vor; künftig sollen sie nach gemeinsamen Kriterien gepflegt werden.\n"
                "- Die IHK Schwaben sagte zu, die regionale Arbeitsgruppe zu unterstützen.\n"
                "- Aus dem Bildungsmonitoring: In beiden Kommunen bricht etwa jeder vierte Auszubildende im ersten Jahr ab – Anlass für ein gemeinsames Schwerpunktthema.\n\n"
                "## Rückmeldungen\n\n"
                "120 Teilnehmende aus beiden Kommunen. Gelobt wurde vor allem der Blick über die eigene Kreisgrenze.\n\n"
                "## Was daraus folgt\n\n"
                "Der nächste Fachtag findet 2026 in Kempten statt; beide Büros pflegen diesen Datensatz gemeinsam.")
        out.append(add_event(c, joint, body))
    else:
        th = THEMES[theme_keys[1]]
        day = d(rng.choice(["2025-04-09", "2025-06-25", "2025-09-24", "2025-10-08", "2026-03-18"]))
        f, b = event(c, s, "fachtag", f"Fachtag {th['name']} {c['loc']}", th, day,
                     rng.choice([f"Bürgerhaus {towns[1]}", f"Berufliches Schulzentrum {towns[0]}", f"Pfarrsaal {towns[-1]}", f"Tagungshaus {towns[2 % len(towns)]}"]),
                     rng.randint(40, 130), partner_ids(s, th["partners"]), 3, extra_tags=["fachtag"])
        out.append(add_event(c, f, b))
    # Ausbildungsmesse (two days).
    th = THEMES["uebergang"]
    day = d(rng.choice(["2025-03-14", "2025-09-26", "2025-10-10", "2026-03-13", "2026-04-24"]))
    f, b = event(c, s, "ausbildungsmesse", f"Ausbildungsmesse {towns[0]} {day.year}", th, day,
                 rng.choice([f"Mehrzweckhalle {towns[0]}", f"Messegelände {towns[0]}", f"Stadthalle {towns[0]}"]),
                 rng.randint(6, 25) * 100, partner_ids(s, ["ihk", "hwk", "agentur", "schulamt", "wifoe"]), 3,
                 end=day + datetime.timedelta(days=1), extra_tags=["ausbildungsmesse"],
                 extra_lines=[f"- {rng.randint(45, 110)} Betriebe und Schulen stellten sich an Ständen vor."])
    out.append(add_event(c, f, b))
    # Netzwerktreffen.
    th = THEMES[theme_keys[2]]
    day = d(rng.choice(["2025-02-11", "2025-05-21", "2025-07-16", "2025-12-03", "2026-02-25"]))
    f, b = event(c, s, "netzwerktreffen", rng.choice(NETWORK_TITLES).format(t=th["name"]) + f" {c['loc']}", th, day,
                 rng.choice([f"Landratsamt, Raum 1.14" if c["lk"] else "Rathaus, Kleiner Sitzungssaal", f"{c['vhs']}, Seminarraum", f"Jugendzentrum {towns[0]}"]),
                 rng.randint(12, 40), partner_ids(s, th["partners"]), rng.randint(2, 3), extra_tags=["netzwerk"])
    out.append(add_event(c, f, b))
    # Online format.
    th = THEMES[theme_keys[3]]
    day = d(rng.choice(["2025-01-29", "2025-04-30", "2025-11-05", "2026-01-21", "2026-05-06"]))
    f, b = event(c, s, "online", ("Online-Präsentation: Bildungsbericht kompakt" if th is THEMES["monitoring"] else rng.choice(ONLINE_TITLES).format(t=th["short"])), th, day,
                 rng.choice(["Online (Videokonferenz)", "Online über das Konferenzsystem des Landratsamts" if c["lk"] else "Online über das Konferenzsystem der Stadt", "Online (Webex)"]),
                 rng.randint(18, 90), partner_ids(s, th["partners"][:2]), 2, extra_tags=["online"])
    out.append(add_event(c, f, b))
    # Sometimes a committee appearance.
    if rng.random() < 0.3:
        th = THEMES["monitoring"]
        day = d(rng.choice(["2025-06-30", "2025-10-27", "2026-01-26"]))
        f, b = event(c, s, "gremium", f"Bericht des Bildungsbüros im {s['committee'].fields['name'].split(' des ')[0].split(' der ')[0]}",
                     th, day, "Landratsamt, Sitzungssaal" if c["lk"] else "Rathaus, Sitzungssaal", rng.randint(15, 30),
                     partner_ids(s, ["committee", "head"]), 2, extra_tags=["gremium", "verstetigung"])
        out.append(add_event(c, f, b))
    return out


# ---------------------------------------------------------------------------------------------
# Products

def products(c, s):
    slug = c["slug"]
    host = c["host"]
    out = []
    nr = rng.choice(["Erster", "Zweiter", "Dritter"])
    year = rng.choice([2024, 2025])
    out.append(add("product", slug, dict(
        title=f"{nr} Bildungsbericht {c['name']} {year}", type="bildungsbericht",
        target_groups=[council(c), "Verwaltung", "Fachöffentlichkeit", "Bildungsakteure"],
        goals=["Bildungsangebote und Bildungsbeteiligung im Lebenslauf darstellen",
               "Handlungsbedarfe für die Steuerung ableiten", f"Die Arbeit des Bildungsbüros im {council(c)} nachvollziehbar machen"],
        published=d(f"{year}-{rng.choice(['03', '06', '07', '10', '11'])}-{rng.choice(['04', '12', '17', '24'])}"),
        channels=["Website", "Presse", council(c), "Druckfassung"],
        url=f"https://{host}/bildungsbericht-{year}",
        tags=["bildungsmonitoring", "bericht"]),
        body=rng.choice([
            "Vor der Veröffentlichung haben eine Schulleiterin und ein Kreisrat die Entwurfsfassung gelesen. "
            "Beide rieten zu einer Zusammenfassung auf zwei Seiten; sie steht jetzt am Anfang des Berichts.\n\n"
            "Nach der Vorstellung im Ausschuss kamen mehrere Anfragen aus den Gemeinden nach Daten für ihr Gemeindegebiet.",
            "Feedback im Vorfeld: Das Schulamt hat die Kapitel zu Schulabschlüssen gegengelesen und Hinweise zur Deutung der Übertrittsquoten gegeben.\n\n"
            "- Lob für die Grafiken\n- Wunsch nach einer Zeitreihe über zehn Jahre\n- Kritik: zu wenige Aussagen zur Weiterbildung",
            "Die Kurzfassung wurde in der Pressekonferenz vorgestellt. Rückmeldungen aus dem Steuerungsgremium: "
            "„endlich eine gemeinsame Zahlengrundlage“. Für die nächste Ausgabe sollen die Kitas stärker vorkommen."]),
        edited_days=rng.choice([0, 3, 20])))
    season = rng.choice(["Frühjahr 2025", "Sommer 2025", "Herbst 2025", "Winter 2025/26"])
    emoji = rng.choice(["📚 ", "✏️ ", "", ""])
    out.append(add("product", slug, dict(
        title=f"{emoji}Bildungsnews {c['short']} – Ausgabe {season}", type="newsletter",
        target_groups=["Bildungsakteure", "Schulleitungen", "Kitas", "Vereine"],
        goals=["Regelmäßig über Angebote und Termine informieren", "Ausgewählte Kennzahlen verständlich vorstellen"],
        published=d(rng.choice(["2025-03-31", "2025-07-01", "2025-10-15", "2026-01-12"])),
        channels=["E-Mail-Verteiler", "Website", "Intranet"],
        url=f"https://{host}/newsletter",
        tags=["newsletter", "öffentlichkeitsarbeit"]),
        body=rng.choice(["Zwei Leserinnen aus dem Verteiler haben die Ausgabe vorab angesehen. Ihr Hinweis: weniger Fließtext, mehr Termine.",
                         "Die Öffnungsrate liegt bei gut 40 Prozent. Am häufigsten geklickt: der Terminkalender und die Zahl des Monats.",
                         "Rückmeldung aus einer Schule: Die Rubrik „Zahl des Monats“ wird im Lehrerzimmer ausgehängt."])))
    out.append(add("product", slug, dict(
        title=rng.choice([f"Wir über uns: Das Bildungsbüro {c['name']}", f"Flyer „Bildung {c['loc']} gemeinsam gestalten“"]),
        type="flyer",
        target_groups=["Bürgerinnen und Bürger", "Neue Kooperationspartner", "Verwaltung"],
        goals=["Aufgaben, Projekte und Ansprechpersonen des Bildungsbüros vorstellen", "Den Nutzen des Bildungsbüros in wenigen Sätzen erklären"],
        published=d(rng.choice(["2024-11-05", "2025-02-14", "2025-05-19"])),
        channels=["Auslage im Landratsamt" if c["lk"] else "Auslage im Rathaus", "Veranstaltungen", "Gemeindeblätter", "Website"],
        url=f"https://{host}/ueber-uns",
        tags=["flyer", "öffentlichkeitsarbeit"]),
        body="Eine Mitarbeiterin der Pressestelle und ein Vater aus dem Elternbeirat haben den Entwurf gelesen; "
             "daraufhin wurde der Fachbegriff „DKBM“ gestrichen und durch eine Alltagsbeschreibung ersetzt."))
    kinds = ["pass", "faktencheck", "portal", "praesentation"]
    rng.shuffle(kinds)
    chosen = kinds[:rng.randint(1, 2)]
    if slug in ("lk-ostallgaeu", "lk-unterallgaeu", "lk-deggendorf") and "pass" not in chosen:
        chosen.append("pass")
    for k in chosen:
        if k == "pass":
            out.append(add("product", slug, dict(
                title=f"Bildungs- und Beratungspass {c['short']}", type="pass",
                target_groups=["Jugendliche im Übergang", "Erwachsene in Neuorientierung", "Neuzugewanderte"],
                goals=["Alle Beratungsstellen auf einen Blick zeigen", "Besuchte Beratungen und Kurse festhalten", "Den Weg zur passenden Bildungsberatung verkürzen"],
                published=d(rng.choice(["2024-09-16", "2025-01-20", "2025-09-08"])),
                channels=["Beratungsstellen", "Gemeindeverwaltungen", "Veranstaltungen", "Website"],
                url=f"https://{host}/bildungspass",
                tags=["pass", "beratung"]),
                body="Eine Berufsberaterin und zwei Jugendliche aus einer Berufsintegrationsklasse haben den Pass vorab getestet. "
                     "Ergebnis: größere Schrift, QR-Codes zu den Beratungsstellen, Platz für Stempel.\n\n"
                     "Der Bildungskoordinator hat den Pass in allen Gemeinden persönlich vorgestellt; seitdem kommen Anfragen direkt aus den Rathäusern.",
                edited_days=rng.choice([0, 12])))
        elif k == "faktencheck":
            topic = rng.choice(["Ausbildung", "Schulabschlüsse", "Ganztag", "Weiterbildung"])
            out.append(add("product", slug, dict(
                title=f"Faktencheck {topic}: Die wichtigsten Zahlen für {c['short']}", type="faktencheck",
                target_groups=[council(c), "Presse", "Bildungsakteure"],
                goals=["Eine Debatte mit wenigen belastbaren Zahlen versachlichen", f"Entwicklungen zum Thema {topic} über fünf Jahre zeigen"],
                published=d(rng.choice(["2025-04-02", "2025-08-26", "2025-12-09"])),
                channels=["Presse", "Website", "Sitzungsunterlagen"],
                url=f"https://{host}/faktencheck-{topic.lower()}",
                tags=["faktencheck", "bildungsmonitoring"]),
                body="Die Lokalzeitung hat zwei Grafiken übernommen. Im Ausschuss wurde nach den Zahlen für einzelne Gemeinden gefragt – eine Ergänzung ist in Arbeit."))
        elif k == "portal":
            out.append(add("product", slug, dict(
                title=f"Bildungsportal {c['short']}", type="portal",
                target_groups=["Bürgerinnen und Bürger", "Eltern", "Weiterbildungsinteressierte"],
                goals=["Bildungsangebote aller Träger an einer Stelle finden", "Beratungsangebote leichter zugänglich machen"],
                published=d(rng.choice(["2024-06-03", "2025-03-10"])),
                channels=["Website", "Social Media", "Presse"],
                url=f"https://{host}/portal",
                tags=["portal", "bildungsmarketing"]),
                body="Nutzertest mit fünf Personen vor dem Start: Die Suche nach Postleitzahl wurde nach diesem Test ergänzt."))
        else:
            out.append(add("product", slug, dict(
                title=f"Kurzpräsentation für den {council(c)}: Was das Bildungsbüro bewirkt", type="praesentation",
                target_groups=[council(c), "Verwaltungsspitze"],
                goals=["Erreichtes bilanzieren", "Leistungen zeigen, die ohne Bildungsbüro wegfallen würden", "Die Verstetigung begründen"],
                published=d(rng.choice(["2025-06-23", "2025-10-20", "2026-01-19"])),
                channels=["Sitzungsunterlagen", "Intranet"],
                tags=["verstetigung", "präsentation"]),
                body="Vorab mit der Abteilungsleitung durchgesprochen; sie riet, mit drei Zahlen zu beginnen und die Liste der Netzwerke ans Ende zu stellen."))
    return out


# ---------------------------------------------------------------------------------------------
# Tips (written in our own words from the ideas of the brochure; quotes are invented)

TIPS = [
    # communicate_value
    ("communicate_value", "Eine Liste dessen führen, was es ohne uns nicht gäbe",
     "Halten Sie fortlaufend fest, welche Netzwerke, Produkte und Konzepte erst durch das Bildungsbüro entstanden sind – "
     "auch beantwortete Anfragen zählen dazu. Eine zweite Spalte zeigt, was wegfiele, wenn das Büro morgen schließt.\n\n"
     "- Netzwerke und Arbeitskreise\n- Berichte, Flyer, Portale\n- Anfragen aus Politik und Verwaltung\n\n"
     "Wer die Liste nicht erst vor der Haushaltsdebatte zusammensucht, spart sich Stress und wirkt überzeugender.",
     "„Als der Kämmerer fragte, was wir eigentlich machen, lag die Liste schon in der Schublade. Das Gespräch war danach ein anderes.“",
     ["bilanz", "verstetigung"]),
    ("communicate_value", "Den Nutzen in drei Sätzen erzählen können",
     "Im Aufzug, am Rand einer Sitzung oder beim Empfang bleibt oft nur eine Minute. Legen Sie sich deshalb vorher eine kurze Fassung zurecht: "
     "Was leistet das Bildungsbüro, was ist dadurch besser geworden, und was hat mein Gegenüber davon?\n\n"
     "Es lohnt sich, zwei oder drei Varianten vorzubereiten – für die Landrätin klingt der Nutzen anders als für eine Schulleiterin.",
     None, ["elevator-pitch", "kommunikation"]),
    ("communicate_value", "Bewährtes auf neue Zielgruppen übertragen",
     "Ein Produkt, das bei einer Zielgruppe funktioniert, lässt sich oft für ein anderes Arbeitsfeld umbauen. "
     "Aus der Übersicht für Berufsorientierung wird zum Beispiel eine Übersicht der Weiterbildung für Beschäftigte. "
     "So zeigt das Bildungsbüro ganz nebenbei, dass auch andere Bereiche von seiner Arbeit profitieren.",
     None, ["transfer", "produkte"]),
    ("communicate_value", "Auch Kritikerinnen und Kritiker gezielt informieren",
     "Notieren Sie, wer vom Erreichten unbedingt noch erfahren sollte. Auf diese Liste gehören ausdrücklich die Skeptiker: "
     "Wer gut informiert ist, widerspricht seltener aus Unkenntnis. In kbm helfen dabei das Feld *stance* und die Markierung *key_person*.",
     "„Die schärfste Kritikerin im Kreistag hat nach einem Kaffee mit uns den Antrag auf Verstetigung mitgetragen.“",
     ["stakeholder", "kritiker"]),
    # monitoring_data
    ("monitoring_data", "Eine aussagekräftige Zahl statt hundert Seiten",
     "Nicht jede Frage braucht einen vollständigen Bildungsbericht. Oft überzeugt eine gut gewählte Kennzahl zu einem Thema, "
     "das gerade diskutiert wird – etwa die Zahl der Jugendlichen ohne Abschluss oder die Auslastung der Ganztagsplätze. "
     "Kurz aufbereitet, mit Quelle und Vergleichswert, passt sie auf eine Folie.",
     None, ["bildungsmonitoring", "kennzahlen"]),
    ("monitoring_data", "Dieselben Daten, verschiedene Zuhörer",
     "Ein Ausschuss braucht andere Grafiken als ein Fachpublikum auf der Bildungskonferenz. Überlegen Sie vorab:\n\n"
     "1. Wer sitzt im Raum und wie viel Zeit bleibt?\n2. Geht es um eine Entwicklung über mehrere Jahre oder um den aktuellen Stand?\n"
     "3. Welche Entscheidung soll die Zahl unterstützen?\n\nJe nach Antwort fällt die Darstellung einfacher oder ausführlicher aus.",
     "„Dem Kreistag zeige ich drei Balken, der Bildungskonferenz die ganze Zeitreihe. Beides sind dieselben Daten.“",
     ["bildungsmonitoring", "zielgruppen"]),
    ("monitoring_data", "Monitoring als Dienstleistung für andere Ämter",
     "Wer sich mit Bildungsdaten auskennt, kann Kolleginnen und Kollegen anderer Fachbereiche helfen – dem Jugendamt bei der Kita-Bedarfsplanung, "
     "der Wirtschaftsförderung beim Fachkräftethema. Bezieht man diese Kolleginnen und Kollegen zusätzlich in die Deutung der Zahlen ein, "
     "wird die Analyse besser und das Bildungsbüro bekannter.",
     None, ["bildungsmonitoring", "verwaltung"]),
    ("monitoring_data", "Eigene kleine Erhebungen wagen",
     "Neue Themen haben oft noch keine amtliche Statistik. Eine eigene, schlanke Befragung – zum Beispiel unter Schulleitungen zum Ganztag – "
     "liefert aktuelle Zahlen und zeigt, wozu ein datenbasiertes Bildungsbüro fähig ist. Wichtig: Ergebnisse zeitnah zurückmelden.",
     "„Unsere Umfrage zur Schulsozialarbeit hatte nur zwölf Fragen. Im Jugendhilfeausschuss wurde sie trotzdem zitiert.“",
     ["erhebung", "bildungsmonitoring"]),
    # products
    ("products", "Erst Zielgruppe und Ziel, dann das Layout",
     "Bevor ein Flyer oder Newsletter gestaltet wird, sollte feststehen, wen er erreichen soll und was er bewirken soll. "
     "Dann lässt sich auch der Nutzen für genau diese Leserinnen und Leser formulieren. In kbm gehören beide Angaben in die Felder "
     "*target_groups* und *goals* des Produkts.",
     None, ["produkte", "zielgruppen"]),
    ("products", "Eine Testleserin vor dem Druck",
     "Bitten Sie eine Person aus der Zielgruppe, den Entwurf anzuschauen, bevor er erscheint. Ein Vater aus dem Elternbeirat oder eine "
     "Ausbildungsberaterin merkt schnell, ob der Text verständlich ist und die Leute dort abholt, wo sie stehen. Die Rückmeldung lässt sich im Produkt "
     "unter *feedback* festhalten.",
     "„Unsere Testleserin hat aus ‚Bildungsmanagement‘ kurzerhand ‚Wir helfen Ihnen, das passende Angebot zu finden‘ gemacht.“",
     ["feedback", "produkte"]),
    ("products", "Etwas zum Anfassen schaffen",
     "Koordination und Steuerung sind schwer zu zeigen. Ein greifbares Produkt wie ein Bildungs- und Beratungspass macht die Arbeit des Bildungsbüros "
     "dagegen sofort verständlich: Man kann ihn in die Hand nehmen, verteilen und in jeder Gemeinde vorstellen.",
     "„Seit es den Pass gibt, fragt niemand mehr, was wir eigentlich tun – man sieht es.“",
     ["pass", "sichtbarkeit"]),
    ("products", "Produkte mit Presse und Redebeiträgen verbinden",
     "Ein neuer Bericht oder Faktencheck erreicht mehr Menschen, wenn die Pressestelle des Hauses ihn mit den Lokalmedien teilt. "
     "Zusätzlich lohnt sich ein kurzer Hinweis in jeder passenden Sitzung: „Die Zahlen dazu stehen in unserem aktuellen Newsletter.“",
     None, ["presse", "produkte"]),
    # events
    ("events", "Ziele festlegen, bevor die Einladung rausgeht",
     "Legen Sie schon bei der Planung fest, was eine Veranstaltung erreichen soll, und nennen Sie die für die Gäste wichtigen Ziele in "
     "Einladung, Programm und Dokumentation. So können Sie hinterher prüfen, ob es geklappt hat. In kbm stehen die Ziele als geordnete Liste im Feld *goals*.",
     None, ["veranstaltungen", "ziele"]),
    ("events", "Erfolg nicht nur an der Teilnehmerzahl messen",
     "Volle Säle und freundliche Rückmeldungen sind schön, sagen aber wenig über die Wirkung. Entscheidend ist, was danach passiert: "
     "Entstehen Arbeitsgruppen, Kooperationen, konkrete Maßnahmen? Halten Sie diese Folgeprozesse mit Verantwortlichen und Fristen fest und "
     "berichten Sie über den Stand – erledigte wie verworfene.",
     "„Am Ende zählt nicht, wie viele da waren, sondern was im Jahr danach anders läuft.“",
     ["folgeprozesse", "wirkung"]),
    ("events", "Die Veranstaltung als Bühne für Produkte nutzen",
     "Auf einer Bildungskonferenz oder Ausbildungsmesse ist das Publikum schon versammelt. Legen Sie Bericht, Flyer oder Pass aus und "
     "stellen Sie ein Produkt kurz auf der Bühne vor. So profitieren Veranstaltung und Produkt voneinander.",
     None, ["veranstaltungen", "produkte"]),
    ("events", "Ergebnisse über die Kanäle des Hauses streuen",
     "Neben der Lokalzeitung gibt es viele Wege, über Ergebnisse zu berichten: Intranet, interner Newsletter, schwarzes Brett, "
     "Mitteilungsblätter der Gemeinden oder digitale Plattformen. Ein kurzer Text mit Foto reicht oft.",
     "„Unser Foto vom Fachtag hing drei Wochen neben der Kantine. Danach kannten uns auch die Kolleginnen aus dem Bauamt.“",
     ["öffentlichkeitsarbeit", "intranet"]),
    # committees
    ("committees", "Die Moderation übernehmen",
     "Wer ein Netzwerk oder eine Bildungskonferenz moderiert, wird als koordinierende Stelle wahrgenommen. "
     "Planen Sie bei eigenen Gremien und Veranstaltungen deshalb bewusst eine sichtbare Rolle des Bildungsbüros ein.",
     None, ["moderation", "sichtbarkeit"]),
    ("committees", "Eine Landkarte der Gremien anlegen",
     "Sammeln Sie alle Arbeitskreise, Netzwerke und regelmäßigen Treffen, in denen Bildung verhandelt wird, und markieren Sie, wo das Bildungsbüro "
     "vertreten ist. Die Lücken springen dann von selbst ins Auge. In kbm lässt sich das über das Feld *committees* der Akteure auswerten.",
     "„Erst mit der Liste haben wir gemerkt, dass wir im Arbeitskreis SchuleWirtschaft nie dabei waren.“",
     ["gremien", "netzwerke"]),
    ("committees", "Auch kurze Wortmeldungen zählen",
     "Zwei Minuten unter „Verschiedenes“ genügen, um auf die nächste Bildungskonferenz hinzuweisen oder ein Ergebnis des letzten Fachtags zu nennen. "
     "Wer regelmäßig kurz berichtet, bleibt im Gedächtnis.",
     None, ["gremien", "präsenz"]),
    ("committees", "Online-Treffen neu denken statt eins zu eins übertragen",
     "Wenn Präsenztreffen ausfallen, sollte der Austausch weiterlaufen. Ein digitales Format braucht aber eigene Abläufe: kürzere Einheiten, "
     "kleine Gruppenräume, klare Moderation. Manche Zielgruppen – etwa Eltern am Abend – erreicht man online sogar besser.",
     None, ["online", "netzwerke"]),
    # administration
    ("administration", "Ein gemeinsames Strategiepapier mit den Ämtern",
     "Ein kurzes Papier, das langfristige Ziele, bisherige Erfolge und die Arbeitsweise des Bildungsbüros festhält, schafft Klarheit im Haus. "
     "Am stärksten wirkt es, wenn Jugendamt, Schulverwaltung und Wirtschaftsförderung daran mitgeschrieben haben.",
     "„Das Papier hatte nur vier Seiten. Aber weil drei Abteilungsleitungen unterschrieben haben, stand es nie mehr zur Debatte.“",
     ["strategie", "verwaltung"]),
    ("administration", "Niemanden vergessen: die Liste der Ämter",
     "Erstellen Sie eine Übersicht, welche Ämter und Personen im Haus für eine Zusammenarbeit wichtig sind. "
     "So wird keine Stelle übergangen, wenn ein neues Vorhaben startet – und niemand fühlt sich vor vollendete Tatsachen gestellt.",
     None, ["verwaltung", "stakeholder"]),
    ("administration", "Dem Bildungsbüro ein Gesicht geben",
     "Persönliche Gespräche mit der Leitungsebene wirken stärker als jede Rundmail. Ergänzend helfen eine Seite im Intranet oder ein Flyer "
     "mit Fotos, Aufgaben und Projekten des Teams: Dann wissen die Kolleginnen und Kollegen, wen sie ansprechen können.",
     None, ["verwaltung", "sichtbarkeit"]),
    ("administration", "Projekte mit ähnlichen Zielen bündeln",
     "Oft arbeiten im selben Haus mehrere geförderte Projekte an verwandten Themen. Wer sich zusammenschließt, tritt gegenüber der Verwaltungsspitze "
     "mit mehr Gewicht auf und kann gemeinsame Anliegen leichter durchsetzen. Ein regelmäßiger Austausch, auch virtuell, hält die Runde zusammen.",
     "„Mit dem Integrationsmanagement und der Gesundheitsregion haben wir jetzt einen gemeinsamen Jour fixe.“",
     ["kooperation", "verwaltung"]),
    # political_leadership
    ("political_leadership", "Die Themen der Spitze aufgreifen",
     "Welche Themen treiben Landrätin oder Oberbürgermeister gerade um – Fachkräfte, Digitalisierung, Ganztag? Greift das Bildungsbüro diese Themen "
     "auf und liefert Daten dazu, wird sein Beitrag für die politische Agenda unmittelbar sichtbar.",
     "„Seit wir zur Digitalisierung der Schulen Zahlen liefern, werden wir im Kreistag ganz anders wahrgenommen.“",
     ["politik", "themen"]),
    ("political_leadership", "Früh einbinden, regelmäßig informieren",
     "Holen Sie die politische Spitze früh in Bildungsbeirat oder Steuerungsgremium. Wenn möglich, vereinbaren Sie einen kurzen, festen Termin "
     "– etwa einen Jour fixe alle acht Wochen –, in dem Sie über laufende Vorhaben berichten.",
     None, ["politik", "jour-fixe"]),
    ("political_leadership", "Wahlprogramme lesen, bevor gewählt wird",
     "Schon vor einer Kommunalwahl lohnt der Blick in die Programme der Kandidatinnen und Kandidaten: Welche Bildungsthemen tauchen auf? "
     "So kann das Bildungsbüro nach der Wahl rasch Angebote machen, die zu den neuen Schwerpunkten passen.",
     None, ["wahlen", "politik"]),
    ("political_leadership", "Einen Beschluss herbeiführen",
     "Die sicherste Grundlage für die Zukunft des Bildungsbüros ist ein Beschluss des Kreistags oder Stadtrats. Dafür braucht es ein "
     "überzeugendes Konzept, das den Nutzen für Bildung, Wirtschaftsstandort und Zusammenhalt verbindet, und Fürsprecher, die es einbringen.",
     "„Ohne den Kreistagsbeschluss wären wir nach dem Ende der Förderung einfach ausgelaufen.“",
     ["beschluss", "verstetigung"]),
    # partnerships
    ("partnerships", "Schlüsselpersonen kennen und pflegen",
     "Listen Sie auf, wer sich innerhalb und außerhalb der Verwaltung für das Bildungsbüro stark machen kann – Fraktionsvorsitzende, Schulamt, "
     "Kammern, Vereine. Diese Personen sollten laufend wissen, was das Büro tut und was es ihnen selbst bringt.",
     "„Wir haben die zehn Menschen identifiziert, auf die es ankommt. Die bekommen von uns jede Neuigkeit zuerst.“",
     ["schlüsselpersonen", "stakeholder"]),
    ("partnerships", "Gegenargumente kennen und vorbereiten",
     "Die Verstetigung ist freiwillig und kostet Geld – dieses Argument kommt bestimmt. Überlegen Sie vorab, welche Einwände zu erwarten sind "
     "und wie Sie ihnen begegnen: mit Zahlen, mit Beispielen, mit Stimmen von Partnern.",
     None, ["widerstände", "argumentation"]),
    ("partnerships", "Schnittmengen suchen",
     "Wo gibt es gemeinsame Interessen mit anderen Akteuren – mit der IHK beim Fachkräftethema, mit dem Jugendamt beim Ganztag? "
     "Solche Überschneidungen sind der beste Ausgangspunkt für gemeinsame Vorhaben, von denen beide Seiten etwas haben.",
     None, ["kooperation", "partner"]),
    ("partnerships", "Zwischenerfolge im Kreistag zeigen",
     "Warten Sie nicht auf den Abschlussbericht. Berichten Sie dem Kreistag oder Stadtrat auch über Zwischenstände und erreichte Etappen – "
     "die Abstimmung über die Zukunft des Bildungsbüros fällt dort, und wer die Entwicklung miterlebt hat, entscheidet leichter.",
     "„Wir waren jedes Jahr einmal im Ausschuss. Bei der Abstimmung kannte jede und jeder unsere Arbeit.“",
     ["gremien", "verstetigung"]),
]

# A few tips were written by county offices themselves (index -> county).
TIP_COUNTIES = {1: "lk-augsburg", 10: "lk-ostallgaeu", 14: "stadt-kempten", 19: "lk-rosenheim", 25: "lk-deggendorf", 30: "stadt-passau"}


def tips():
    for i, (theme, title, body, quote, tags) in enumerate(TIPS):
        add("tip", TIP_COUNTIES.get(i, "transferagentur"), dict(title=title, theme=theme, quote=quote, tags=tags), body)


# ---------------------------------------------------------------------------------------------
# The transfer agency's own records

def agency():
    slug = "transferagentur"
    regs = {}
    for reg in ("Schwaben", "Oberbayern", "Niederbayern"):
        regs[reg] = add("stakeholder", slug, dict(
            name=f"Regierung von {reg}", type="office", sector="administration",
            committees=["Regionale Steuerungsrunde Bildung"], stance="neutral", influence="medium",
            topics=["Schulabschlüsse", "Integration durch Bildung"], tags=["regierung", "bezirk"]))
    return regs


def agency_events(regs, heads):
    slug = "transferagentur"
    th = THEMES["monitoring"]
    e1 = add("event", slug, dict(
        title="Regionaltreffen der Bildungsbüros Südbayern", type="netzwerktreffen", start=d("2025-10-22"), end=d("2025-10-23"),
        location="Tagungshaus Kloster Irsee",
        goals=["Erfahrungen mit der Verstetigung austauschen", "Praxistipps aus den Kommunen sammeln", "Die gemeinsame Datenbasis in kbm vorstellen"],
        target_groups=["Bildungskoordinatorinnen und -koordinatoren", "Bildungsmonitorerinnen und -monitorer", "Leitungen der Bildungsbüros"],
        participants=46, partners=[r.id for r in regs.values()],
        follow_ups=[{"id": None, "text": "Praxistipps in kbm einpflegen und an alle Büros verteilen", "owner": "Transferagentur", "due": d("2025-12-15"), "status": "done"},
                    {"id": None, "text": "Musterfolien zur Bilanzierung des Erreichten bereitstellen", "owner": "Transferagentur", "due": d("2026-02-28"), "status": "open"},
                    {"id": None, "text": "Gemeinsame Pressemitteilung aller Büros", "owner": "Transferagentur", "due": d("2025-11-30"), "status": "dropped"}],
        tags=["netzwerk", "verstetigung"]),
        body="## Ergebnisse\n\n- 26 Kommunen waren vertreten.\n- Die Gruppe sammelte 31 Praxistipps; sie sind als Datensätze vom Typ *tip* abgelegt.\n"
             "- Wunsch vieler Büros: Partner wie Kammern oder Schulämter nicht in jedem Landkreis neu erfassen müssen.\n\n"
             "## Was daraus folgt\n\nDie Transferagentur prüft, wie doppelt erfasste Akteure zusammengeführt werden können.",
        edited_days=30)
    for it in e1.fields["follow_ups"]:
        it["id"] = CLOCK.ulid(e1.created)
    e2 = add("event", slug, dict(
        title="Online-Werkstatt: Verstetigung planen", type="online", start=d("2026-03-11"),
        location="Online (Videokonferenz)",
        goals=["Eigene Verstetigungsstrategie skizzieren", "Argumente für Haushaltsberatungen schärfen"],
        target_groups=["Leitungen der Bildungsbüros", "Bildungskoordinatorinnen und -koordinatoren"],
        follow_ups=[{"id": None, "text": "Arbeitsblatt „Elevator Pitch“ vorab verschicken", "owner": "Transferagentur", "due": d("2026-03-04"), "status": "open"}],
        tags=["online", "verstetigung"]),
        body="## Planungsstand\n\nAnmeldungen aus 14 Kommunen liegen vor.")
    for it in e2.fields["follow_ups"]:
        it["id"] = CLOCK.ulid(e2.created)
    add("product", slug, dict(
        title="Praxistipps: Bildungsbüros dauerhaft sichern", type="broschuere",
        target_groups=["Bildungsbüros", "Verwaltungsspitzen", "Kreistage und Stadträte"],
        goals=["Bewährte Vorgehensweisen aus Südbayern bündeln", "Die Debatte über die Verstetigung vor Ort unterstützen"],
        published=d("2025-12-01"), channels=["Website", "Druckfassung", "Veranstaltungen"],
        url="https://transferagentur.example/praxistipps-verstetigung", tags=["verstetigung", "broschüre"]),
        body="Drei Bildungsbüros haben den Entwurf gegengelesen. Wunsch: Tipps nach Themen ordnen und je Tipp ein kurzes Zitat aus der Praxis.")
    add("product", slug, dict(
        title="Rundbrief Regionalbüro Süd 📬 – Dezember 2025", type="newsletter",
        target_groups=["Bildungsbüros", "Kommunale Spitzen"],
        goals=["Über Termine und neue Materialien informieren", "Gute Beispiele aus den Kommunen weitergeben"],
        published=d("2025-12-10"), channels=["E-Mail-Verteiler", "Website"],
        url="https://transferagentur.example/rundbrief", tags=["newsletter"]),
        body="Die meisten Klicks erhielt der Beitrag über den gemeinsamen Fachtag von Landkreis Augsburg und Kempten.")


# ---------------------------------------------------------------------------------------------
# Achievements and monitoring indicators (issue 17). The indicator values are INVENTED example
# figures, marked as such in every record (source, note, tag, definition); they only look
# plausible. Made last and from their own random generator, so the records above keep their ids
# and bytes.

ACHIEVEMENTS = [
    ("network", "Netzwerk Übergang Schule–Beruf {short} gegründet", "Gründungsprotokoll vom {de}",
     "Schulen, Kammern, Agentur für Arbeit und Jugendhilfe treffen sich seither zweimal im Jahr; das Bildungsbüro moderiert."),
    ("decision", "{gremium} beschließt den Bildungsbericht als Daueraufgabe", "Sitzungsniederschrift vom {de}",
     "Der Bildungsbericht erscheint künftig alle zwei Jahre; die Stelle im Bildungsmonitoring ist dafür eingeplant."),
    ("funding", "Fördermittel für die Bildungsberatung eingeworben", "Zuwendungsbescheid vom {de}",
     "Drei Jahre Förderung für eine halbe Stelle in der Bildungsberatung."),
    ("product", "Erster Bildungsbericht {short} veröffentlicht", "Bildungsbericht (PDF), Pressemitteilung vom {de}",
     "Der Bericht ist Grundlage der Haushaltsberatungen im Bildungsausschuss."),
    ("process", "Datenaustausch mit dem Staatlichen Schulamt geregelt", "Vereinbarung vom {de}",
     "Das Schulamt liefert jährlich die Übertrittszahlen; das Bildungsbüro bereitet sie für die Gremien auf."),
]

INDICATORS = [
    ("Übertrittsquote an das Gymnasium", "Übergänge", "%", "school", (28, 46), 1,
     "Anteil der Schülerinnen und Schüler der 4. Jahrgangsstufe, die an ein Gymnasium übertreten."),
    ("Schulabgänge ohne Mittelschulabschluss", "Schulabschlüsse", "% der Abgänge", "year", (3, 9), 1,
     "Anteil der Abgängerinnen und Abgänger allgemeinbildender Schulen ohne Abschluss."),
    ("Betreuungsquote der unter Dreijährigen", "Frühkindliche Bildung", "%", "year", (22, 40), 1,
     "Anteil der Kinder unter drei Jahren in Kindertageseinrichtungen oder Tagespflege."),
    ("Neu abgeschlossene Ausbildungsverträge", "Übergang Schule–Beruf", "Anzahl", "year", (380, 2600), 0,
     "Neu abgeschlossene Ausbildungsverträge im Kammerbezirksanteil des Landkreises."),
    ("Belegungen in Kursen der Volkshochschule", "Erwachsenenbildung", "je 1.000 Einwohner", "year", (70, 210), 1,
     "Kursbelegungen der Volkshochschulen je 1.000 Einwohnerinnen und Einwohner."),
]

EXAMPLE_SOURCE = "Erfundene Beispielzahlen der kbm-Beispielregion (keine amtlichen Daten)"


def canonical_number(v, decimals):
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def achievements_and_indicators():
    rng = random.Random(SEED + 17)
    for c in COUNTIES:
        own = [r for r in RECORDS if r.county == c["slug"]]
        events = [r for r in own if r.kind == "event"]
        products = [r for r in own if r.kind == "product"]
        gremium = "Kreistag" if c["lk"] else "Stadtrat"
        for typ, title, evidence, body in rng.sample(ACHIEVEMENTS, 3):
            day = datetime.date(rng.choice([2024, 2025, 2025]), rng.randint(1, 11), rng.randint(1, 28))
            related = [r.id for r in (rng.sample(events, 1) if events else []) + (rng.sample(products, 1) if products else [])]
            add("achievement", c["slug"], dict(
                title=title.format(short=c["short"], gremium=gremium), date=day, type=typ,
                related=sorted(related), evidence=[evidence.format(de=de_date(day))], tags=["bilanz"]), body=body)
        for name, topic, unit, periods, (lo, hi), decimals, definition in INDICATORS:
            level = rng.uniform(lo, hi)
            trend = rng.uniform(-0.04, 0.05)
            values = []
            for i, year in enumerate(range(2020, 2025)):
                period = f"{year}/{str(year + 1)[-2:]}" if periods == "school" else str(year)
                value = level * (1 + trend) ** i * rng.uniform(0.97, 1.03)
                item = {"id": f"v{year}", "period": period}
                if c["slug"] == "stadt-passau" and year == 2022 and decimals == 0:
                    item["note"] = "Wert fehlt (x): Geheimhaltung"
                else:
                    item["value"] = canonical_number(value, decimals)
                    item["note"] = "erfundene Beispielzahl"
                values.append(item)
            add("indicator", c["slug"], dict(
                name=name, topic=topic, unit=unit, source=EXAMPLE_SOURCE, values=values, tags=["beispielzahlen"]),
                body=definition + " Alle Werte dieser Beispielregion sind erfunden.")


# ---------------------------------------------------------------------------------------------
# Build, import, export

KEMPTEN_PARTNERS = {}


def build():
    regs = agency()
    shared = [regs["Schwaben"].id]
    county_s = {}
    # Kempten's stakeholders are created first so the joint Fachtag in lk-augsburg can name them.
    order = ["stadt-kempten"] + [c["slug"] for c in COUNTIES if c["slug"] != "stadt-kempten"]
    by_slug = {c["slug"]: c for c in COUNTIES}
    for slug in order:
        c = by_slug[slug]
        s = stakeholders(c)
        county_s[slug] = s
        if slug == "stadt-kempten":
            KEMPTEN_PARTNERS.update({k: v.id for k, v in s.items()})
    for slug in order:
        c = by_slug[slug]
        shared_ids = [regs[c["region"]].id]
        events(c, county_s[slug], shared_ids)
        products(c, county_s[slug])
    agency_events(regs, county_s)
    tips()
    achievements_and_indicators()
    return county_s


def run(cmd, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")
    return res.stdout


def read_tree(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            p = os.path.join(dirpath, fn)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def roundtrip(kbm, src, work, name):
    ws = os.path.join(work, f"ws-{name}")
    run([kbm, "init", "--county", "transferagentur", "--user", "kbm sample generator <sample@transferagentur.example>", ws])
    run([kbm, "-C", ws, "import", src])
    dst = os.path.join(work, f"export-{name}")
    run([kbm, "-C", ws, "export", dst])
    return dst


README = """# Beispielregion / Sample region

**Deutsch.** Dieses Verzeichnis ist die Arbeitskopie eines regionalen kbm-Repositorys, wie es die
Transferagentur (Regionalbüro Süd) führt: zehn Bildungsbüros in Schwaben, Oberbayern und Niederbayern
und die Transferagentur selbst, mit Akteuren, Veranstaltungen, Produkten, Praxistipps, Erfolgen
und je fünf Indikatoren über fünf Jahre im
kanonischen Dateiformat (`counties/<county>/<kind>/<shard>/<id>.md`). Alle Personen sind erfunden;
Institutionen (Schulamt, IHK, HWK, Agentur für Arbeit, VHS, Jugendamt) stehen nur für die Art von
Partnern, mit denen Bildungsbüros arbeiten. Personenbezogene lokale Felder (E-Mail, Telefon, Notizen,
letzter Kontakt, Einschätzungen von Personen) sind absichtlich leer. **Alle Indikatorwerte sind erfundene
Beispielzahlen** (so auch in Quelle, Anmerkung und Schlagwort jedes Datensatzes), keine amtlichen Daten. Die Praxistipps sind frei nach den Ideen der Broschüre der
Transferagentur formuliert. Bewusst eingebaut: eine doppelt erfasste Person, eine doppelt erfasste
IHK, ein ähnlicher Name, der *kein* Duplikat ist, und ein gemeinsamer Fachtag mit Mitbesitzer
(`co_owners`).

**English.** This folder is the working tree of a regional kbm repository as hosted by the transfer
agency: ten county education offices plus the agency, with stakeholders, events, products,
practice tips, achievements and five monitoring indicators over five years per county in kbm's
canonical record format. **Every indicator value is an invented example figure**, not official data. All persons are invented; local (personal) fields
(and the assessments of persons) are left empty on purpose. Planted on purpose: one person and one IHK entered in two counties, a
near-miss name that must not be matched, and a joint Fachtag with a co-owner.

Do not edit by hand. Regenerate with:

    python3 scripts/make-sample-repo.py [path/to/kbm]

The script is deterministic (fixed seed, ids and timestamps) and passes every file through
`kbm import` and `kbm export`, so the files are canonical.

**Office registry / Büroverzeichnis.** `region/offices/<county>.md` lists each office and its
coordinator's public signing key. These keys are made **for the demo only**; their private halves
are in `scripts/demo-keys/` (see its README) and must never be used for real. The registry was
written by `kbm registry …` commands as in `scripts/demo.sh` (step 1); copy it from a demo run
with `git --git-dir=demo-out/region.git archive main region | tar -x -C sample-repo`.
"""


def main(argv):
    kbm = DEFAULT_KBM
    out = DEFAULT_OUT
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--out":
            out = os.path.abspath(args.pop(0))
        else:
            kbm = os.path.abspath(a)
    if not os.access(kbm, os.X_OK):
        sys.exit(f"kbm binary not found: {kbm} (build it with `swift build --product kbm`)")
    build()
    work = tempfile.mkdtemp(prefix="kbm-sample-")
    try:
        raw = os.path.join(work, "raw")
        for rec in RECORDS:
            p = os.path.join(raw, "counties", rec.county, rec.kind, rec.id[-1].lower(), rec.id + ".md")
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(render(rec))
        first = roundtrip(kbm, raw, work, "1")
        second = roundtrip(kbm, first, work, "2")
        a, b = read_tree(first), read_tree(second)
        if a != b:
            diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            sys.exit(f"export does not round-trip byte for byte: {diff[:5]}")
        if len(a) != len(RECORDS):
            sys.exit(f"expected {len(RECORDS)} files, export has {len(a)}")
        for path, data in a.items():
            front = data.decode("utf-8").split("\n---\n", 1)[0]
            for name in LOCAL_FIELDS:
                if f"\n{name}:" in front:
                    sys.exit(f"{path}: local field {name} in the sample repository")
        os.makedirs(out, exist_ok=True)
        shutil.rmtree(os.path.join(out, "counties"), ignore_errors=True)
        shutil.copytree(os.path.join(first, "counties"), os.path.join(out, "counties"))
        with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(README)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    counts = {}
    for rec in RECORDS:
        counts.setdefault(rec.county, {}).setdefault(rec.kind, 0)
        counts[rec.county][rec.kind] += 1
    kinds = ["stakeholder", "event", "product", "tip", "achievement", "indicator"]
    print(f"{'county':<18}" + "".join(f"{k:>12}" for k in kinds) + f"{'total':>8}")
    for county in sorted(counts):
        row = counts[county]
        print(f"{county:<18}" + "".join(f"{row.get(k, 0):>12}" for k in kinds) + f"{sum(row.values()):>8}")
    print(f"{len(RECORDS)} records written to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
