/**
 * Where a post's element is in a viewport screenshot. `getBoundingClientRect()` gives CSS pixels relative to the
 * viewport; `captureVisibleTab` gives device pixels. The scale is taken from the screenshot itself when its size is
 * known (image width ÷ viewport width), because browser zoom changes it too; `devicePixelRatio` is the fallback.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Device pixels per CSS pixel for this screenshot. */
export function captureScale(viewport: Size, devicePixelRatio: number, image?: Size): number {
  if (image && viewport.width > 0 && image.width > 0) return image.width / viewport.width;
  return devicePixelRatio > 0 && Number.isFinite(devicePixelRatio) ? devicePixelRatio : 1;
}

/**
 * The element's rectangle in the screenshot's pixels: scaled, snapped outward to whole pixels, clamped to the
 * visible viewport (the part scrolled out of view is not in the screenshot). Null when nothing of it is visible.
 */
export function cropRect(element: Rect, viewport: Size, devicePixelRatio: number, image?: Size): Rect | null {
  const scale = captureScale(viewport, devicePixelRatio, image);
  const limit = image ?? { width: Math.round(viewport.width * scale), height: Math.round(viewport.height * scale) };
  const left = Math.max(0, Math.floor(element.x * scale));
  const top = Math.max(0, Math.floor(element.y * scale));
  const right = Math.min(limit.width, Math.ceil((element.x + element.width) * scale));
  const bottom = Math.min(limit.height, Math.ceil((element.y + element.height) * scale));
  if (right <= left || bottom <= top) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}
