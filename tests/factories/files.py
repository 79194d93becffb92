"""Real file contents for upload tests: a photo must be an image by its bytes, not its name."""

import io

from PIL import Image


def png_bytes(size=(4, 3), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()
