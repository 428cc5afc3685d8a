/** Screenshots: element crop rectangles, full-page planning and pacing, per-kind formats, injected pixel work. */
export { cropRect, captureScale, type Rect, type Size } from './crop';
export { formatFor, type ImageFormat } from './format';
export {
  planFullPage, captureFrames, stitchLayout, MIN_CAPTURE_INTERVAL_MS, MAX_FRAMES,
  type PageMetrics, type FullPagePlan, type FullPageIo, type Frame, type StitchLayout, type StitchStep,
} from './full-page';
export { cropImage, stitchImages, browserCanvasKit, type CanvasKit, type DrawableCanvas, type EncodedImage } from './pixels';
