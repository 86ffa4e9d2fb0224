#!/usr/bin/env python3
"""Fail unless a PNG screenshot of the HTML report shows a rendered page.

usage: check_png.py SHOT.png
Decodes the PNG with the standard library (8-bit RGB/RGBA, all filters) and
requires: a plausible size; at most 97% of the pixels the page background or
white (a blank or unstyled page fails); the header's dark blue; and the
priority colours of the charts (Warning amber, Notice blue), i.e. the SVG
areas, slices and bars were painted.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("FAIL: %s is not a PNG" % path)
    pos, idat, w = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise SystemExit("FAIL: unsupported PNG (depth %d, colour type %d)" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def near(px, rgb, tol=24):
    return all(abs(px[k] - rgb[k]) <= tol for k in range(3))


def main():
    w, h, bpp, rows = decode(sys.argv[1])
    if w < 300 or h < 300:
        raise SystemExit("FAIL: screenshot is only %dx%d" % (w, h))
    total = plain = 0
    found = {"header": 0, "Warning": 0, "Notice": 0}
    want = {"header": (0x1c, 0x25, 0x50), "Warning": (0xf8, 0xb1, 0x33), "Notice": (0x3a, 0x86, 0xc8)}
    for row in rows[::2]:
        for x in range(0, w * bpp, bpp * 2):
            px = row[x:x + 3]
            total += 1
            if near(px, (255, 255, 255), 6) or near(px, (0xf4, 0xf6, 0xfa), 6):
                plain += 1
            for k, rgb in want.items():
                if near(px, rgb, 30 if k == "header" else 14):
                    found[k] += 1
    frac = plain / total
    errs = []
    if frac > 0.97:
        errs.append("%.0f%% of the page is background: blank or unstyled" % (100 * frac))
    for k, n in found.items():
        if n < 50:
            errs.append("no %s colour painted (%d pixels)" % (k, n))
    if errs:
        raise SystemExit("FAIL: %s: %s" % (sys.argv[1], "; ".join(errs)))
    print("ok: %s %dx%d, %.0f%% background, colour pixels %s" % (sys.argv[1], w, h, 100 * frac, found))


if __name__ == "__main__":
    main()
