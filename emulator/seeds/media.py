"""Generated media for seeds: Pillow images and PyAV videos, made once per process."""

from __future__ import annotations

import io
from fractions import Fraction
from functools import lru_cache

from PIL import Image, ImageDraw

from emulator.core.lazy import OnFirstUse

av = OnFirstUse("av")
np = OnFirstUse("numpy")


@lru_cache(maxsize=None)
def image(fmt: str, width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A fruit-coloured disc on a light background."""
    picture = Image.new("RGB", (width, height), (235, 235, 225))
    ImageDraw.Draw(picture).ellipse((width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    return buffer.getvalue()


@lru_cache(maxsize=None)
def video(width: int, height: int, frames: int, fps: int = 30) -> bytes:
    """An H.264 MP4 (MPEG-4 Part 2 where this PyAV has no H.264 encoder) of a still bar, ``frames`` frames long.

    Only a keyframe and one P-frame repeating it are encoded; the other frames are copies of that P-frame's packet
    (nothing changes from the frame before), so making the file costs two encodes whatever its length.
    """
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        try:
            stream = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "bframes": "0"})
        except (av.error.FFmpegError, ValueError):
            stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        stream.codec_context.gop_size = frames
        pixels = np.full((height, width, 3), 230, np.uint8)
        pixels[:, width // 2 - 8:width // 2 + 8] = (160, 20, 40)
        packets = []
        for index in range(min(frames, 2)):
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            packets += stream.encode(frame)
        packets += stream.encode()
        for packet in packets:
            container.mux(packet)
        repeated = bytes(packets[-1])
        for index in range(len(packets), frames):
            packet = av.Packet(repeated)
            packet.stream, packet.time_base, packet.pts, packet.dts = stream, Fraction(1, fps), index, index
            container.mux(packet)
    return buffer.getvalue()
