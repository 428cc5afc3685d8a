/**
 * One capture, from the person's click to a report item and its evidence bytes: read the post in the page and take
 * the viewport screenshot at the same moment, crop the post out of the screenshot, keep the sanitised HTML snapshot,
 * hash everything. Browser work comes in through `CaptureIo`, so this runs under test with fakes.
 */
import { sha256Hex } from '@/lib/hash';
import { LIMITS, type Evidence, type EvidenceKind, type Item } from '@/lib/schema';
import { oneLineCap, toReportItem } from '../extract';
import { decodeDataUrl, pngSize } from '../image';
import { RestrictedPageError, TabNotShowingError, type CapturableTab } from '../page';
import type { Artefact } from '@/lib/report/artefact';
import { platformOf } from '@/lib/report/platform';
import { cropRect, type Rect } from '../screenshot/crop';
import { formatFor } from '../screenshot/format';
import { cropImage, type CanvasKit, type DrawableCanvas } from '../screenshot/pixels';
import type { InPageRequest, InPageResult } from './in-page';
import { planHiding, type HidingPlan } from '../hiding';
import type { LocateHints } from './locate';

export type AnyCanvasKit = CanvasKit<unknown, DrawableCanvas<unknown>>;

export interface CaptureIo {
  /** Inject and run the capture script in the frame the person acted in. */
  readPage(request: InPageRequest): Promise<InPageResult>;
  /** A paced `tabs.captureVisibleTab` (PNG data URL) of the tab's window. */
  captureVisibleTab(): Promise<string>;
  kit: AnyCanvasKit;
  now(): Date;
  /**
   * Store evidence bytes now, before the item is complete: the screenshot and snapshot are written while the crop is
   * still being made. What is kept this way is left out of the returned `artefacts`.
   */
  keep?(artefacts: Artefact[]): Promise<void>;
}

export interface CaptureRequest {
  tab: CapturableTab;
  /** 0 for the top frame. A crop is made only there: a sub-frame's boxes are relative to that frame. */
  frameId: number;
  hints: LocateHints;
}

export interface Captured {
  item: Item;
  artefacts: Artefact[];
  /** Where the person's own account shows in this capture's pictures, for an anonymous report to hide. */
  hiding?: HidingPlan;
}

export async function captureTarget(request: CaptureRequest, io: CaptureIo): Promise<Captured> {
  const { tab } = request;
  if (!tab.url || !/^https?:/.test(tab.url)) throw new RestrictedPageError(tab.url ?? 'no address');
  if (!tab.active) throw new TabNotShowingError(tab.url);
  const capturedAt = io.now().toISOString();
  // Both at once: the page does not move between them, and the capture takes one round trip less. A page the script
  // cannot run in (a PDF viewer, a page that navigated away) still gets its screenshot, as a page item.
  const [read, dataUrl] = await Promise.all([
    io.readPage({ hints: request.hints, capturedAt }).catch(() => pageOnly(tab)),
    io.captureVisibleTab(),
  ]);
  const screenshot = decodeDataUrl(dataUrl);
  if (screenshot.mediaType !== 'image/png') throw new Error(`unexpected screenshot type ${screenshot.mediaType}`);
  const size = pngSize(screenshot.bytes);

  const screenshotPiece: Piece = { kind: 'screenshot', mediaType: 'image/png', bytes: screenshot.bytes, ...size };
  const snapshotPiece: Piece | undefined = read.snapshotHtml
    ? { kind: 'html_snapshot', mediaType: 'text/html', bytes: new TextEncoder().encode(read.snapshotHtml) }
    : undefined;
  const box = request.frameId === 0 ? (read.rect ?? read.targetRect) : undefined;
  const crop = box && elementCrop(box, read, size);
  // Decoding, cropping, encoding, hashing and writing the first bytes all wait on other threads: let them overlap.
  const early = Promise.all([hashPiece(screenshotPiece), snapshotPiece && hashPiece(snapshotPiece)]);
  const kept = io.keep ? early.then((pieces) => io.keep!(present(pieces).map(({ artefact }) => artefact))) : undefined;
  const hiddenSnapshotPiece: Piece | undefined = read.self?.hiddenSnapshotHtml
    ? { kind: 'html_snapshot', mediaType: 'text/html', bytes: new TextEncoder().encode(read.self.hiddenSnapshotHtml) }
    : undefined;
  const [[shot, snapshot], element, hiddenSnapshot] = await Promise.all([
    early,
    crop ? cropPiece(io.kit, screenshot.bytes, crop).then(hashPiece) : undefined,
    hiddenSnapshotPiece && hashPiece(hiddenSnapshotPiece),
    kept,
  ]);
  const hashed = present([shot, element, snapshot]);
  // The snapshot with the person's own posts emptied is kept beside the draft, in no item until a report is anonymous.
  const unkept = present(kept ? [element, hiddenSnapshot] : [...hashed, hiddenSnapshot]);
  const item = toReportItem(read.item, { capturedAt, evidence: hashed.map(({ evidence }) => evidence) });
  const hiding = planHiding(request.frameId === 0 ? read.self : undefined, {
    viewport: read.viewport,
    devicePixelRatio: read.devicePixelRatio,
    ...(size ? { image: size } : {}),
    screenshot: shot!.evidence.sha256,
    ...(crop && element ? { element: { sha256: element.evidence.sha256, crop } } : {}),
    ...(snapshot ? { snapshot: snapshot.evidence.sha256 } : {}),
    ...(hiddenSnapshot ? { hiddenSnapshot: { sha256: hiddenSnapshot.evidence.sha256, bytes: hiddenSnapshot.evidence.bytes } } : {}),
  });
  return { item: adjustForTrigger(item, request.hints, read), artefacts: unkept.map(({ artefact }) => artefact), ...(hiding ? { hiding } : {}) };
}

