"""A synthetic dermoscopic photograph, drawn with numpy, a minimal PNG writer, and the encodings of its pixels.

The picture: skin-tone background with fine texture and skin lines, a pigmented lesion with an irregular border
and a network-like internal pattern, the dark round field of view of a dermoscope, a millimetre scale along the
lower edge of the field when the dermoscope touched the skin (contact plates carry an etched scale), and specular
glints when the light was not polarized (cross-polarized light suppresses surface reflection).

Determinism: the same arguments give the same bytes on every machine. The noise is an integer hash (no random
number generator, whose streams numpy does not promise to keep), and only correctly rounded float operations are
used (+, -, *, /, sqrt; no sin, exp or atan2, whose last bit may differ between CPUs and libraries).

How an example stores its pixels (the second half of this module): the transfer syntax of a variant, its
encoder, and the sRGB ICC Profile. Every encoder here is deterministic: the same pixels give the same bytes on
every run with the same libraries.

- ``explicit-little``: Explicit VR Little Endian, the pixels as they are (RGB, colour-by-pixel).
- ``jpeg-baseline``: JPEG Baseline (Process 1), written by Pillow (libjpeg-turbo) with fixed settings: quality
  :data:`JPEG_QUALITY`, 4:2:2 chroma subsampling, no optimisation, no progressive scan, no EXIF or ICC marker. The
  colour components of the bit stream are YCbCr with the chrominance halved horizontally, which PS3.5 8.2.1 calls
  YBR_FULL_422; the file says so, and records the lossy compression (Lossy Image Compression ``01``, its ratio and
  method ``ISO_10918_1``, PS3.3 C.7.6.1.1.5).
- ``rle-lossless``: RLE Lossless (PS3.5 Annex G) by pydicom's own encoder; the pixels stay RGB.

Pydicom 3 encodes RLE Lossless natively, JPEG-LS only through pyjpegls and JPEG 2000 through pylibjpeg, and
nothing encodes JPEG Lossless (Process 14, SV1); Pillow writes baseline JPEG. So the lossless variant is RLE, which
needs no further dependency.

The ICC Profile is the sRGB profile that Little CMS builds (``ImageCms.createProfile("sRGB")``), with its creation
date (bytes 24 to 35 of the ICC header) set to :data:`ICC_DATE`: Little CMS stamps the current time there, the one
field that would change from run to run.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from pydicom.uid import UID, ExplicitVRLittleEndian, JPEGBaseline8Bit, RLELossless

if TYPE_CHECKING:  # numpy, Pillow and pydicom's pixel handlers are imported only where pixels are drawn or coded
    import numpy as np
    from pydicom.dataset import Dataset

# Colours (R, G, B), made numpy arrays where an image is drawn.
SKIN = (222.0, 178.0, 150.0)
LESION_LIGHT = (150.0, 100.0, 70.0)
LESION_DARK = (70.0, 42.0, 30.0)
NETWORK = (45.0, 28.0, 22.0)
FIELD = (8.0, 8.0, 9.0)
SCALE = (30.0, 30.0, 34.0)
GLINT = (250.0, 250.0, 248.0)

#: Field of view across the image, in millimetres (a typical contact dermoscope shows about 2.5 cm).
FIELD_MM = 25.0


def _hash(ix: np.ndarray, iy: np.ndarray, seed: int) -> np.ndarray:
    """A uniform value in [0, 1) for each integer lattice point (a 32-bit integer hash)."""
    import numpy as np

    h = (ix.astype(np.uint64) * np.uint64(374761393) + iy.astype(np.uint64) * np.uint64(668265263)
         + np.uint64(seed % 2**32) * np.uint64(2246822519)) & np.uint64(0xFFFFFFFF)
    h = ((h ^ (h >> np.uint64(13))) * np.uint64(1274126177)) & np.uint64(0xFFFFFFFF)
    h = h ^ (h >> np.uint64(16))
    return h.astype(np.float64) / 4294967296.0


@lru_cache(maxsize=64)
def value_noise(rows: int, cols: int, cell: float, seed: int) -> np.ndarray:
    """Smooth noise in [0, 1): hashed lattice values, interpolated with a smoothstep polynomial.

    Remembered (read-only), since every variant of a build draws the same skin and lesion.
    """
    import numpy as np

    # Separable: a column's lattice cell and weight do not depend on the row, nor a row's on the column. The lattice
    # is hashed once per lattice point (not four times per pixel) and looked up: the same values, far fewer hashes.
    fx = np.arange(cols, dtype=np.float64)[None, :] / cell
    fy = np.arange(rows, dtype=np.float64)[:, None] / cell
    ix, iy = np.floor(fx), np.floor(fy)
    tx, ty = fx - ix, fy - iy
    tx, ty = tx * tx * (3 - 2 * tx), ty * ty * (3 - 2 * ty)
    ix, iy = ix.astype(np.int64) + 1000, iy.astype(np.int64) + 1000
    x0, y0 = int(ix.min()), int(iy.min())
    lattice = _hash(np.arange(x0, int(ix.max()) + 2, dtype=np.int64)[None, :],
                    np.arange(y0, int(iy.max()) + 2, dtype=np.int64)[:, None], seed)
    cx, cy = ix - x0, iy - y0
    v00, v10 = lattice[cy, cx], lattice[cy, cx + 1]
    v01, v11 = lattice[cy + 1, cx], lattice[cy + 1, cx + 1]
    top = v00 + (v10 - v00) * tx
    bottom = v01 + (v11 - v01) * tx
    noise = top + (bottom - top) * ty
    noise.setflags(write=False)
    return noise


@lru_cache(maxsize=32)
def fbm(rows: int, cols: int, cell: float, seed: int, octaves: int = 4) -> np.ndarray:
    """Fractal noise in about [0, 1): octaves of value noise, each half the size and half the weight (read-only)."""
    import numpy as np

    total = np.zeros((rows, cols))
    weight, norm = 1.0, 0.0
    for octave in range(octaves):
        total += weight * value_noise(rows, cols, cell / 2 ** octave, seed + 7919 * octave)
        norm += weight
        weight /= 2
    total /= norm
    total.setflags(write=False)
    return total


def _smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    import numpy as np

    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _blend(base: np.ndarray, color: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    return base * (1 - alpha[..., None]) + color * alpha[..., None]


def draw(rows: int = 256, cols: int = 256, *, contact: bool = True, polarized: bool = True, partial: bool = False,
         seed: int = 1) -> np.ndarray:
    """An RGB image (rows × cols × 3, uint8) of a pigmented skin lesion seen through a dermoscope.

    ``partial``: the lesion is larger than the field of view, which shows its upper left quadrant.
    """
    import numpy as np

    skin, lesion_light, lesion_dark, network_colour, field, scale, glint = (
        np.array(c) for c in (SKIN, LESION_LIGHT, LESION_DARK, NETWORK, FIELD, SCALE, GLINT))
    rows, cols = max(int(rows), 16), max(int(cols), 16)
    y, x = np.mgrid[0:rows, 0:cols].astype(np.float64)
    size = float(min(rows, cols))
    u = (x - (cols - 1) / 2) / (size / 2)  # -1 … 1 across the shorter side
    v = (y - (rows - 1) / 2) / (size / 2)

    # Skin: a tone that varies slowly, fine grain, and a few shallow skin lines.
    image = np.broadcast_to(skin, (rows, cols, 3)).copy()
    tone = fbm(rows, cols, size / 3, seed) - 0.5
    grain = value_noise(rows, cols, 2.0, seed + 1) - 0.5
    image += (18 * tone + 6 * grain)[..., None]
    lines = value_noise(rows, cols, size / 10, seed + 2)
    image = _blend(image, skin * 0.9, 0.3 * (1 - _smoothstep(0.0, 0.03, np.abs(lines - 0.5))))

    # The lesion: an ellipse whose border is pushed in and out by noise, darker towards its centre.
    border = fbm(rows, cols, size / 4, seed + 3)
    (cu, cv), (au, av) = ((0.35, 0.35), (1.0, 0.85)) if partial else ((0.0, 0.0), (0.52, 0.42))
    radius = np.sqrt(((u - cu) / au) ** 2 + ((v - cv) / av) ** 2) + 0.45 * (border - 0.5)
    inside = 1 - _smoothstep(0.92, 1.0, radius)
    depth = _smoothstep(0.0, 1.0, 1 - radius)
    pigment = lesion_light + (lesion_dark - lesion_light) * np.clip(depth * 1.4 + 0.3 * (tone + 0.5), 0, 1)[..., None]
    image = _blend(image, pigment, inside)

    # Pigment network: thin dark lines where a cellular noise crosses its mid level, fading out at the border.
    mesh = 0.6 * value_noise(rows, cols, size / 30, seed + 4) + 0.4 * value_noise(rows, cols, size / 14, seed + 7)
    network = (1 - _smoothstep(0.0, 0.05, np.abs(mesh - 0.5))) * inside * (0.35 + 0.45 * depth)
    image = _blend(image, network_colour, network)
    dots = _smoothstep(0.82, 0.9, value_noise(rows, cols, size / 40, seed + 5)) * inside * depth
    image = _blend(image, lesion_dark * 0.6, dots)

    if not polarized:  # surface reflection: small round glints at hashed places
        index = np.arange(48)
        gx = _hash(index, np.zeros(48, dtype=np.int64), seed + 6) * cols
        gy = _hash(index, np.ones(48, dtype=np.int64), seed + 6) * rows
        glints = np.zeros((rows, cols))
        for cx, cy in zip(gx, gy):
            # A glint is 0 from 2 pixels away: compute it on the few pixels around its centre only (the same
            # operations on the same values as over the whole image, so the same bytes, many times faster).
            r0, r1 = max(int(np.floor(cy - 2.0)), 0), min(int(np.ceil(cy + 2.0)) + 1, rows)
            c0, c1 = max(int(np.floor(cx - 2.0)), 0), min(int(np.ceil(cx + 2.0)) + 1, cols)
            if r0 >= r1 or c0 >= c1:
                continue
            patch = 1 - _smoothstep(0.8, 2.0, np.sqrt((x[r0:r1, c0:c1] - cx) ** 2 + (y[r0:r1, c0:c1] - cy) ** 2))
            glints[r0:r1, c0:c1] = np.maximum(glints[r0:r1, c0:c1], patch)
        image = _blend(image, glint, 0.85 * glints)

    if contact:  # the etched millimetre scale of the contact plate, 10 mm long, along the lower edge
        pixels_per_mm = cols / FIELD_MM
        baseline_y = int(rows * 0.80)
        start = int(cols / 2 - 5 * pixels_per_mm)
        alpha = np.zeros((rows, cols))
        alpha[baseline_y:baseline_y + 2, start:int(start + 10 * pixels_per_mm) + 2] = 1
        for mm in range(11):
            tick = int(start + mm * pixels_per_mm)
            length = max(int(rows * (0.05 if mm % 5 == 0 else 0.025)), 3)
            alpha[baseline_y - length:baseline_y, tick:tick + 2] = 1
        image = _blend(image, scale, alpha * 0.9)

    # The round field of view: black outside, a soft vignette just inside the rim.
    distance = np.sqrt(u * u + v * v)
    image *= (1 - 0.25 * _smoothstep(0.6, 0.94, distance))[..., None]
    image = _blend(image, field, _smoothstep(0.94, 0.97, distance))
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def png_bytes(image: np.ndarray) -> bytes:
    """An 8-bit RGB (or grey) PNG of ``image``; no metadata, so the same pixels give the same bytes. 16-bit
    pixels are shown by their upper 8 bits."""
    import numpy as np

    if image.dtype != np.uint8:
        image = (image.astype(np.uint32) >> 8).astype(np.uint8)

    if image.ndim == 2:
        image = image[..., None]
    rows, cols, samples = image.shape
    colour_type = {1: 0, 3: 2}[samples]
    raw = b"".join(b"\x00" + image[r].astype(np.uint8).tobytes() for r in range(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", cols, rows, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


# --- Encoding: transfer syntaxes and the ICC Profile ------------------------------------------------------
#: JPEG quality (libjpeg's scale, 1 to 100): what dermoscopes commonly store, visually lossless for review.
JPEG_QUALITY = 90
#: The creation date written into the ICC header: year, month, day, hours, minutes, seconds.
ICC_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Syntax:
    """One transfer syntax that an example may use."""

    key: str  # the value of ``transfer_syntax`` in examples.yaml
    uid: UID
    lossy: bool
    photometric: str


SYNTAXES: dict[str, Syntax] = {
    "explicit-little": Syntax("explicit-little", ExplicitVRLittleEndian, False, "RGB"),
    "jpeg-baseline": Syntax("jpeg-baseline", JPEGBaseline8Bit, True, "YBR_FULL_422"),
    "rle-lossless": Syntax("rle-lossless", RLELossless, False, "RGB"),
}


def syntax_of(key: str | None) -> Syntax:
    return SYNTAXES.get(key or "explicit-little", SYNTAXES["explicit-little"])


def jpeg_baseline(image: np.ndarray) -> bytes:
    """A JPEG Baseline bit stream of a uint8 image: RGB as YCbCr 4:2:2 (YBR_FULL_422), grey (rows × columns) as
    one component (MONOCHROME2)."""
    import numpy as np
    from PIL import Image

    buffer = io.BytesIO()
    grey = image.ndim == 2
    Image.fromarray(np.ascontiguousarray(image), "L" if grey else "RGB").save(
        buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False,
        **({} if grey else {"subsampling": 1}))
    return buffer.getvalue()


def jpeg_decoded(stream: bytes, rows: int, cols: int, samples: int = 3) -> np.ndarray:
    """The pixels of a JPEG bit stream, decoded (and converted to RGB when ``samples`` is 3) by Pillow."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(stream)) as picture:
        if samples == 1:
            return np.asarray(picture.convert("L"), dtype=np.uint8).reshape(rows, cols)
        return np.asarray(picture.convert("RGB"), dtype=np.uint8).reshape(rows, cols, 3)


