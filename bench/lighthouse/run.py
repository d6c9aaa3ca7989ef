#!/usr/bin/env python3
"""Lighthouse's accessibility, best-practices and SEO scores for every kind of page,
in Polish and English, as a phone and as a desktop; writes bench/LIGHTHOUSE.md.

    python3 bench/lighthouse/run.py --base http://127.0.0.1:8000

On demand, never part of the tests. Needs a running site with the catalogue loaded
(`python3 dev.py demo`; for the vote page also `manage.py create_training_edition
--phase public_vote`), Node.js with npm, and Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium). Lighthouse is installed with `npm ci` from this folder's
package-lock.json into bench/out/lighthouse/ (ignored by git) the first time.
Lighthouse 12.8 is pinned: 13 needs Node 22.19, Debian 12 has Node 18/20. package.json's
`overrides` pin the two packages Lighthouse's trace engine asks for as `latest`, so that
`npm ci` installs exactly what the lock file says.

Performance is left out: it measures the machine as much as the page (bench/run.py
measures the server).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
INSTALL = ROOT / "bench" / "out" / "lighthouse"
REPORTS = INSTALL / "reports"
RESULTS = ROOT / "bench" / "LIGHTHOUSE.md"
CATEGORIES = ["accessibility", "best-practices", "seo"]

# (kind, Polish path, English path)
PAGES = [
    ("home", "/", "/en/"),
    ("practice list", "/praktyki/", "/en/practices/"),
    (
        "practice list, filtered",
        "/praktyki/?type=social&country=PL&award=distinction",
        "/en/practices/?type=social&country=PL&award=distinction",
    ),
    ("practice list, search", "/praktyki/?q=szkoły", "/en/practices/?q=szkoły"),
    (
        "practice",
        "/praktyki/kijow-symulator-dom-dobrodzieja/",
        "/en/practices/kijow-symulator-dom-dobrodzieja/",
    ),
    ("organisation list", "/organizacje/", "/en/organisations/"),
    (
        "organisation",
        "/organizacje/zwiazek-miast-polskich/",
        "/en/organisations/zwiazek-miast-polskich/",
    ),
    ("competition list", "/konkursy/", "/en/competitions/"),
    (
        "competition",
        "/konkursy/konkurs-dobrych-praktyk-kongresu/",
        "/en/competitions/konkurs-dobrych-praktyk-kongresu/",
    ),
    (
        "edition",
        "/konkursy/konkurs-dobrych-praktyk-kongresu/2020/",
        "/en/competitions/konkurs-dobrych-praktyk-kongresu/2020/",
    ),
    ("overview", "/przeglad/", "/en/overview/"),
    ("open data", "/otwarte-dane/", "/en/open-data/"),
    ("accessibility statement", "/deklaracja-dostepnosci/", "/en/accessibility/"),
    ("about", "/o-katalogu/", "/en/about/"),
    ("submission form", "/praktyki/zglos/", "/en/practices/submit/"),
    ("sign-in", "/konto/logowanie/", "/en/account/sign-in/"),
    ("password reset", "/konto/haslo/reset/", "/en/account/password/reset/"),
]
VOTE = (
    "vote (training edition)",
    "/konkursy/szkolenie/{year}/glosowanie/",
    "/en/competitions/szkolenie/{year}/vote/",
)


NOINDEX_NOTE = (
    "SEO below 100 comes from `is-crawlable` alone: those pages ask not to be indexed "
    '(`<meta name="robots" content="noindex…">`: filtered and searched lists, list pages '
    "past the first, the password reset, the vote pages, the training edition), on purpose: "
    "search engines index each practice and the list once rather than every combination "
    "of filters, and never a form or an exercise."
)


def install() -> Path:
    binary = INSTALL / "node_modules" / ".bin" / "lighthouse"
    lock = HERE / "package-lock.json"
    stamp = INSTALL / "package-lock.json"
    if binary.exists() and stamp.exists() and stamp.read_bytes() == lock.read_bytes():
        return binary
    INSTALL.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "package.json", INSTALL / "package.json")
    shutil.copy(lock, stamp)
    print("[lighthouse] npm ci into bench/out/lighthouse/", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=INSTALL, check=True)
    return binary


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def audit(binary: Path, url: str, form_factor: str, name: str) -> dict:
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    args = [
        str(binary),
        url,
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless --no-sandbox",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if form_factor == "desktop":
        args.append("--preset=desktop")
    env = dict(os.environ)
    env.setdefault("CHROME_PATH", "/usr/bin/chromium")
    finished = subprocess.run(args, env=env, timeout=300)
    if finished.returncode:
        # One page that fails to load (a 500) is reported; the others are still measured.
        return {"scores": dict.fromkeys(CATEGORIES, 0), "failing": ["(page did not load)"]}
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {key: round(data["categories"][key]["score"] * 100) for key in CATEGORIES}
    failing = sorted(
        audit_id
        for audit_id, result in data["audits"].items()
        if result.get("score") is not None
        and result["score"] < 1
        and result.get("scoreDisplayMode") in ("binary", "numeric")
    )
    return {"scores": scores, "failing": failing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument(
        "--year",
        type=int,
        default=datetime.date.today().year,
        help="the training edition's year (its vote page is measured if it answers)",
    )
    options = parser.parse_args()
    base = options.base.rstrip("/")
    if not answers(base + "/"):
        sys.exit(f"{base}/ does not answer: start the site first (python3 dev.py demo)")
    binary = install()
    pages = list(PAGES)
    vote = (VOTE[0], VOTE[1].format(year=options.year), VOTE[2].format(year=options.year))
    if answers(base + vote[1]):
        pages.append(vote)
    else:
        print(f"[lighthouse] no training vote page at {vote[1]}; left out", flush=True)

    rows = []
    for kind, polish, english in pages:
        for language, path in (("pl", polish), ("en", english)):
            for form_factor in ("mobile", "desktop"):
                name = f"{kind}-{language}-{form_factor}".replace(" ", "_").replace(",", "")
                result = audit(binary, base + path, form_factor, name)
                print(
                    f"[lighthouse] {kind} {language} {form_factor}: {result['scores']}"
                    + (f" failing: {', '.join(result['failing'])}" if result["failing"] else ""),
                    flush=True,
                )
                rows.append((kind, language, form_factor, path, result))

    version = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True
    ).stdout.strip()
    chromium = subprocess.run(
        [os.environ.get("CHROME_PATH", "/usr/bin/chromium"), "--version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    lowest = {key: min(r[4]["scores"][key] for r in rows) for key in CATEGORIES}
    lines = [
        "# Lighthouse: accessibility, best practices, SEO",
        "",
        f"Measured {datetime.date.today().isoformat()} with `python3 bench/lighthouse/run.py` "
        f"(Lighthouse {version}, {chromium}, headless), against `{base}` with the catalogue "
        "fixtures; every page in Polish and English, as a phone (Lighthouse's mobile "
        "emulation) and as a desktop (`--preset=desktop`). Performance is not measured here.",
        "",
        f"Lowest score over {len(rows)} runs: accessibility {lowest['accessibility']}, "
        f"best practices {lowest['best-practices']}, SEO {lowest['seo']}.",
        "",
        "| page | language | device | accessibility | best practices | SEO | audits below 1 |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for kind, language, form_factor, path, result in rows:
        s = result["scores"]
        lines.append(
            f"| {kind} (`{path}`) | {language} | {form_factor} | {s['accessibility']} "
            f"| {s['best-practices']} | {s['seo']} | {', '.join(result['failing']) or '–'} |"
        )
    if any("is-crawlable" in r[4]["failing"] for r in rows):
        lines += ["", NOINDEX_NOTE]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"[lighthouse] wrote {RESULTS.relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main()