function pageOnly(tab: CapturableTab): InPageResult {
  const url = tab.url!;
  return {
    item: { url, ...(oneLineCap(tab.title, LIMITS.title) ? { pageTitle: oneLineCap(tab.title, LIMITS.title) } : {}), platform: platformOf(url), kind: 'page' },
    viewport: { width: 0, height: 0 },
    devicePixelRatio: 1,
  };
}

function elementCrop(box: Rect, read: InPageResult, image: { width: number; height: number } | undefined): Rect | null {
  return cropRect(box, read.viewport, read.devicePixelRatio, image);
}

/** A selection report carries the selected words; an image report with no post around it is an image item. */
function adjustForTrigger(item: Item, hints: LocateHints, read: InPageResult): Item {
  if (hints.kind === 'selection' && read.selectionText) return { ...item, text: read.selectionText.slice(0, LIMITS.capturedText) };
  if (hints.kind === 'image' && item.kind === 'page') return { ...item, kind: 'image' };
  return item;
}

async function cropPiece(kit: AnyCanvasKit, png: Uint8Array<ArrayBuffer>, crop: Rect): Promise<Piece> {
  const element = await cropImage(kit, await kit.decode(png, 'image/png'), crop, formatFor('element'));
  return { kind: 'element', mediaType: element.mediaType, bytes: element.bytes, width: element.width, height: element.height };
}

type Hashed = { evidence: Evidence; artefact: Artefact };

function present(pieces: Array<Hashed | undefined>): Hashed[] {
  return pieces.filter((piece): piece is Hashed => piece !== undefined);
}

interface Piece {
  kind: EvidenceKind;
  mediaType: Evidence['mediaType'];
  bytes: Uint8Array<ArrayBuffer>;
  width?: number;
  height?: number;
}

async function hashPiece(piece: Piece): Promise<Hashed> {
  const sha256 = await sha256Hex(piece.bytes);
  const evidence: Evidence = {
    sha256,
    mediaType: piece.mediaType,
    bytes: piece.bytes.byteLength,
    kind: piece.kind,
    ...(piece.width !== undefined && piece.height !== undefined ? { width: piece.width, height: piece.height } : {}),
  };
  return { evidence, artefact: { sha256, mediaType: piece.mediaType, bytes: piece.bytes } };
}
