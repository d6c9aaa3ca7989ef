"""Synthetic catalogues for the benchmark: realistic, deterministic, fast, never mixed.

`generate_catalogue(practices=1_000_000, seed=42)` fills an EMPTY catalogue
with Polish and foreign organisations, practices with long Polish texts,
partners, topics, money, periods, competitions, editions and entries, all
marked `origin = "synthetic"`. It refuses a database that holds the real
fixtures, and `load_catalogue` refuses one that holds synthetic rows.

Every practice's catalogue row (search document, filter arrays) is built by the
catalogue's own code, `catalogue.index.rows.index_row`, from the same facts the
site reads, so the benchmark searches the text production would store.

Speed: rows stream into the tables with PostgreSQL's COPY; the practices go
through an unlogged staging table so that PostgreSQL itself builds the search
vectors with the site's expression (`catalogue.sql.search_vector`). The
catalogue tables' secondary indexes are dropped for the load and rebuilt after it.

The same seed always gives the same catalogue.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from catalogue import sql
from catalogue.index.rows import EntryFacts, OrganisationFacts, PracticeFacts, index_row
from core.text import fold, polish_sort_key, slugify_pl
from practices.models import Practice, PracticeType, Topic

# --- vocabulary ---------------------------------------------------------------------

VOIVODESHIPS = [
    "dolnośląskie",
    "kujawsko-pomorskie",
    "lubelskie",
    "lubuskie",
    "łódzkie",
    "małopolskie",
    "mazowieckie",
    "opolskie",
    "podkarpackie",
    "podlaskie",
    "pomorskie",
    "śląskie",
    "świętokrzyskie",
    "warmińsko-mazurskie",
    "wielkopolskie",
    "zachodniopomorskie",
]
PL_PREFIXES = ["", "", "", "Nowa ", "Stara ", "Wielka ", "Mała ", "Górna ", "Dolna ", "Wola "]
PL_ROOTS = [
    "Dąbrow",
    "Lipn",
    "Brzez",
    "Łęcz",
    "Żabn",
    "Świerk",
    "Kamień",
    "Olszyn",
    "Grab",
    "Jasień",
    "Sosnow",
    "Bukow",
    "Wierzb",
    "Modrzew",
    "Jodł",
    "Klon",
    "Jawor",
    "Topol",
    "Czereśn",
    "Wiśn",
    "Łąck",
    "Pol",
    "Borow",
    "Lesz",
    "Ostrow",
    "Wysok",
    "Głęb",
    "Chełm",
    "Zagórz",
    "Podgórz",
    "Przemęt",
    "Rzeczyc",
    "Strzel",
    "Ślęż",
    "Złot",
    "Srebrn",
    "Miedzi",
    "Żelaz",
    "Kruszw",
    "Bystrz",
]
PL_SUFFIXES = ["ów", "ice", "owo", "no", "ka", "iec", "in", "any", "ina", "ewo", "sko", "ówek"]
FOREIGN = {
    "UA": (
        ["Bil", "Zelen", "Nov", "Staro", "Vyshn", "Khmel", "Lysy", "Dub"],
        ["ivka", "horod", "ychi", "sk"],
    ),
    "DE": (
        ["Neu", "Alt", "Hohen", "Grün", "Lind", "Berg"],
        ["dorf", "burg", "stadt", "hausen", "feld"],
    ),
    "LT": (["Kal", "Pan", "Ras", "Jon", "Vil"], ["iai", "ėnai", "iškis", "ava"]),
    "SK": (["Nov", "Star", "Dol", "Hor"], ["any", "ice", "ovce", "ín"]),
    "CZ": (["Nov", "Star", "Hor", "Bíl"], ["ice", "ov", "ín", "any"]),
    "FR": (["Saint-", "Ville", "Mont", "Beau"], ["ville", "court", "mont", "lieu"]),
    "ES": (["San ", "Villa", "Torre", "Puerto "], ["nueva", "alta", "del Río", "real"]),
    "TR": (["Yeni", "Eski", "Kara", "Ak"], ["köy", "şehir", "pınar", "dere"]),
    "GE": (["Tsal", "Mart", "Gor", "Kaz"], ["kha", "vili", "eti", "ani"]),
    "LV": (["Jaun", "Vec", "Liel", "Maz"], ["pils", "ciems", "muiža"]),
}
COUNTRY_WEIGHTS = [
    ("PL", 70),
    ("UA", 9),
    ("DE", 4),
    ("LT", 3),
    ("SK", 3),
    ("CZ", 3),
    ("FR", 2),
    ("ES", 2),
    ("TR", 2),
    ("GE", 1),
    ("LV", 1),
]
KINDS = [
    ("municipality", 40),
    ("city", 20),
    ("county", 8),
    ("region", 2),
    ("association", 5),
    ("functional_area", 2),
    ("partnership", 2),
    ("ngo", 12),
    ("university", 3),
    ("school", 3),
    ("business", 2),
    ("public_institution", 1),
]
KIND_PREFIX = {
    "municipality": "Gmina",
    "city": "Miasto",
    "county": "Powiat",
    "region": "Region",
    "association": "Stowarzyszenie Gmin",
    "functional_area": "Obszar Funkcjonalny",
    "partnership": "Partnerstwo",
    "ngo": "Fundacja",
    "university": "Akademia",
    "school": "Szkoła Podstawowa w",
    "business": "Spółka Komunalna",
    "public_institution": "Urząd",
}

SUBJECTS = [
    ("Cyfrowy urząd", "uslugi-cyfrowe"),
    ("Budżet obywatelski", "partycypacja"),
    ("Konsultacje społeczne", "partycypacja"),
    ("Wsparcie seniorów", "seniorzy"),
    ("Nowoczesna szkoła", "edukacja"),
    ("Transport publiczny", "transport"),
    ("Termomodernizacja budynków", "energia-i-termomodernizacja"),
    ("Rewitalizacja centrum", "rewitalizacja"),
    ("Zielone podwórka", "ochrona-srodowiska"),
    ("Inkubator przedsiębiorczości", "przedsiebiorczosc"),
    ("Rada młodzieży", "mlodziez"),
    ("Ochrona zabytków", "ochrona-zabytkow"),
    ("Szlak turystyczny", "kultura-i-turystyka"),
    ("Zdrowa gmina", "zdrowie"),
    ("Centrum usług społecznych", "uslugi-spoleczne"),
    ("Zarządzanie kryzysowe", "reagowanie-kryzysowe"),
    ("Partnerstwo miast", "wspolpraca-miedzynarodowa"),
    ("Otwarte dane", "uslugi-cyfrowe"),
    ("Elektroniczny obieg dokumentów", "zarzadzanie-publiczne"),
    ("Lokalna strategia rozwoju", "gospodarka"),
    ("Energia słoneczna dla budynków gminy", "energia-i-termomodernizacja"),
    ("Aplikacja dla mieszkańców", "uslugi-cyfrowe"),
    ("Gra miejska", "partycypacja"),
    ("Klub seniora", "seniorzy"),
    ("Dzienny dom opieki", "uslugi-spoleczne"),
]
QUALIFIERS = [
    "",
    "",
    "dla mieszkańców",
    "w praktyce",
    "2.0",
    "razem z mieszkańcami",
    "dla dzielnic",
    "w małych gminach",
    "na obszarach wiejskich",
    "w dzielnicach",
]
SENTENCES = [
    "Gmina przygotowała program wspólnie z mieszkańcami i organizacjami pozarządowymi.",
    "W szkołach podstawowych przeprowadzono warsztaty dla uczniów i nauczycieli.",
    "Urząd uruchomił nową stronę internetową oraz aplikację mobilną dla mieszkańców.",
    "Seniorzy otrzymali wsparcie wolontariuszy i codzienny kontakt telefoniczny.",
    "Dzięki projektowi zmodernizowano budynki użyteczności publicznej i obniżono koszty energii.",
    "Mieszkańcy zgłaszali pomysły w budżecie obywatelskim i głosowali na najlepsze projekty.",
    "Powiat kupił nowe autobusy niskoemisyjne i zintegrował rozkłady jazdy gmin.",
    "Projekt był współfinansowany ze środków Unii Europejskiej i budżetu województwa.",
    "Przeprowadzono konsultacje społeczne w każdej dzielnicy miasta.",
    "Organizacje pozarządowe prowadziły zajęcia dla dzieci i młodzieży w świetlicach.",
    "Urzędnicy przeszli szkolenia z zarządzania projektami i komunikacji z mieszkańcami.",
    "Zrewitalizowano zabytkowy rynek, a w pustych lokalach powstały pracownie rzemieślników.",
    "Lokalni przedsiębiorcy korzystali z bezpłatnych porad ekspertów i mentorów.",
    "Stworzono sieć punktów informacyjnych dla turystów oraz szlak rowerowy.",
    "W trakcie pandemii gmina przeniosła obsługę spraw do internetu.",
    "Partnerstwo samorządów wspólnie ubiegało się o dofinansowanie i dzieliło się doświadczeniami.",
    "Młodzieżowa rada gminy przygotowała rekomendacje dla burmistrza.",
    "Efektem projektu jest wyższa jakość usług publicznych i większe zaufanie do samorządu.",
    "Wyniki monitorowano co kwartał, a raporty publikowano w biuletynie informacji publicznej.",
    "Miasto posadziło tysiące drzew i urządziło kieszonkowe parki na osiedlach.",
    "Szpital powiatowy otrzymał sprzęt medyczny, a mieszkańcy bezpłatne badania profilaktyczne.",
    "Biblioteki gminne zorganizowały kursy komputerowe dla osób starszych.",
    "Wspólnie z uczelnią przygotowano analizę potrzeb i plan działań na kolejne lata.",
    "Współpraca z miastami partnerskimi z Ukrainy i Litwy objęła wizyty studyjne.",
    "Wprowadzono elektroniczny obieg dokumentów i wirtualne biuro obsługi obywatela.",
    "Gmina opracowała procedurę, która skróciła czas wydawania decyzji o połowę.",
    "Kampania informacyjna dotarła do kilkudziesięciu tysięcy mieszkańców regionu.",
    "Zespół interdyscyplinarny koordynował pomoc rodzinom w trudnej sytuacji.",
    "Nowe centrum usług społecznych łączy opiekę, doradztwo i aktywizację zawodową.",
    "Mieszkańcy mogą zgłaszać problemy przez aplikację i śledzić ich rozwiązanie.",
]
# Sentences made from templates and word lists, so that a word is about as rare
# as in a real catalogue (a fixed handful of sentences would put "szkoła" in a
# third of all practices and make every search unselective).
AUDIENCES = [
    "mieszkańców",
    "seniorów",
    "uczniów szkół podstawowych",
    "młodzieży",
    "przedsiębiorców",
    "rolników",
    "osób z niepełnosprawnościami",
    "rodzin z dziećmi",
    "turystów",
    "urzędników",
    "nauczycieli",
    "wolontariuszy",
    "organizacji pozarządowych",
    "sołtysów",
    "osób bezrobotnych",
    "studentów",
    "lekarzy rodzinnych",
    "artystów",
    "klubów sportowych",
    "cudzoziemców",
    "opiekunów osób zależnych",
    "rad osiedli",
    "kół gospodyń wiejskich",
    "bibliotekarzy",
    "strażaków ochotników",
    "rzemieślników",
    "spółdzielni mieszkaniowych",
    "przewoźników",
    "harcerzy",
    "animatorów kultury",
]
ACTIVITIES = [
    "warsztaty",
    "konsultacje społeczne",
    "szkolenia",
    "kampanię informacyjną",
    "program grantowy",
    "spotkania sąsiedzkie",
    "konkurs",
    "festiwal",
    "cykl debat",
    "bezpłatne porady prawne",
    "zajęcia sportowe",
    "kursy językowe",
    "wizyty studyjne",
    "program mentoringowy",
    "badanie ankietowe",
    "punkt informacyjny",
    "dyżury ekspertów",
    "spacery badawcze",
    "grę miejską",
    "hackathon",
    "targi pracy",
    "dzień otwarty",
    "akcję sprzątania",
    "zbiórkę elektrośmieci",
    "koncerty plenerowe",
    "kino letnie",
    "zajęcia komputerowe",
    "kurs pierwszej pomocy",
    "szkołę liderów",
    "panel obywatelski",
]
OBJECTS = [
    "ścieżkę rowerową",
    "park kieszonkowy",
    "plac zabaw",
    "salę gimnastyczną",
    "centrum przesiadkowe",
    "instalację fotowoltaiczną",
    "bibliotekę",
    "świetlicę wiejską",
    "targowisko",
    "oczyszczalnię ścieków",
    "żłobek",
    "dom kultury",
    "boisko wielofunkcyjne",
    "skatepark",
    "punkt selektywnej zbiórki odpadów",
    "ogród deszczowy",
    "tężnię solankową",
    "schronisko dla zwierząt",
    "przystań kajakową",
    "wiatę rowerową",
    "ośrodek zdrowia",
    "pracownię rzemiosła",
    "inkubator przedsiębiorczości",
    "strefę aktywności",
    "amfiteatr",
    "ciepłownię",
    "sieć monitoringu powietrza",
    "parking buforowy",
    "miejską pasiekę",
    "pumptrack",
]
PLACES = [
    "w dzielnicy",
    "na osiedlu",
    "w sołectwie",
    "w centrum miasta",
    "w całej gminie",
    "w powiecie",
    "w bibliotekach",
    "w domach kultury",
    "przy urzędzie",
    "w parku miejskim",
    "na rynku",
    "w strefie ekonomicznej",
    "w dawnej fabryce",
    "na terenach poprzemysłowych",
]
FIGURES = [
    "Z oferty skorzystało {n} osób.",
    "Koszty energii spadły o {p} procent.",
    "Liczba zgłoszeń wzrosła {k}-krotnie.",
    "W działaniach wzięło udział {n} mieszkańców.",
    "Czas obsługi sprawy skrócił się o {p} procent.",
    "Powstało {k} nowych miejsc pracy.",
    "Frekwencja w głosowaniu wyniosła {p} procent.",
    "Przeszkolono {n} osób.",
]
TEMPLATES = [
    "Gmina zorganizowała {activity} dla {audience} {place}.",
    "Dla {audience} przygotowano {activity}, a {place} powstało miejsce spotkań.",
    "Dzięki dofinansowaniu zbudowano {object} {place}.",
    "Samorząd wspólnie z {audience2} zaprojektował {object}.",
    "Projekt objął {activity} oraz modernizację obiektu: {object}.",
    "Najważniejszym efektem jest {object}, z którego korzystają {audience3}.",
    "{activity_cap} prowadzono przez cały rok {place}.",
]


def _sentence_pool(size: int = 3000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = list(SENTENCES)
    while len(pool) < size:
        template = rng.choice(TEMPLATES)
        activity = rng.choice(ACTIVITIES)
        sentence = template.format(
            activity=activity,
            activity_cap=activity[:1].upper() + activity[1:],
            audience=rng.choice(AUDIENCES),
            audience2="radą " + rng.choice(["seniorów", "młodzieży", "osiedla", "sołectwa"]),
            audience3=rng.choice(["mieszkańcy", "turyści", "uczniowie", "seniorzy", "rodziny"]),
            object=rng.choice(OBJECTS),
            place=rng.choice(PLACES),
        )
        figure = rng.choice(FIGURES).format(
            n=rng.randint(20, 20000), p=rng.randint(5, 60), k=rng.randint(2, 12)
        )
        pool.append(f"{sentence} {figure}")
    return pool


SENTENCE_POOL = _sentence_pool()


CURRENCY_WEIGHTS = [("PLN", 85), ("EUR", 10), ("UAH", 3), ("USD", 2)]
TYPES = ["procedural", "investment", "it", "social", "organisational", "promotional", "project"]
STATUSES = [("published", 97), ("draft", 2), ("archived", 1)]


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> Callable[[], str]:
    values = [value for value, _weight in options]
    weights = [weight for _value, weight in options]
    return lambda: rng.choices(values, weights)[0]


def _pg_array(values) -> str:
    """A PostgreSQL array literal for COPY text format."""
    return "{" + ",".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values) + "}"


@dataclass
class SyntheticReport:
    organisations: int = 0
    practices: int = 0
    partnerships: int = 0
    topic_links: int = 0
    editions: int = 0
    entries: int = 0
    seconds: float = 0.0


class SyntheticRefused(RuntimeError):
    pass


CATALOGUE_TABLES = [
    "competitions_entry",
    "competitions_category",
    "competitions_editionorganiser",
    "competitions_edition_funding_sources",
    "competitions_edition",
    "competitions_competition",
    "practices_partnership",
    "practices_practicelink",
    "practices_practice_topics",
    "practices_practice_funding_sources",
    "practices_practice",
    "organisations_membership",
    "organisations_organisation",
]


def _place_names(rng: random.Random, country: str, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    if country == "PL":
        roots, suffixes, prefixes = PL_ROOTS, PL_SUFFIXES, PL_PREFIXES
    else:
        roots, suffixes = FOREIGN[country]
        prefixes = [""]
    attempts = 0
    while len(names) < count and attempts < count * 20:
        attempts += 1
        name = f"{rng.choice(prefixes)}{rng.choice(roots)}{rng.choice(suffixes)}".strip()
        if name not in seen:
            seen.add(name)
            names.append(name)
    while len(names) < count:  # the combinations ran out: number the rest
        names.append(f"{rng.choice(roots)}{rng.choice(suffixes)} {len(names)}")
    return names


def _copy(table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    count = 0
    with connection.cursor() as cursor:
        quoted = ", ".join(f'"{column}"' for column in columns)
        statement = f"COPY {table} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every index that does not back a constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
             WHERE i.tablename = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        return cursor.fetchall()


def _ensure_empty_or_synthetic(reset: bool) -> None:
    if Practice.objects.filter(origin="fixtures").exists():
        raise SyntheticRefused(
            "This database holds the real catalogue (load_catalogue). Synthetic data goes into "
            "a database of its own: set DATABASE_URL to another database."
        )
    if Practice.objects.exists() and not reset:
        raise SyntheticRefused(
            "This database already holds practices; add --reset to replace them."
        )


def generate_catalogue(
    *,
    practices: int,
    organisations: int | None = None,
    seed: int = 42,
    reset: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> SyntheticReport:
    """Fill the (empty) catalogue with `practices` synthetic practices; see the module doc."""
    started = time.monotonic()
    rng = random.Random(seed)
    report = SyntheticReport()
    organisations = organisations or max(50, practices // 10)
    _ensure_empty_or_synthetic(reset)
    topics = {t.slug: (t.pk, t.name, t.name_en) for t in Topic.objects.all()}
    type_names = {
        code: (name, name_en)
        for code, name, name_en in PracticeType.objects.values_list("code", "name", "name_en")
    }
    if len(topics) < 5 or len(type_names) != 7:
        raise SyntheticRefused(
            "Load the vocabularies first: manage.py load_catalogue --taxonomy-only"
        )

    tables = CATALOGUE_TABLES
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            if reset:
                cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            indexes = _secondary_indexes(tables)
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        progress(f"dropped {len(indexes)} secondary indexes for the load")

        org_rows = _organisation_rows(rng, organisations)
        report.organisations = _copy(
            "organisations_organisation",
            [
                "id",
                "name",
                "short_name",
                "slug",
                "kind",
                "country",
                "region",
                "locality",
                "website",
                "description",
                "sort_name",
                "search_text",
                "created_at",
                "updated_at",
            ],
            (row[:-1] for row in org_rows),
        )
        progress(f"{report.organisations} organisations")

        editions, categories = _competitions(rng)
        report.editions = len(editions)
        report.practices, report.partnerships, report.topic_links, report.entries = _practices(
            rng, practices, org_rows, topics, type_names, categories, progress
        )
        with connection.cursor() as cursor:
            for table in (
                "organisations_organisation",
                "practices_practice",
                "practices_partnership",
                "practices_practice_topics",
                "competitions_competition",
                "competitions_edition",
                "competitions_category",
                "competitions_entry",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            progress("checking references and rebuilding the indexes")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition in indexes:
                cursor.execute(definition)
    with connection.cursor() as cursor:
        for table in tables:
            # VACUUM sets the visibility map: deep pages then read ids from an index alone.
            # Inside a caller's transaction (a test) it cannot run; statistics still can.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {table}")
    report.seconds = time.monotonic() - started
    return report


def _organisation_rows(rng: random.Random, count: int) -> list[tuple]:
    country = _weighted(rng, COUNTRY_WEIGHTS)
    kind = _weighted(rng, KINDS)
    countries = [country() for _ in range(count)]
    per_country: dict[str, int] = {}
    for code in countries:
        per_country[code] = per_country.get(code, 0) + 1
    places = {code: _place_names(rng, code, n) for code, n in per_country.items()}
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    rows = []
    for index, code in enumerate(countries, start=1):
        locality = places[code].pop()
        organisation_kind = kind() if code == "PL" else rng.choice(["city", "municipality", "ngo"])
        name = f"{KIND_PREFIX[organisation_kind]} {locality}"
        region = rng.choice(VOIVODESHIPS) if code == "PL" else ""
        slug = f"{slugify_pl(name)}-{index}"[:120]
        rows.append(
            (
                index,
                name,
                "",
                slug,
                organisation_kind,
                code,
                region,
                locality,
                "",
                "",
                polish_sort_key(name),
                fold(f"{name} {locality} {region}"),
                now,
                now,
                region,
            )
        )
    return rows


def _competitions(rng: random.Random) -> tuple[list[int], list[tuple[int, int, int, str, str]]]:
    """20 competitions × 5 editions × 5 categories.

    Returns the edition ids and (category, edition, competition, edition name,
    category name) of each category.
    """
    competitions, editions, categories = [], [], []
    names = [
        "Lider Innowacji",
        "Samorząd Przyjazny",
        "Dobre Praktyki Regionu",
        "Gmina Otwarta",
        "Zielona Gmina",
        "Cyfrowy Samorząd",
        "Partnerstwo Roku",
        "Aktywni Mieszkańcy",
        "Bezpieczna Gmina",
        "Przedsiębiorczy Samorząd",
        "Senior w Centrum",
        "Szkoła Jutra",
        "Kultura Blisko",
        "Transport Przyszłości",
        "Energia Lokalna",
        "Zdrowy Region",
        "Rewitalizacja Roku",
        "Młodzi Razem",
        "Współpraca bez Granic",
        "Otwarte Dane",
    ]
    category_names = [
        "Samorząd",
        "Edukacja",
        "Kultura i turystyka",
        "Pomoc społeczna",
        "Przedsiębiorczość",
    ]
    edition_id = category_id = 0
    for competition_id, name in enumerate(names, start=1):
        slug = slugify_pl(name)
        competitions.append((competition_id, f"Konkurs {name}", "", slug, "", ""))
        for year in range(2018, 2023):
            edition_id += 1
            editions.append(
                (
                    edition_id,
                    year,
                    f"Konkurs {name} {year}",
                    f"{slug}-{year}",
                    "",
                    "",
                    "archived",
                    "",
                    "",
                    [],
                    competition_id,
                )
            )
            for order, category_name in enumerate(category_names, start=1):
                category_id += 1
                categories.append((category_id, edition_id, competition_id, category_name, order))
    _copy(
        "competitions_competition",
        ["id", "name", "short_name", "slug", "description", "website"],
        iter(competitions),
    )
    _copy(
        "competitions_edition",
        [
            "id",
            "year",
            "name",
            "slug",
            "theme",
            "description",
            "phase",
            "event_name",
            "event_place",
            "countries_named",
            "competition_id",
            "has_public_vote",
        ],
        ((*row[:9], _pg_array(row[9]), row[10], True) for row in editions),
    )
    _copy(
        "competitions_category",
        ["id", "name", "slug", "order", "laureate_places", "description", "edition_id"],
        (
            (cid, name, slugify_pl(name), order, 3, "", eid)
            for cid, eid, _comp, name, order in categories
        ),
    )
    edition_names = {row[0]: row[2] for row in editions}
    return [row[0] for row in editions], [
        (c[0], c[1], c[2], edition_names[c[1]], c[3]) for c in categories
    ]


def _practices(rng, count, org_rows, topics, type_names, categories, progress):
    currency = _weighted(rng, CURRENCY_WEIGHTS)
    status = _weighted(rng, STATUSES)
    topic_rows = list(topics.values())
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    partnerships: list[tuple] = []
    topic_links: list[tuple] = []
    entries: list[tuple] = []
    entered: set[tuple[int, int]] = set()
    places_taken: dict[int, int] = {}
    organisation_count = len(org_rows)
    facts_of: dict[int, OrganisationFacts] = {}

    def organisation(row) -> OrganisationFacts:
        if row[0] not in facts_of:
            # (id, name, short name, slug, kind, country, region, locality, …)
            facts_of[row[0]] = OrganisationFacts(
                id=row[0],
                name=row[1],
                short_name=row[2],
                kind=row[4],
                country=row[5],
                region=row[6],
                locality=row[7],
            )
        return facts_of[row[0]]

    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE UNLOGGED TABLE IF NOT EXISTS synthetic_practice_stage (
                LIKE practices_practice INCLUDING DEFAULTS,
                doc_a text, doc_b text, doc_c text, doc_d text,
                doc_a_en text, doc_b_en text, doc_c_en text, doc_d_en text
            )
            """
        )
        cursor.execute("TRUNCATE synthetic_practice_stage")
    columns = [
        "id",
        "title",
        "slug",
        "sort_title",
        "author",
        "summary",
        "description",
        "problem",
        "actions",
        "results",
        "place",
        "started_on",
        "started_precision",
        "ended_on",
        "ended_precision",
        "total_value",
        "co_financing",
        "currency",
        "money_note",
        "status",
        "published_at",
        "source_name",
        "created_at",
        "updated_at",
        "countries",
        "regions",
        "organisation_ids",
        "organisation_kinds",
        "topic_ids",
        "competition_ids",
        "edition_ids",
        "award_levels",
        "lead_organisation_id",
        "practice_type_id",
        "contact_email",
        "contact_name",
        "contact_phone",
        "origin",
        "doc_a",
        "doc_b",
        "doc_c",
        "doc_d",
        "doc_a_en",
        "doc_b_en",
        "doc_c_en",
        "doc_d_en",
    ]

    def rows():
        for pid in range(1, count + 1):
            lead = org_rows[rng.randrange(organisation_count)]
            partners = [
                org_rows[rng.randrange(organisation_count)]
                for _ in range(rng.choice([0, 1, 1, 2, 3]))
            ]
            partners = [p for p in {p[0]: p for p in partners}.values() if p[0] != lead[0]]
            subject, subject_topic = rng.choice(SUBJECTS)
            qualifier = rng.choice(QUALIFIERS)
            title = f"{subject} {qualifier}".strip() + f" – {lead[7]}"
            chosen = rng.sample(range(len(SENTENCE_POOL)), 5)
            summary = " ".join(SENTENCE_POOL[i] for i in chosen[:2])
            description = "\n\n".join(SENTENCE_POOL[i] for i in chosen)
            practice_topics = sorted(
                {topics.get(subject_topic, topic_rows[0]), rng.choice(topic_rows)}
            )
            start_year = rng.randint(1996, 2025)
            started = datetime.date(start_year, rng.randint(1, 12), 1)
            ended = (
                datetime.date(min(start_year + rng.randint(0, 4), 2026), 12, 31)
                if rng.random() < 0.8
                else None
            )
            money = rng.random() < 0.6
            value = Decimal(rng.randint(5_000, 50_000_000)) if money else None
            co_financing = (
                (value * Decimal(rng.randint(10, 90)) / 100).quantize(Decimal("0.01"))
                if money and rng.random() < 0.6
                else None
            )
            practice_status = status()
            practice_type = TYPES[pid % 7]
            practice_entries = []
            if rng.random() < 0.03:
                category_id, edition_id, competition_id, edition_name, category_name = rng.choice(
                    categories
                )
                if (category_id, pid) not in entered:
                    entered.add((category_id, pid))
                    taken = places_taken.get(category_id, 0)
                    laureate = taken < 3 and rng.random() < 0.3
                    place = taken + 1 if laureate else None
                    if laureate:
                        places_taken[category_id] = place
                    winner = laureate and place == 1
                    entry_status = "laureate" if laureate else "finalist"
                    # Entered by the lead, whose award it is (Entry.entrant).
                    entries.append((category_id, pid, lead[0], entry_status, place, winner))
                    practice_entries.append(
                        EntryFacts(
                            competition_id=competition_id,
                            edition_id=edition_id,
                            edition_name=edition_name,
                            category_name=category_name,
                            status=entry_status,
                            is_winner=winner,
                            distinction="",
                            announced=True,  # every synthetic edition is archived
                        )
                    )
            for order, partner in enumerate(partners, start=1):
                partnerships.append((pid, partner[0], "partner", order))
            for topic_id, _name, _name_en in practice_topics:
                topic_links.append((pid, topic_id))
            row = index_row(
                PracticeFacts(
                    id=pid,
                    title=title,
                    summary=summary,
                    description=description,
                    problem="",
                    actions="",
                    results="",
                    place="",
                    author="",
                    type_name=type_names[practice_type][0],
                    type_name_en=type_names[practice_type][1],
                    organisations=[organisation(lead), *(organisation(p) for p in partners)],
                    topics=practice_topics,
                    funding_sources=[],
                    entries=practice_entries,
                )
            )
            yield (
                pid,
                title,
                f"praktyka-{pid}",
                polish_sort_key(title),
                "",
                summary,
                description,
                "",
                "",
                "",
                "",
                started,
                "month",
                ended,
                "year",
                value,
                co_financing,
                currency() if money else "",
                "",
                practice_status,
                now - datetime.timedelta(minutes=pid) if practice_status == "published" else None,
                "Dane syntetyczne do testu wydajności",
                now,
                now,
                _pg_array(row.countries),
                _pg_array(row.regions),
                _pg_array(row.organisation_ids),
                _pg_array(row.organisation_kinds),
                _pg_array(row.topic_ids),
                _pg_array(row.competition_ids),
                _pg_array(row.edition_ids),
                _pg_array(row.award_levels),
                lead[0],
                practice_type,
                "",
                "",
                "",
                "synthetic",
                row.doc_a,
                row.doc_b,
                row.doc_c,
                row.doc_d,
                row.doc_a_en,
                row.doc_b_en,
                row.doc_c_en,
                row.doc_d_en,
            )
            if pid % 100_000 == 0:
                progress(f"{pid} practices generated")

    written = _copy("synthetic_practice_stage", columns, rows())
    progress("building search vectors and moving practices into place")
    plain = [c for c in columns if not c.startswith("doc_")]
    vector = sql.search_vector(
        "doc_a", "doc_b", "doc_c", "doc_d", english=("doc_a_en", "doc_b_en", "doc_c_en", "doc_d_en")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO practices_practice ({', '.join(plain)}, search_vector) "
            f"SELECT {', '.join(plain)}, {vector} FROM synthetic_practice_stage"
        )
        cursor.execute("DROP TABLE synthetic_practice_stage")
    partnership_count = _copy(
        "practices_partnership",
        ["practice_id", "organisation_id", "role", "order", "note"],
        ((*row, "") for row in partnerships),
    )
    topic_count = _copy("practices_practice_topics", ["practice_id", "topic_id"], iter(topic_links))
    entry_count = _copy(
        "competitions_entry",
        [
            "category_id",
            "practice_id",
            "entrant_id",
            "status",
            "laureate_place",
            "is_winner",
            "distinction",
        ],
        ((*row, "") for row in entries),
    )
    return written, partnership_count, topic_count, entry_count
