"""R-APP-7: what an upload really is, read from its first bytes and (for zip/OLE) its structure."""

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED = {"pdf": "PDF", "docx": "Word", "doc": "Word 97-2003", "xlsx": "Excel", "xls": "Excel 97-2003", "ofd": "OFD", "png": "PNG 图片", "jpg": "JPEG 图片"}


def sniff(head: bytes, data_for_zip=None) -> str | None:
    """The allowed type the content is, or None. ``data_for_zip`` is a seekable file for zip-based formats."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(OLE_MAGIC):
        # Word and Excel 97-2003 are both OLE containers; tell them apart by the stream names.
        blob = head if data_for_zip is None else _read_all(data_for_zip)
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in blob:
            return "doc"
        if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in blob or b"B\x00o\x00o\x00k" in blob:
            return "xls"
        return None
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        try:
            with zipfile.ZipFile(data_for_zip) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def _read_all(f) -> bytes:
    pos = f.tell()
    f.seek(0)
    data = f.read()
    f.seek(pos)
    return data


def sniff_bytes(data: bytes) -> str | None:
    return sniff(data[:16], io.BytesIO(data))
