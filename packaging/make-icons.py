#!/usr/bin/python3
"""Draws the CDNet Studio icon (a cathode particle with a crack) at every size the desktop needs.
Run by hand when the design changes; the PNGs and the SVG are committed under resources/icons."""
import math
import random
from PIL import Image, ImageDraw, ImageFilter

SIZES = [16, 32, 48, 64, 128, 256]
CRACK = [(0.30, 0.22), (0.42, 0.38), (0.38, 0.50), (0.52, 0.60), (0.50, 0.72), (0.62, 0.80)]
BRANCH = [(0.42, 0.38), (0.58, 0.36), (0.70, 0.28)]


def draw(size):
    s = size * 4  # supersample
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([0, 0, s - 1, s - 1], radius=s * 0.18, fill=(28, 32, 44, 255))
    rnd = random.Random(3)
    # grains of the secondary particle
    cx, cy, r = s * 0.5, s * 0.5, s * 0.38
    for _ in range(60):
        a, t = rnd.uniform(0, 2 * math.pi), math.sqrt(rnd.random()) * r * 0.9
        gx, gy, gr = cx + t * math.cos(a), cy + t * math.sin(a), r * rnd.uniform(0.16, 0.26)
        g = rnd.randint(175, 225)
        d.ellipse([gx - gr, gy - gr, gx + gr, gy + gr], fill=(g, g, g + 10, 255))
    mask = Image.new("L", (s, s), 0)
    ImageDraw.Draw(mask).ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
    bg = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    bg.paste(img, (0, 0), mask)
    base = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    ImageDraw.Draw(base).rounded_rectangle([0, 0, s - 1, s - 1], radius=s * 0.18, fill=(28, 32, 44, 255))
    base.alpha_composite(bg)
    d = ImageDraw.Draw(base)
    w = max(2, int(s * 0.035))
    for line in (CRACK, BRANCH):
        pts = [(x * s, y * s) for x, y in line]
        d.line(pts, fill=(255, 96, 40, 255), width=w, joint="curve")
    return base.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for n in SIZES:
        draw(n).save(f"resources/icons/cdnet-studio-{n}.png")
    pts = " ".join(f"{x * 256:.0f},{y * 256:.0f}" for x, y in CRACK)
    br = " ".join(f"{x * 256:.0f},{y * 256:.0f}" for x, y in BRANCH)
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <rect width="256" height="256" rx="46" fill="#1c202c"/>
  <circle cx="128" cy="128" r="97" fill="#c8c8d2"/>
  <circle cx="100" cy="105" r="22" fill="#d8d8e2"/><circle cx="150" cy="95" r="24" fill="#bcbcc8"/>
  <circle cx="160" cy="150" r="25" fill="#d2d2dc"/><circle cx="105" cy="160" r="23" fill="#b8b8c4"/>
  <polyline points="{pts}" fill="none" stroke="#ff6028" stroke-width="9" stroke-linejoin="round"/>
  <polyline points="{br}" fill="none" stroke="#ff6028" stroke-width="9" stroke-linejoin="round"/>
</svg>
"""
    open("resources/icons/cdnet-studio.svg", "w").write(svg)
