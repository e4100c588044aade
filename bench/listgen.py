"""Generated old mailing lists for the import benchmark: the shape of the real samples, any size.

Kazakh and Russian names in one "Аты-жөні" column, phones written five ways, dates DD.MM.YYYY,
a consent column, semicolons, UTF-8 with BOM (Excel's "CSV UTF-8"). About 1 row in 200 repeats
an earlier address in other case, and 1 in 100 is broken (bad address or Excel-mangled phone),
as in lists people actually bring.
"""

import random
from collections.abc import Iterator
from pathlib import Path

HEADER = ["Аты-жөні", "Электрондық пошта", "Телефон", "Тіркелген күні", "Келісім (иә/жоқ)", "Қала"]
FIRST = ["Әлия", "Ғалым", "Айгүл", "Іңкәр", "Күнсұлу", "Қайрат", "Иван", "Анна", "Елена", "Данияр"]
LAST = ["Қасымова", "Нұрланұлы", "Өтегенова", "Шаһмарданова", "Серікқызы", "Әбенов", "Петров"]
CITIES = ["Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Oral", ""]
PHONES = [
    "+7 (70{a}) {b}-{c}-{d}",
    "8 70{a} {b} {c} {d}",
    "870{a}{b}{c}{d}",
    "+770{a}{b}{c}{d}",
    "",
]


def rows(count: int, *, seed: int = 4) -> Iterator[list[str]]:
    rng = random.Random(seed)
    for n in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"person{n}@example{n % 97}.kz"
        if n % 200 == 199:
            email = f"PERSON{n - 150}@EXAMPLE{(n - 150) % 97}.KZ"  # a duplicate, other case
        phone = rng.choice(PHONES).format(
            a=rng.choice("01257"),
            b=f"{rng.randrange(1000):03d}",
            c=f"{rng.randrange(100):02d}",
            d=f"{rng.randrange(100):02d}",
        )
        if n % 100 == 37:
            phone = "7,70E+10"
        if n % 100 == 73:
            email = f"broken{n}@"
        day = f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.{rng.randrange(2018, 2025)}"
        yield [name, email, phone, day, "иә", rng.choice(CITIES)]


def write_list(path: Path, count: int, *, seed: int = 4) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        stream.write(";".join(HEADER) + "\r\n")
        for row in rows(count, seed=seed):
            stream.write(";".join(row) + "\r\n")
    return path
