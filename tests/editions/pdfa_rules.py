"""PDF/A-3b rules beyond file structure and fonts (ISO 19005-3, 6.2.3-6.2.10, 6.3-6.11):
colour, graphics states, images, annotations, actions, metadata, embedded files. `check`
runs all three parts. See tests/pdfa_syntax.py for the rule ids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pikepdf

from tests.editions import pdfa_fonts, pdfa_syntax

RULES = {
    "6.2.3-1": "output intent profile: prtr or mntr, GRAY/RGB/CMYK, ICC version below 5",
    "6.2.3-2": "several output intents share one profile",
    "6.2.3-3": "no DestOutputProfileRef",
    "6.2.4.2-1": "ICCBased profiles are valid ICC profiles (version below 5)",
    "6.2.4.3-2": "DeviceRGB only with an RGB output intent",
    "6.2.4.3-4": "DeviceGray only with an output intent",
    "6.2.4.4-1": "DeviceN / NChannel: colorants listed (none used)",
    "6.2.5-1": "no TR in ExtGState", "6.2.5-2": "TR2 only Default",
    "6.2.5-3": "no HTP in ExtGState", "6.2.5-4": "halftone types 1 or 5",
    "6.2.5-5": "no HalftoneName",
    "6.2.8-1": "images: no Alternates", "6.2.8-2": "images: no OPI",
    "6.2.8-3": "images: Interpolate false", "6.2.8.3-1": "no JPEG2000 (JPXDecode)",
    "6.2.9-1": "form XObjects: no OPI, PS or Subtype2 PS", "6.2.9-2": "no reference XObjects",
    "6.2.9-3": "no PostScript XObjects",
    "6.2.10-1": "blend modes of ISO 32000-1 only",
    "6.2.10-2": "transparency with an output intent or a group colour space",
    "6.3.1-1": "annotation types of ISO 32000-1 only; no 3D, Sound, Screen, Movie",
    "6.3.2-1": "annotations have F", "6.3.2-2": "F: Print set; Hidden, Invisible, NoView, "
                                                   "ToggleNoView clear",
    "6.3.2-3": "Text annotations: NoZoom and NoRotate",
    "6.3.3-1": "annotations have an appearance (Link and Popup excepted)",
    "6.3.3-2": "appearance dictionaries hold N only",
    "6.4.1-1": "widgets: no A or AA", "6.4.1-3": "no NeedAppearances",
    "6.4.2-1": "no XFA", "6.4.2-2": "no NeedsRendering",
    "6.4.3-1": "signatures cover the whole file (none written: no signature dictionary)",
    "6.5.1-1": "actions: GoTo, GoToR, GoToE, Thread, URI, Named, SubmitForm only",
    "6.5.1-2": "named actions: NextPage, PrevPage, FirstPage, LastPage only",
    "6.5.2-1": "no AA in the catalog", "6.5.2-2": "no AA in pages",
    "6.6.2.1-1": "the catalog has Metadata",
    "6.6.2.1-2": "no bytes attribute in the XMP packet header",
    "6.6.2.1-3": "no encoding attribute in the XMP packet header",
    "6.6.2.1-4": "the XMP is well-formed XML and RDF",
    "6.6.2.3-1": "extension schemas: only the fields of 6.6.2.3.3",
    "6.6.2.3-2": "extension schema container: pdfaExtension:schemas, a Bag",
    "6.6.2.3-7": "every XMP property predefined (XMP 2005, ISO 19005) or in an extension "
                 "schema, with the right value type",
    "6.6.4-1": "a PDF/A identification", "6.6.4-2": "pdfaid:part is 3",
    "6.6.4-3": "pdfaid:conformance is A, B or U", "6.6.4-4": "the pdfaid prefix",
    "6.8-1": "embedded files: a MIME type (Subtype), type/subtype",
    "6.8-2": "file specifications: F and UF",
    "6.8-3": "file specifications: AFRelationship",
    "6.8-4": "embedded files associated with the document (AF)",
    "6.9-1": "optional content (none used)", "6.10-1": "no AlternatePresentations",
    "6.10-2": "no PresSteps", "6.11-1": "no Requirements",
}
ANNOTATIONS = {"/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon",
               "/PolyLine", "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp",
               "/Caret", "/Ink", "/Popup", "/FileAttachment", "/Widget", "/PrinterMark",
               "/TrapNet", "/Watermark", "/Redact"}
ACTIONS = {"/GoTo", "/GoToR", "/GoToE", "/Thread", "/URI", "/Named", "/SubmitForm"}
BLENDS = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
          "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
          "/Hue", "/Saturation", "/Color", "/Luminosity"}
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
# XMP Specification (2005) and ISO 19005: the properties this pipeline may write, and types.
XMP = {
    "http://purl.org/dc/elements/1.1/": {
        "contributor": "Bag", "coverage": "Text", "creator": "Seq", "date": "Seq",
        "description": "Alt", "format": "Text", "identifier": "Text", "language": "Bag",
        "publisher": "Bag", "relation": "Bag", "rights": "Alt", "source": "Text",
        "subject": "Bag", "title": "Alt", "type": "Bag"},
    "http://ns.adobe.com/xap/1.0/": {
        "CreateDate": "Date", "CreatorTool": "Text", "MetadataDate": "Date",
        "ModifyDate": "Date", "Label": "Text", "Nickname": "Text", "BaseURL": "Text"},
    "http://ns.adobe.com/xap/1.0/mm/": {
        "DocumentID": "Text", "InstanceID": "Text", "VersionID": "Text",
        "RenditionClass": "Text"},
    "http://ns.adobe.com/xap/1.0/rights/": {
        "Certificate": "Text", "Marked": "Boolean", "Owner": "Bag", "UsageTerms": "Alt",
        "WebStatement": "Text"},
    "http://ns.adobe.com/pdf/1.3/": {"Keywords": "Text", "PDFVersion": "Text",
                                     "Producer": "Text", "Trapped": "Text"},
    "http://www.aiim.org/pdfa/ns/id/": {"part": "Integer", "conformance": "Text",
                                        "amd": "Text", "corr": "Text"},
}
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
DATE = re.compile(r"^\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?)?)?$")


# The rules of veraPDF's PDF/A-3B profile (PDF_A/PDFA-3B.xml and PDF_A/3b/, veraPDF-validation-
# profiles): every one is checked above, or is about something this pipeline never writes,
# whose absence the named check verifies.
PROFILE = """6.1.2-1 6.1.2-2 6.1.3-1 6.1.3-2 6.1.3-3 6.1.4-2 6.1.6-1 6.1.6-2 6.1.7-1 6.1.7-2 6.1.7-3
6.1.7-4 6.1.8-1 6.1.9-1 6.1.10-1 6.1.13-1 6.1.13-2 6.1.13-3 6.1.13-4 6.1.13-5 6.1.13-7 6.1.13-8
6.1.13-9 6.1.13-10 6.1.13-11 6.2.2-1 6.2.2-2 6.2.3-1 6.2.3-2 6.2.3-3 6.2.4.2-1 6.2.4.2-2
6.2.4.3-2 6.2.4.3-3 6.2.4.3-4 6.2.4.4-1 6.2.4.4-2 6.2.5-1 6.2.5-2 6.2.5-3 6.2.5-4 6.2.5-5 6.2.6-1
6.2.8-1 6.2.8-2 6.2.8-3 6.2.8.3-1 6.2.8.3-2 6.2.8.3-3 6.2.8.3-4 6.2.8.3-5 6.2.9-1 6.2.9-2 6.2.9-3
6.2.10-1 6.2.10-2 6.2.11.2-1 6.2.11.2-2 6.2.11.2-3 6.2.11.2-4 6.2.11.2-5 6.2.11.2-6 6.2.11.3-1
6.2.11.3-2 6.2.11.3-3 6.2.11.3-4 6.2.11.4-1 6.2.11.4-2 6.2.11.4-3 6.2.11.4-4 6.2.11.5-1
6.2.11.6-1 6.2.11.6-2 6.2.11.6-3 6.2.11.6-4 6.2.11.8-1 6.3.1-1 6.3.2-1 6.3.2-2 6.3.2-3 6.3.3-1
6.3.3-2 6.4.1-1 6.4.1-2 6.4.1-3 6.4.2-1 6.4.2-2 6.4.3-1 6.4.3-2 6.5.1-1 6.5.1-2 6.5.2-1 6.5.2-2
6.6.2.1-1 6.6.2.1-2 6.6.2.1-3 6.6.2.1-4 6.6.2.3-1 6.6.2.3-2 6.6.2.3-3 6.6.2.3-4 6.6.2.3-5 6.6.2.3-6
6.6.2.3-7 6.6.4-1 6.6.4-2 6.6.4-3 6.6.4-4 6.8-1 6.8-2 6.8-3 6.8-4 6.9-1 6.9-2 6.9-3 6.9-4 6.10-1
6.10-2 6.11-1""".split()  # noqa: SIM905
NOT_WRITTEN = {  # rule: (the check that finds the thing absent, what it is)
    "6.1.13-9": ("6.2.4.4-1", "DeviceN colour spaces"),
    "6.2.4.4-2": ("6.2.4.4-1", "Separation colour spaces"),
    "6.2.4.2-2": ("6.2.5-1", "overprint mode 1 (ExtGState OPM)"),
    "6.2.8.3-2": ("6.2.8.3-1", "JPEG2000 images"), "6.2.8.3-3": ("6.2.8.3-1", "JPEG2000 images"),
    "6.2.8.3-4": ("6.2.8.3-1", "JPEG2000 images"), "6.2.8.3-5": ("6.2.8.3-1", "JPEG2000 images"),
    "6.2.11.3-4": ("6.2.11.3-3", "embedded CMaps (Identity-H only)"),
    "6.2.11.4-3": ("6.2.11.6-1", "Type 1 fonts (Type 0 / CIDFontType2 only)"),
    "6.2.11.6-2": ("6.2.11.6-1", "simple TrueType fonts"),
    "6.2.11.6-3": ("6.2.11.6-1", "simple TrueType fonts"),
    "6.2.11.6-4": ("6.2.11.6-1", "simple TrueType fonts"),
    "6.4.1-2": ("6.4.1-1", "form fields"),
    "6.4.3-2": ("6.4.3-1", "digital signatures"),
    "6.6.2.3-3": ("6.6.2.3-1", "extension schemas (none in PDF/A-3b output)"),
    "6.6.2.3-4": ("6.6.2.3-1", "extension schemas"), "6.6.2.3-5": ("6.6.2.3-1", "value types"),
    "6.6.2.3-6": ("6.6.2.3-1", "value type fields"),
    "6.9-2": ("6.9-1", "optional content"), "6.9-3": ("6.9-1", "optional content"),
    "6.9-4": ("6.9-1", "optional content"),
}


def check(path: Path) -> dict[str, list[str]]:
    """Every rule; the failures by rule id (none: the file passes all of them)."""
    data = path.read_bytes()
    with pikepdf.open(path) as pdf:
        failures = pdfa_syntax.check(data, pdf)
        for rule, found in pdfa_fonts.check(pdf).items():
            failures.setdefault(rule, []).extend(found)
        for rule, found in _document(pdf).items():
            failures.setdefault(rule, []).extend(found)
    return failures


def all_rules() -> dict[str, str]:
    return {**pdfa_syntax.RULES, **pdfa_fonts.RULES, **RULES}


def _icc(profile: bytes, classes: tuple[bytes, ...]) -> bool:
    return (len(profile) > 20 and profile[12:16] in classes and profile[8] < 5
            and profile[16:20] in (b"GRAY", b"RGB ", b"CMYK", b"Lab ", b"LAB "))


def _document(pdf: pikepdf.Pdf) -> dict[str, list[str]]:
    failures: dict[str, list[str]] = {}

    def fail(rule: str, what: str) -> None:
        failures.setdefault(rule, []).append(what)

    root = pdf.Root
    intents = list(root.get("/OutputIntents") or [])
    profiles = {i.DestOutputProfile.objgen for i in intents if "/DestOutputProfile" in i}
    rgb = False
    for intent in intents:
        if "/DestOutputProfileRef" in intent:
            fail("6.2.3-3", "DestOutputProfileRef")
        if intent.get("/S") == "/GTS_PDFA1":
            icc = intent.DestOutputProfile.read_bytes()
            rgb = icc[16:20] == b"RGB "
            if not _icc(icc, (b"prtr", b"mntr")) or icc[16:20] == b"Lab ":
                fail("6.2.3-1", repr(icc[12:20]))
    if len(profiles) > 1:
        fail("6.2.3-2", f"{len(profiles)} profiles")
    if not rgb:  # WeasyPrint paints in DeviceRGB (rg, RG) and DeviceGray images' masks
        fail("6.2.4.3-2", "no RGB PDF/A output intent")
    for key in ("/AA", "/NeedsRendering", "/Requirements", "/OCProperties"):
        if key in root:
            fail({"/AA": "6.5.2-1", "/NeedsRendering": "6.4.2-2", "/Requirements": "6.11-1",
                  "/OCProperties": "6.9-1"}[key], key)
    form = root.get("/AcroForm")
    if form is not None and (form.get("/NeedAppearances") or "/XFA" in form):
        fail("6.4.1-3" if form.get("/NeedAppearances") else "6.4.2-1", "AcroForm")
    if "/AlternatePresentations" in (root.get("/Names") or {}):
        fail("6.10-1", "AlternatePresentations")
    associated = {spec.objgen for spec in root.get("/AF") or []}
    seen: set[tuple[int, int]] = set()
    for obj in pdf.objects:  # and the direct dictionaries inside them (a link's action)
        for value in pdfa_syntax.values(obj, seen):
            if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
                _object(value, rgb, bool(intents), associated, fail)
            elif isinstance(value, pikepdf.Array) and len(value) and str(value[0]) in (
                    "/DeviceN", "/NChannel", "/Separation"):  # none written: not checked further
                fail("6.2.4.4-1", f"a {value[0]} colour space")
    for number, page in enumerate(pdf.pages, start=1):
        for key, rule in (("/AA", "6.5.2-2"), ("/PresSteps", "6.10-2")):
            if key in page.obj:
                fail(rule, f"page {number}")
    _metadata(root, fail)
    return failures


def _object(obj: Any, rgb: bool, intent: bool, associated: set[Any], fail: Any) -> None:
    kind = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
    typ, subtype = str(kind.get("/Type", "")), str(kind.get("/Subtype", ""))
    for colour in ("/DeviceRGB", "/DeviceGray"):
        if colour in (str(kind.get("/ColorSpace", "")), str(kind.get("/CS", ""))):
            if colour == "/DeviceRGB" and not rgb:
                fail("6.2.4.3-2", "DeviceRGB")
            if not intent:
                fail("6.2.4.3-4", "DeviceGray")
    if isinstance(obj, pikepdf.Stream) and "/N" in kind and "/Alternate" not in kind and (
            typ == "" and subtype == ""):
        icc = obj.read_bytes()
        if icc[36:40] == b"acsp" and not _icc(icc, (b"prtr", b"mntr", b"scnr", b"spac")):
            fail("6.2.4.2-1", repr(icc[12:20]))
    if typ == "/ExtGState" or {"/TR", "/HTP", "/BM", "/SMask", "/CA", "/ca"} & set(kind.keys()):
        for key, rule in (("/TR", "6.2.5-1"), ("/HTP", "6.2.5-3")):
            if key in kind:
                fail(rule, key)
        if "/TR2" in kind and kind.TR2 != "/Default":
            fail("6.2.5-2", "TR2")
        if "/RI" in kind and str(kind.RI) not in pdfa_fonts.INTENTS:
            fail("6.2.6-1", str(kind.RI))
        blend = kind.get("/BM")
        for mode in (list(blend) if isinstance(blend, pikepdf.Array) else [blend] if blend
                     else []):
            if str(mode) not in BLENDS:
                fail("6.2.10-1", str(mode))
        if ("/SMask" in kind or kind.get("/CA", 1) != 1 or kind.get("/ca", 1) != 1) \
                and not intent:
            fail("6.2.10-2", "transparency without an output intent")
    if typ == "/Halftone" or "/HalftoneType" in kind:
        if kind.get("/HalftoneType") not in (1, 5):
            fail("6.2.5-4", str(kind.get("/HalftoneType")))
        if "/HalftoneName" in kind:
            fail("6.2.5-5", "HalftoneName")
    if subtype == "/Image":
        for key, rule in (("/Alternates", "6.2.8-1"), ("/OPI", "6.2.8-2")):
            if key in kind:
                fail(rule, key)
        if kind.get("/Interpolate", False) is not False:
            fail("6.2.8-3", "Interpolate true")
        if "/JPXDecode" in str(kind.get("/Filter", "")):
            fail("6.2.8.3-1", "JPEG2000 image (not checked further)")
        if "/Intent" in kind and str(kind.Intent) not in pdfa_fonts.INTENTS:
            fail("6.2.6-1", str(kind.Intent))
    if subtype == "/Form":
        if "/OPI" in kind or "/PS" in kind or kind.get("/Subtype2") == "/PS":
            fail("6.2.9-1", "form XObject")
        if "/Ref" in kind:
            fail("6.2.9-2", "reference XObject")
    if subtype == "/PS":
        fail("6.2.9-3", "PostScript XObject")
    if kind.get("/OPM") == 1 or "/TR" in kind:
        fail("6.2.5-1", "overprint mode 1 or a transfer function")
    if "/FT" in kind and ("/AA" in kind or "/A" in kind):
        fail("6.4.1-1", "a form field with actions")
    if typ == "/Annot" or "/Rect" in kind and subtype in ANNOTATIONS | {"/3D", "/Sound",
                                                                      "/Screen", "/Movie"}:
        _annotation(kind, subtype, fail)
    if "/S" in kind and str(kind.S) in {*ACTIONS, "/Launch", "/Sound", "/Movie", "/ResetForm",
                                        "/ImportData", "/Hide", "/SetOCGState", "/Rendition",
                                        "/Trans", "/GoTo3DView", "/JavaScript"}:
        if str(kind.S) not in ACTIONS:
            fail("6.5.1-1", str(kind.S))
        if kind.S == "/Named" and str(kind.get("/N")) not in (
                "/NextPage", "/PrevPage", "/FirstPage", "/LastPage"):
            fail("6.5.1-2", str(kind.get("/N")))
    if typ == "/EmbeddedFile" and not re.fullmatch(r"[-\w+.]+/[-\w+.]+",
                                                   str(kind.get("/Subtype", ""))[1:]):
        fail("6.8-1", f"EmbeddedFile MIME type {kind.get('/Subtype')}")
    if typ == "/Sig" or "/ByteRange" in kind:
        fail("6.4.3-1", "a signature (not checked further)")
    if typ == "/Filespec" or "/EF" in kind:
        name = str(kind.get("/UF", kind.get("/F", "?")))
        if "/EF" in kind and ("/F" not in kind or "/UF" not in kind):
            fail("6.8-2", name)
        if "/AFRelationship" not in kind:
            fail("6.8-3", name)
        if obj.objgen not in associated:
            fail("6.8-4", name)


def _annotation(annot: Any, subtype: str, fail: Any) -> None:
    if subtype not in ANNOTATIONS:
        fail("6.3.1-1", subtype)
    flags = int(annot.get("/F", -1))
    if flags == -1 and subtype != "/Popup":
        fail("6.3.2-1", subtype)
    elif flags != -1 and (flags & 1 or flags & 2 or not flags & 4 or flags & 32 or flags & 256):
        fail("6.3.2-2", f"{subtype} F={flags}")
    if subtype == "/Text" and (flags == -1 or not flags & 8 or not flags & 16):
        fail("6.3.2-3", "Text")
    x0, y0, x1, y1 = (float(v) for v in annot.get("/Rect", [0, 0, 0, 0]))
    if "/AP" not in annot and subtype not in ("/Link", "/Popup") and (x0, y0) != (x1, y1):
        fail("6.3.3-1", subtype)
    if "/AP" in annot and set(annot.AP.keys()) != {"/N"}:
        fail("6.3.3-2", subtype)
    if subtype == "/Widget" and ("/A" in annot or "/AA" in annot):
        fail("6.4.1-1", "Widget")


def _metadata(root: Any, fail: Any) -> None:
    if "/Metadata" not in root:
        fail("6.6.2.1-1", "no Metadata")
        return
    raw = root.Metadata.read_bytes()
    header = re.search(rb"<\?xpacket begin=[^>]*\?>", raw)
    if header and b"bytes=" in header[0]:
        fail("6.6.2.1-2", "bytes")
    if header and b"encoding=" in header[0]:
        fail("6.6.2.1-3", "encoding")
    try:
        tree = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", raw))
    except ET.ParseError as error:
        fail("6.6.2.1-4", str(error))
        return
    rdf = tree.find(f"{RDF}RDF")
    if rdf is None:
        fail("6.6.2.1-4", "no rdf:RDF")
        return
    parts = []
    for description in rdf.findall(f"{RDF}Description"):
        for prop in description:
            namespace, _, name = prop.tag[1:].partition("}")
            if namespace == EXTENSION:
                _extension(prop, fail)
                continue
            kind = XMP.get(namespace, {}).get(name)
            if kind is None and namespace != "http://www.aiim.org/pdfua/ns/id/":
                fail("6.6.2.3-7", f"{namespace}{name} is not predefined")
            elif kind and not _typed(prop, kind):
                fail("6.6.2.3-7", f"{name} is not a {kind}")
            if namespace == "http://www.aiim.org/pdfa/ns/id/":
                parts.append((name, (prop.text or "").strip()))
    values = dict(parts)
    if "part" not in values or "conformance" not in values:
        fail("6.6.4-1", "no PDF/A identification")
    if values.get("part") != "3":
        fail("6.6.4-2", str(values.get("part")))
    if values.get("conformance") not in ("A", "B", "U"):
        fail("6.6.4-3", str(values.get("conformance")))
    if b"xmlns:pdfaid=" in raw and not re.search(rb"<pdfaid:part>", raw):
        fail("6.6.4-4", "prefix")


def _typed(prop: ET.Element, kind: str) -> bool:
    children = list(prop)
    if kind in ("Alt", "Seq", "Bag"):
        return (len(children) == 1 and children[0].tag == f"{RDF}{kind}"
                and all(li.tag == f"{RDF}li" for li in children[0])
                and (kind != "Alt" or all(
                    li.get("{http://www.w3.org/XML/1998/namespace}lang") for li in children[0])))
    text = (prop.text or "").strip()
    if children:
        return False
    return {"Date": bool(DATE.match(text)), "Boolean": text in ("True", "False"),
            "Integer": text.isdigit()}.get(kind, True)


def _extension(prop: ET.Element, fail: Any) -> None:
    """pdfaExtension:schemas: a Bag of schema structures with the fields of 6.6.2.3.3."""
    bag = list(prop)
    if prop.tag.rpartition("}")[2] != "schemas" or len(bag) != 1 or bag[0].tag != f"{RDF}Bag":
        fail("6.6.2.3-2", "pdfaExtension:schemas is not a Bag")
        return
    allowed = {"schema", "namespaceURI", "prefix", "property", "valueType",
               "name", "category", "description"}
    for element in bag[0].iter():
        local = element.tag.rpartition("}")[2]
        if element.tag.startswith("{http://www.aiim.org/pdfa/ns/") and local not in allowed:
            fail("6.6.2.3-1", local)
