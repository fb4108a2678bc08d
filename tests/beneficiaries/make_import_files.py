"""Writes the malformed files of ``import_files/`` (run once; the files are committed).

python tests/beneficiaries/make_import_files.py
"""

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

FOLDER = Path(__file__).parent / "import_files"
HEADER_FR = "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Téléphone;Carte de séjour;Consentement au traitement"
GOOD_ROW = "Diop;Aminata;F;14/03/1992;SN;Rabat;0612345678;;oui"


def text(name: str, body: str, encoding: str = "utf-8") -> None:
    (FOLDER / name).write_bytes(body.encode(encoding))


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    (FOLDER / "empty.csv").write_bytes(b"")
    text("header_only.csv", HEADER_FR + "\n")
    text("utf16.csv", HEADER_FR + "\n" + GOOD_ROW + "\n", "utf-16")
    (FOLDER / "undecodable.csv").write_bytes(
        HEADER_FR.encode() + b"\nDiop;Am\x81\x8d\x90ta;F;14/03/1992;SN;Rabat;;;oui\n"
    )
    text("pipe_delimiter.csv", HEADER_FR.replace(";", "|") + "\n" + GOOD_ROW.replace(";", "|") + "\n")
    text("missing_columns.csv", "Nom;Prénom;Sexe\nDiop;Aminata;F\n")
    text(
        "bad_dates.csv",
        HEADER_FR
        + "\n"
        + "\n".join(
            GOOD_ROW.replace("14/03/1992", day).replace("Aminata", name)
            for day, name in (("31/02/1990", "Awa"), ("1990-13-01", "Binta"), ("demain", "Coumba"), ("", "Fatou"))
        )
        + "\n",
    )
    text("duplicate_rows.csv", HEADER_FR + "\n" + GOOD_ROW + "\n" + GOOD_ROW.replace("Diop", "DIOP") + "\n")
    text(
        "formula_payloads.csv",
        HEADER_FR
        + "\n"
        + GOOD_ROW.replace("Aminata", '=HYPERLINK("http://evil.example","clic")')
        + "\n"
        + GOOD_ROW.replace("Diop", "+cmd|' /C calc'!A0")
        + "\n"
        + GOOD_ROW.replace("Aminata", "@SUM(1+1)")
        + "\n",
    )
    text("html_renamed.csv", "<!DOCTYPE html><html><body><table><tr><td>Nom</td></tr></table></body></html>")
    text("xml_renamed.csv", '<?xml version="1.0"?><rows><row>Diop</row></rows>')
    (FOLDER / "xlsx_renamed.csv").write_bytes(xlsx_bytes([["Nom", "Prénom"], ["Diop", "Aminata"]]))
    text("csv_renamed.xlsx", HEADER_FR + "\n" + GOOD_ROW + "\n")
    (FOLDER / "pdf_renamed.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    text("notes.txt", HEADER_FR + "\n" + GOOD_ROW + "\n")
    text("bad_sex.csv", HEADER_FR + "\n" + GOOD_ROW.replace(";F;", ";X;") + "\n")
    text("unknown_city.csv", HEADER_FR + "\n" + GOOD_ROW.replace("Rabat", "Atlantide") + "\n")
    text("unknown_country.csv", HEADER_FR + "\n" + GOOD_ROW.replace(";SN;", ";Wakanda;") + "\n")
    text("no_consent.csv", HEADER_FR + "\n" + GOOD_ROW.replace(";oui", ";non") + "\n")
    text("too_young.csv", HEADER_FR + "\n" + GOOD_ROW.replace("14/03/1992", "01/01/2020") + "\n")
    text("bad_phone.csv", HEADER_FR + "\n" + GOOD_ROW.replace("0612345678", "12") + "\n")
    text(
        "one_bad_row_among_good.csv",
        HEADER_FR + "\n" + GOOD_ROW + "\n" + GOOD_ROW.replace("Aminata", "Awa").replace(";F;", ";?;") + "\n",
    )
    with zipfile.ZipFile(FOLDER / "not_a_workbook.xlsx", "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    # A decompression bomb: 100 MB of zeros in a few hundred kilobytes.
    with zipfile.ZipFile(FOLDER / "zip_bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 100_000_000)
    # Entities that expand exponentially ("billion laughs") inside a real workbook's sheet.
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Nom"], ["Diop"]])))
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(FOLDER / "xml_bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in good.infolist():
            data = laughs.encode() if item.filename == "xl/worksheets/sheet1.xml" else good.read(item.filename)
            archive.writestr(item.filename, data)


if __name__ == "__main__":
    main()
