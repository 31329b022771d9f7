"""Finding a page in a document-camera frame and straightening it.

The page is the largest bright four-sided shape in the frame: found by
Otsu's threshold (a white page on a darker desk), with edges (Canny) as the
fallback for a pale desk. Its four corners are put in order and the page is
warped to a rectangle with the page's own proportions (perspective
correction), so a sheet photographed at an angle reads like a scan.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

Image = np.ndarray[Any, Any]

MIN_PAGE_SHARE = 0.15  # a page covers at least this share of the frame
MAX_PAGE_SHARE = 0.97  # and leaves some desk in view, or its edges cannot be seen
MIN_CONTRAST = 25  # grey levels between the page and the desk
WORK_SIDE = 800


def order_corners(points: Image) -> Image:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(points, np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()  # y - x
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32
    )


def _quad(mask: Image, min_area: float) -> Image | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    max_area = MAX_PAGE_SHARE * mask.shape[0] * mask.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        area = cv2.contourArea(contour)
        if area < min_area:
            break
        if area > max_area:  # the whole frame: no page edge in view
            continue
        hull = cv2.convexHull(contour)
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            return order_corners(approx)
    return None


def detect_page(frame: Image) -> Image | None:
    """The page's corners in ``frame`` (clockwise from top left), or None when none is seen."""
    scale = min(1.0, WORK_SIDE / max(frame.shape[:2]))
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    min_area = MIN_PAGE_SHARE * gray.shape[0] * gray.shape[1]
    if float(gray.max()) - float(gray.min()) < MIN_CONTRAST:
        return None  # a flat frame: the desk, or the lens covered
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # close the page's printed lines so the sheet is one shape
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    quad = _quad(bright, min_area)
    if quad is None:
        edges = cv2.dilate(cv2.Canny(gray, 50, 150), np.ones((3, 3), np.uint8))
        quad = _quad(edges, min_area)
    return None if quad is None else quad / scale


def correct_perspective(frame: Image, corners: Image) -> Image:
    """The page cut out of ``frame`` and straightened to a rectangle."""
    tl, tr, br, bl = order_corners(corners)
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    warp = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], np.float32), target)
    out: Image = cv2.warpPerspective(frame, warp, (width, height), flags=cv2.INTER_CUBIC)
    return out
