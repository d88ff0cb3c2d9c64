#!/usr/bin/env python3
"""Draws images/icon.png (256x256), the extension's Marketplace icon: a string literal
holding a code ("  ▬▬_▬▬  ") on a blue tile, with a green check badge.

    python3 -m venv /tmp/pil && /tmp/pil/bin/pip install pillow
    /tmp/pil/bin/python scripts/draw-icon.py          # from editors/vscode

Drawn at 4x and scaled down, so edges are smooth; shapes only, no font.
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
S = 4  # supersampling
W = SIZE * S


def lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def main() -> None:
    top, bottom = (38, 118, 240), (11, 51, 138)
    tile = Image.new("RGBA", (W, W))
    grad = ImageDraw.Draw(tile)
    for y in range(W):
        grad.line([(0, y), (W, y)], fill=lerp(top, bottom, y / (W - 1)) + (255,))
    mask = Image.new("L", (W, W), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, W - 1, W - 1], radius=48 * S, fill=255)
    img = Image.new("RGBA", (W, W), (0, 0, 0, 0))
    img.paste(tile, (0, 0), mask)
    d = ImageDraw.Draw(img)
    white = (255, 255, 255, 255)

    # Opening and closing double quotes: two slanted strokes each.
    def quote(x, y):
        for dx in (0, 22):
            x0 = (x + dx) * S
            d.polygon(
                [(x0, y * S), (x0 + 14 * S, y * S), (x0 + 8 * S, (y + 34) * S), (x0 - 2 * S, (y + 34) * S)],
                fill=white,
            )

    quote(28, 62)
    quote(196, 62)

    # The code inside: two capsules joined by an underscore, on the string's line.
    light = (214, 230, 255, 255)
    d.rounded_rectangle([72 * S, 68 * S, 120 * S, 98 * S], radius=7 * S, fill=light)
    d.rectangle([125 * S, 91 * S, 139 * S, 98 * S], fill=light)
    d.rounded_rectangle([144 * S, 68 * S, 186 * S, 98 * S], radius=7 * S, fill=light)

    # The check badge: the code is a known one.
    cx, cy, r = 182, 182, 48
    d.ellipse([(cx - r - 6) * S, (cy - r - 6) * S, (cx + r + 6) * S, (cy + r + 6) * S], fill=(11, 51, 138, 255))
    d.ellipse([(cx - r) * S, (cy - r) * S, (cx + r) * S, (cy + r) * S], fill=(35, 181, 96, 255))
    d.line(
        [((cx - 24) * S, (cy + 1) * S), ((cx - 6) * S, (cy + 19) * S), ((cx + 25) * S, (cy - 17) * S)],
        fill=white,
        width=13 * S,
        joint="curve",
    )
    for px, py in (((cx - 24), (cy + 1)), ((cx + 25), (cy - 17))):
        d.ellipse([(px - 6.5) * S, (py - 6.5) * S, (px + 6.5) * S, (py + 6.5) * S], fill=white)

    # Three short lines of "code" below the literal.
    faint = (255, 255, 255, 110)
    d.rounded_rectangle([30 * S, 140 * S, 112 * S, 152 * S], radius=6 * S, fill=faint)
    d.rounded_rectangle([30 * S, 166 * S, 92 * S, 178 * S], radius=6 * S, fill=faint)
    d.rounded_rectangle([30 * S, 192 * S, 104 * S, 204 * S], radius=6 * S, fill=faint)

    out = Path(__file__).resolve().parent.parent / "images" / "icon.png"
    img.resize((SIZE, SIZE), Image.LANCZOS).save(out, optimize=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
