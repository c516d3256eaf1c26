"""Measurements from CSV and XLSX files: what is read, and that a file with a bad row imports
nothing while every bad row is named by its line number."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import Workbook

from samspil.pilots import kpi_import
from samspil.pilots import kpi_services as services
from samspil.pilots.models import Measurement

from .test_kpi_services import BASELINE_ON, make_kpi

TODAY = timezone.localdate()
D1, D2, D3 = (BASELINE_ON + timedelta(days=n) for n in (10, 20, 30))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def kpi(alice, pilot):
    return make_kpi(alice, pilot)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(error) -> list[str]:
    return error.value.message_dict["file"]


# Reading ----------------------------------------------------------------------------------------


def test_it_reads_a_comma_csv_with_a_byte_order_mark():
    data = f"\ufeffdate,value,unit,note\n{D1},18.5,minutes per invoice,first month\n{D2},16,,\n"
    parsed = kpi_import.parse("march.csv", data.encode())
    assert parsed.errors == []
    assert [(r.line, r.measured_on, r.value, r.unit, r.note) for r in parsed.rows] == [
        (2, D1, Decimal("18.5"), "minutes per invoice", "first month"),
        (3, D2, Decimal("16"), "", ""),
    ]


def test_it_reads_semicolons_with_a_decimal_comma_and_danish_headers():
    day = D1.strftime("%d.%m.%Y")
    data = f"Dato;Værdi;Enhed;Note\n{day};1.234,5;minutter;\n{D2};17,25;;ok\n"
    parsed = kpi_import.parse("maalinger.csv", data.encode())
    assert parsed.errors == []
    assert [(r.measured_on, r.value) for r in parsed.rows] == [
        (D1, Decimal("1234.5")),
        (D2, Decimal("17.25")),
    ]


@pytest.mark.parametrize(
    "header", ["datum;värde;enhet;anteckning", "dato;verdi;enhet;merknad", "date;value;unit;note"]
)
def test_it_accepts_swedish_norwegian_and_english_headers(header):
    parsed = kpi_import.parse("x.csv", f"{header}\n{D1};3;;\n".encode())
    assert parsed.rows[0].value == Decimal("3") and not parsed.errors


def test_it_reads_the_first_sheet_of_a_workbook():
    data = xlsx(
        [
            ["Date", "Value", "Note"],
            [datetime.combine(D1, datetime.min.time()), 18.25, "cells"],
            [D2.isoformat(), "16,5", None],
            [None, None, None],
            [D3, 15, ""],
        ]
    )
    parsed = kpi_import.parse("measurements.xlsx", data)
    assert parsed.errors == []
    assert [(r.line, r.measured_on, r.value, r.note) for r in parsed.rows] == [
        (2, D1, Decimal("18.25"), "cells"),
        (3, D2, Decimal("16.5"), ""),
        (5, D3, Decimal("15"), ""),
    ]


def test_it_names_every_bad_line():
    data = f'date,value\n{D1},18\n2019-13-01,17\n{D2},\n{D3},twelve\n,5\n2024-02-30,"1,5"\n'
    parsed = kpi_import.parse("bad.csv", data.encode())
    assert parsed.errors == [
        "Line 3: The date 2019-13-01 is not a date",
        "Line 4: The value is missing",
        "Line 5: The value twelve is not a number",
        "Line 6: The date is missing",
        "Line 7: The date 2024-02-30 is not a date",
        "Line 7: The value 1,5 is not a number",
    ]
    assert [r.line for r in parsed.rows] == [2]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("x.csv", b""),
        ("x.csv", b"when,how much\n2024-01-01,3\n"),
        ("x.csv", b"date,value\n"),
        ("x.csv", "date,value\n2024-01-01,3,æ\n".encode("utf-16")),
        ("x.xlsx", b"PK\x03\x04 not really a workbook"),
        ("x.pdf", b"%PDF-1.7"),
        ("x.csv", b"date,value\n" + b"2024-01-01,1\n" * (kpi_import.MAX_ROWS + 1)),
        ("x.csv", b"date,value\n" + b" " * kpi_import.MAX_BYTES),
    ],
)
def test_it_refuses_files_it_cannot_read(name, data):
    with pytest.raises(kpi_import.FileRefused):
        kpi_import.parse(name, data)


def test_it_writes_a_template_in_the_pages_language():
    assert kpi_import.template_csv("da") == "\ufeffdato;værdi;enhed;note\r\n"
    assert kpi_import.template_csv("en") == "\ufeffdate,value,unit,note\r\n"
    parsed = kpi_import.parse("t.csv", (kpi_import.template_csv("sv") + f"{D1};2,5;;\n").encode())
    assert parsed.rows[0].value == Decimal("2.5")


# Importing --------------------------------------------------------------------------------------


def test_it_imports_a_clean_file(alice, kpi):
    data = f"date;value;unit\n{D1};18,5;Minutes per invoice\n{D2};16;\n".encode()
    result = services.import_measurements(alice, kpi, "m.csv", data)
    assert (result.added, result.replaced) == (2, 0)
    assert list(kpi.measurements.values_list("measured_on", "value")) == [
        (D1, Decimal("18.5")),
        (D2, Decimal("16")),
    ]
    assert set(kpi.measurements.values_list("recorded_by", flat=True)) == {alice.pk}


def test_it_imports_an_xlsx_file(alice, kpi):
    data = xlsx([["dato", "værdi"], [D1, 18], [D2, 17.5]])
    assert services.import_measurements(alice, kpi, "m.xlsx", data).added == 2


def test_it_imports_nothing_while_any_row_is_bad(alice, kpi):
    services.add_measurement(alice, kpi, D3, Decimal("15"))
    future = TODAY + timedelta(days=2)
    data = (
        "date,value,unit\n"
        f"{D1},18,minutes per invoice\n"
        f"{BASELINE_ON - timedelta(days=1)},19,\n"
        f"{D2},0.25,hours\n"
        f"{future},14,\n"
        f"{D1},17,\n"
        f"{D3},16,\n"
        "2019-13-01,17,\n"
    ).encode()
    with pytest.raises(ValidationError) as error:
        services.import_measurements(alice, kpi, "m.csv", data)
    messages = errors_of(error)
    assert [m.split(":")[0] for m in messages] == [f"Line {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "before the baseline date" in messages[0]
    assert "hours" in messages[1] and "minutes per invoice" in messages[1]
    assert "in the future" in messages[2]
    assert "line 2" in messages[3]
    assert "15" in messages[4]
    assert messages[5] == "Line 8: The date 2019-13-01 is not a date"
    assert list(kpi.measurements.values_list("value", flat=True)) == [Decimal("15")]


def test_it_replaces_values_of_the_same_day_when_asked(alice, kpi):
    services.add_measurement(alice, kpi, D1, Decimal("19"))
    data = f"date,value,note\n{D1},18,corrected\n{D2},17,\n".encode()
    result = services.import_measurements(alice, kpi, "m.csv", data, replace=True)
    assert (result.added, result.replaced) == (1, 1)
    assert Measurement.objects.get(measured_on=D1).note == "corrected"


def test_it_reports_a_file_it_cannot_read_on_the_file(alice, kpi):
    with pytest.raises(ValidationError) as error:
        services.import_measurements(alice, kpi, "m.csv", b"when,how much\n")
    assert len(errors_of(error)) == 1
    assert not Measurement.objects.exists()


def test_it_lets_only_those_who_may_edit_the_pilot_import(bob, charlie, kpi):
    for user in (bob, charlie):
        with pytest.raises(PermissionDenied):
            services.import_measurements(user, kpi, "m.csv", f"date,value\n{D1},3\n".encode())
    assert not Measurement.objects.exists()
