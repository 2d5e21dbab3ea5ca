"""The parts of an .xlsx package around the sheet's rows: content types, relationships,
workbook, document properties and styles, and the sheet's head and tail.

The cell styles are numbered here, in the order of ``<cellXfs>`` in styles.xml; the writer's
cells point at them by these numbers (``s="2"``). Tier colours come after the fixed styles, one
each. The markup is the one xlsxwriter writes in its constant-memory mode.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence

SHEET_NAME = "leads"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # every part's date in the zip: the same bytes run to run

# cell styles: their positions in <cellXfs> (styles.xml), and the number format of each
HEADER, DATE, SECONDS, TIME, MINUTES, UTC_MINUTES, UTC_SECONDS, INTEGER, PERCENT = range(1, 10)
MAX_DECIMALS = 15  # a text number with more decimals stays text
FIRST_DECIMAL = PERCENT + 1  # 0.0, then 0.00, ...: one style per count of decimals
FIRST_TIER = FIRST_DECIMAL + MAX_DECIMALS
FORMATS = {
    DATE: "yyyy-mm-dd",
    SECONDS: "yyyy-mm-dd hh:mm:ss",
    TIME: "hh:mm:ss",
    MINUTES: "yyyy-mm-dd hh:mm",
    UTC_MINUTES: 'yyyy-mm-dd hh:mm "UTC"',
    UTC_SECONDS: 'yyyy-mm-dd hh:mm:ss "UTC"',
    INTEGER: "0",
    PERCENT: "0.0%",
    **{FIRST_DECIMAL + d - 1: "0." + "0" * d for d in range(1, MAX_DECIMALS + 1)},
}
_FIRST_FORMAT_ID = 164  # ids below are Excel's built-in formats


def column_width(characters: int) -> float:
    """The width Excel stores for ``characters`` digits of Calibri 11 (7 pixels, 5 of padding)."""
    return int((int(characters * 7 + 0.5) + 5) / 7 * 256) / 256


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def sheet_head(widths: Sequence[int], area: str | None) -> str:
    """The sheet part up to its first row: size, frozen header, column widths (in characters)."""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{column_width(w)!r}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{area or "A1"}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
    )


def sheet_tail(area: str | None) -> str:
    filters = f'<autoFilter ref="{area}"/>' if area else ""
    margins = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    return f"</sheetData>{filters}{margins}</worksheet>"


def fixed(tier_colours: Sequence[str], area: str | None) -> dict[str, str]:
    """Every part of the package but the sheet, by name; ``area`` is the filtered range (A1:H3)."""
    content = "application/vnd.openxmlformats-officedocument"
    overrides = {
        "/docProps/app.xml": f"{content}.extended-properties+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/xl/styles.xml": f"{content}.spreadsheetml.styles+xml",
        "/xl/workbook.xml": f"{content}.spreadsheetml.sheet.main+xml",
        "/xl/worksheets/sheet1.xml": f"{content}.spreadsheetml.worksheet+xml",
    }
    types = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
        + "</Types>"
    )
    package_rels = _relationships(
        [
            (f"{_REL}/officeDocument", "xl/workbook.xml"),
            (
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml",
            ),
            (f"{_REL}/extended-properties", "docProps/app.xml"),
        ]
    )
    app = (
        f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
        "</vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>{SHEET_NAME}</vt:lpstr></vt:vector>'
        "</TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>"
    )
    stamp = "2000-01-01T00:00:00Z"  # a fixed creation time keeps the bytes the same run to run
    core = (
        f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )
    filters = (
        f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{SHEET_NAME}!{_absolute(area)}</definedName></definedNames>"
        if area
        else ""
    )
    workbook = (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
        '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
        f'<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets>{filters}'
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )
    workbook_rels = _relationships(
        [(f"{_REL}/worksheet", "worksheets/sheet1.xml"), (f"{_REL}/styles", "styles.xml")]
    )
    return {
        "[Content_Types].xml": types,
        "_rels/.rels": package_rels,
        "docProps/app.xml": app,
        "docProps/core.xml": core,
        "xl/_rels/workbook.xml.rels": workbook_rels,
        "xl/styles.xml": _styles(tier_colours),
        "xl/workbook.xml": workbook,
    }


def _styles(tier_colours: Sequence[str]) -> str:
    """Fonts, fills, borders and the cell styles the sheet's ``s`` attributes point at."""
    font = '<sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/>'
    fills = ['<patternFill patternType="none"/>', '<patternFill patternType="gray125"/>']
    fills += [
        f'<patternFill patternType="solid"><fgColor rgb="{c}"/><bgColor indexed="64"/></patternFill>'
        for c in ("FFF2F2F2", *tier_colours)
    ]
    plain = 'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"'
    assert list(FORMATS) == list(range(DATE, FIRST_TIER))  # the styles between header and tiers
    formats = [
        f'<numFmt numFmtId="{_format_id(style)}" formatCode="{code.replace(chr(34), "&quot;")}"/>'
        for style, code in FORMATS.items()
    ]
    xfs = [
        f"<xf {plain}/>",
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>',
        *(
            f'<xf numFmtId="{_format_id(style)}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for style in FORMATS
        ),
        *(
            f'<xf numFmtId="0" fontId="0" fillId="{3 + i}" borderId="0" xfId="0" applyFill="1"/>'
            for i in range(len(tier_colours))
        ),
    ]
    return (
        f'{_XML}<styleSheet xmlns="{_MAIN}"><numFmts count="{len(formats)}">{"".join(formats)}</numFmts>'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        f'<fills count="{len(fills)}">' + "".join(f"<fill>{f}</fill>" for f in fills) + "</fills>"
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
        f'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">' + "".join(xfs) + "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )


def _format_id(style: int) -> int:
    return _FIRST_FORMAT_ID + style - DATE


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, start=1)
    )
    return f'{_XML}<Relationships xmlns="{_PKG_REL}">{links}</Relationships>'


def _absolute(area: str) -> str:
    """A1:H3 -> $A$1:$H$3."""
    return ":".join(
        "$" + "".join(c for c in ref if c.isalpha()) + "$" + "".join(c for c in ref if c.isdigit())
        for ref in area.split(":")
    )


def entry(name: str) -> zipfile.ZipInfo:
    """A part's zip entry: deflated, with a fixed date so that the bytes are the same run to run."""
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
