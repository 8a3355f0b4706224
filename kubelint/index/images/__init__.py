"""Images built here, run there: which Dockerfile of the scan builds the image a container runs
(`links`), and what that image carries at run time through its FROM chain (`runtime`)."""

from kubelint.index.images.links import ImageLinks, Link, image_links, repository
from kubelint.index.images.runtime import Runtime, image_runtime

__all__ = ["ImageLinks", "Link", "Runtime", "image_links", "image_runtime", "repository"]
