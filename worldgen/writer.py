"""Byte-stable writers for the world files (JSONL, gzip-compressed CSV).

The same records always give the same bytes: keys keep their insertion order,
text is UTF-8 without ASCII escaping, lines end in ``\\n`` and gzip headers carry
no timestamp and a fixed inner file name. Files are written to a temporary
name and renamed, so a crashed run never leaves half a file behind.
This module does not decide what goes in the files.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from pathlib import Path
from typing import Iterable, Sequence


def jsonl_bytes(records: Iterable[dict]) -> bytes:
    """Serialise records as JSON lines.

    >>> jsonl_bytes([{"a": 1, "b": "ñ"}])
    b'{"a": 1, "b": "\\xc3\\xb1"}\\n'
    """
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def csv_gz_bytes(rows: Iterable[Sequence], header: Sequence[str], *, inner_name: str) -> bytes:
    """CSV with a header, gzip-compressed with ``mtime=0`` and a fixed inner name.

    >>> data = csv_gz_bytes([[1, "x"]], ["n", "s"], inner_name="t.csv")
    >>> gzip.decompress(data).decode()
    'n,s\\n1,x\\n'
    >>> data == csv_gz_bytes([[1, "x"]], ["n", "s"], inner_name="t.csv")
    True
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    buf = io.BytesIO()
    with gzip.GzipFile(filename=inner_name, mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return buf.getvalue()


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
