"""Small, valid files for tests that upload evidence (uploads are checked on their structure, so a file
must really be what its name says)."""

import io


def pdf(*bodies: bytes, tail: bytes = b"", note: bytes = b"") -> bytes:
    """A PDF whose object n is bodies[n-1] (object 1 the catalog), with a correct cross-reference table.
    Without bodies: one blank page. ``note`` (a comment line) tells files apart; ``tail`` follows %%EOF."""
    bodies = bodies or (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if note:
        out.write(b"% " + note + b"\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, start))
    return out.getvalue() + tail