def rle_lossless(image: np.ndarray, bits: int = 8, stored: int | None = None) -> bytes:
    """An RLE Lossless frame (PS3.5 Annex G) of an RGB or grey image, by pydicom's native encoder."""
    import numpy as np
    from pydicom.pixels.encoders import RLELosslessEncoder

    rows, cols = image.shape[:2]
    samples = 1 if image.ndim == 2 else image.shape[2]
    return RLELosslessEncoder.encode(np.ascontiguousarray(image), encoding_plugin="pydicom", rows=rows,
                                     columns=cols, samples_per_pixel=samples, bits_allocated=bits,
                                     bits_stored=stored or bits, pixel_representation=0,
                                     photometric_interpretation="RGB" if samples == 3 else "MONOCHROME2",
                                     planar_configuration=0, number_of_frames=1)


def as_stored(image: np.ndarray, samples: int = 3, bits: int = 8, stored: int | None = None) -> np.ndarray:
    """A drawn RGB uint8 image as the data set describes its pixels: grey (integer Rec. 601 luma, exact on every
    machine) for one sample, scaled to ``stored`` bits in 16-bit words when ``bits`` is 16."""
    import numpy as np

    if samples == 1 and image.ndim == 3:
        weighted = image.astype(np.uint32) * np.array([299, 587, 114], dtype=np.uint32)
        image = ((weighted.sum(axis=2) + 500) // 1000).astype(np.uint8)
    if bits == 16:
        top = (1 << min(stored or 16, 16)) - 1
        image = (image.astype(np.uint32) * top // 255).astype("<u2")
    return image


def encode(dataset: Dataset, images, key: str | None, samples: int = 3, bits: int = 8,
           stored: int | None = None) -> None:
    """Store ``images`` (one RGB uint8 image, or a list of them, one per frame) in ``dataset`` as transfer syntax
    ``key`` says, as ``samples`` samples of ``bits`` bits, and set the attributes that describe the encoding
    (Photometric Interpretation, Planar Configuration, lossy compression)."""
    from pydicom.encaps import encapsulate

    frames = [as_stored(image, samples, bits, stored) for image in (images if isinstance(images, list) else [images])]
    syntax = syntax_of(key)
    if samples == 1:
        dataset.PhotometricInterpretation = "MONOCHROME2"
        if "PlanarConfiguration" in dataset:  # only for more than one sample (C.7.6.3.1.3)
            del dataset["PlanarConfiguration"]
    else:
        dataset.PhotometricInterpretation = syntax.photometric
        dataset.PlanarConfiguration = 0  # colour-by-pixel; PS3.5 8.2.1 and Annex G: 0 for JPEG and RLE too
    if syntax.key == "explicit-little":
        dataset.PixelData = b"".join(frame.tobytes() for frame in frames)
        if len(dataset.PixelData) % 2:  # an odd length is padded to even (PS3.5 7.1.1)
            dataset.PixelData += b"\x00"
        dataset["PixelData"].VR = "OB" if bits == 8 else "OW"
        return
    coded = [jpeg_baseline(frame) if syntax.key == "jpeg-baseline" else rle_lossless(frame, bits, stored)
             for frame in frames]
    dataset.PixelData = encapsulate(coded, has_bot=False)
    dataset["PixelData"].VR = "OB"
    dataset["PixelData"].is_undefined_length = True
    if syntax.lossy:
        dataset.LossyImageCompression = "01"
        dataset.LossyImageCompressionRatio = ratio_text(sum(f.nbytes for f in frames), sum(len(c) for c in coded))
        dataset.LossyImageCompressionMethod = "ISO_10918_1"


def ratio_text(uncompressed: int, compressed: int) -> str:
    """The compression ratio as a DS, one decimal (``14.8``): uncompressed size over compressed size."""
    return f"{uncompressed / max(compressed, 1):.1f}"


@cache
def srgb_profile() -> bytes:
    """The sRGB ICC profile of Little CMS, with a fixed creation date; the same bytes on every call and run."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", *ICC_DATE)
    return bytes(profile)


PROFILES = {"srgb": (srgb_profile, "SRGB")}


def add_profile(dataset: Dataset, key: str | None) -> None:
    """The ICC Profile Module (PS3.3 C.11.15): ICC Profile and its Color Space (a Defined Term of C.11.15.1.2)."""
    if key is None or key not in PROFILES:
        return
    make, space = PROFILES[key]
    dataset.ICCProfile = make()
    dataset["ICCProfile"].VR = "OB"
    dataset.ColorSpace = space
