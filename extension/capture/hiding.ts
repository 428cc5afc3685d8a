/**
 * Hiding the person's own account in an anonymous report's pictures (issue 23). A capture notes where the signed-in
 * account shows (`SelfOnPage`) as a plan kept with the draft on this computer; whether the report is anonymous is
 * decided later, in the form. When it is, every copy that leaves the computer carries pictures with those areas (and
 * any the person marked) blacked out and hashed afresh, the areas listed on each picture's evidence entry and in its
 * signed capture manifest; the person's own posts leave the item's context; the HTML snapshot is the one made with
 * them emptied. The original pictures stay in this computer's store, and are never sent with an anonymous report.
 */
import type { Artefact } from '@/lib/report/artefact';
import { sha256Hex } from '@/lib/hash';
import type { Evidence, HiddenArea, Item, Report } from '@/lib/schema';
import { LIMITS } from '@/lib/schema';
import type { SelfOnPage } from './extract/in-page';
import { cropRect, type Rect, type Size } from './screenshot/crop';
import { formatFor } from './screenshot/format';
import { hideAreas, type CanvasKit, type PaintableCanvas } from './screenshot/pixels';

/** Where the person's own account shows in one capture's pictures. Kept in the draft; never sent. */
export interface HidingPlan {
  /** The viewport screenshot's hash: the item whose pictures this plan is for. */
  screenshot: string;
  /** The signed-in account's handle, to take its own posts out of the item's context. */
  handle?: string;
  /** In the screenshot's pixels: found by the capture, and marked by the person (`reason: 'marked'`). */
  areas: HiddenArea[];
  /** The post cut out of the screenshot: the same areas, moved by the crop's corner. */
  element?: { sha256: string; crop: Rect };
  /** The HTML snapshot, and the one made with the person's own posts inside the reported post emptied. */
  snapshot?: { sha256: string; hidden: { sha256: string; bytes: number } };
}

/** The canvas work hiding needs; the browser's (`browserCanvasKit`) in the extension, a stand-in under test. */
export type PaintKit = CanvasKit<ImageBitmap, PaintableCanvas<ImageBitmap>>;

/** The plan for one capture, or undefined when nothing of the person's own account was found. */
export function planHiding(
  self: SelfOnPage | undefined,
  capture: {
    viewport: Size;
    devicePixelRatio: number;
    image?: Size;
    screenshot: string;
    element?: { sha256: string; crop: Rect };
    snapshot?: string;
    hiddenSnapshot?: { sha256: string; bytes: number };
  },
): HidingPlan | undefined {
  if (!self) return undefined;
  const areas = self.areas.flatMap(({ reason, ...area }): HiddenArea[] => {
    const inPicture = cropRect(area, capture.viewport, capture.devicePixelRatio, capture.image);
    return inPicture ? [{ ...inPicture, reason }] : [];
  });
  const snapshot = capture.snapshot && capture.hiddenSnapshot ? { sha256: capture.snapshot, hidden: capture.hiddenSnapshot } : undefined;
  if (!areas.length && !self.handle && !snapshot) return undefined;
  return {
    screenshot: capture.screenshot,
    ...(self.handle ? { handle: self.handle } : {}),
    areas: areas.slice(0, LIMITS.hiddenAreas),
    ...(capture.element ? { element: capture.element } : {}),
    ...(snapshot ? { snapshot } : {}),
  };
}

/** The plan for an item, found by its screenshot's hash. */
export function planFor(item: Pick<Item, 'evidence'>, plans: readonly HidingPlan[] | undefined): HidingPlan | undefined {
  return plans?.find((plan) => item.evidence.some((evidence) => evidence.sha256 === plan.screenshot));
}

/** Does hiding change anything in this item (areas to black out, own posts in its context, a snapshot to swap)? */
export function hidesAnything(item: Item, plan: HidingPlan | undefined): boolean {
  return !!plan && (plan.areas.length > 0 || !!plan.snapshot || ownPostsIn(item, plan.handle));
}

/** A person's marked area, added to the plan (areas beyond the limit are refused rather than dropped silently). */
export function withMarkedArea(plan: HidingPlan, area: Rect): HidingPlan {
  if (plan.areas.length >= LIMITS.hiddenAreas) throw new RangeError('too many hidden areas');
  const whole = { x: Math.max(0, Math.round(area.x)), y: Math.max(0, Math.round(area.y)), width: Math.max(1, Math.round(area.width)), height: Math.max(1, Math.round(area.height)) };
  return { ...plan, areas: [...plan.areas, { ...whole, reason: 'marked' }] };
}

export function withoutArea(plan: HidingPlan, index: number): HidingPlan {
  return { ...plan, areas: plan.areas.filter((_area, at) => at !== index) };
}

export interface HidingIo {
  kit: PaintKit;
  /** An artefact's bytes from this computer's store. */
  read(sha256: string): Promise<Uint8Array<ArrayBuffer> | undefined>;
}

/**
 * The report as an anonymous report leaves the computer: each captured item's pictures with the person's own account
 * hidden, and the new pictures' bytes (to store before the report is queued). Throws when a picture to hide is not in
 * the store: sending it unhidden is never the fallback.
 */
export async function hideInReport(report: Report, plans: readonly HidingPlan[] | undefined, io: HidingIo): Promise<{ report: Report; artefacts: Artefact[] }> {
  const artefacts: Artefact[] = [];
  const items: Item[] = [];
  for (const item of report.items) {
    const plan = planFor(item, plans);
    if (!hidesAnything(item, plan)) {
      items.push(item);
      continue;
    }
    const evidence: Evidence[] = [];
    for (const entry of item.evidence) {
      const hidden = await hideInEvidence(entry, plan!, io);
      if (!hidden) continue;
      evidence.push(hidden.evidence);
      if (hidden.artefact) artefacts.push(hidden.artefact);
    }
    items.push(withoutOwnPosts({ ...item, evidence }, plan!.handle));
  }
  return { report: { ...report, items }, artefacts };
}

/** One evidence entry of a planned item as sent: hidden, swapped, unchanged, or left out (undefined). */
async function hideInEvidence(entry: Evidence, plan: HidingPlan, io: HidingIo): Promise<{ evidence: Evidence; artefact?: Artefact } | undefined> {
  if (entry.kind === 'screenshot' && entry.sha256 === plan.screenshot) return paint(entry, plan.areas, io);
  if (entry.kind === 'element' && plan.element?.sha256 === entry.sha256) return paint(entry, within(plan.areas, plan.element.crop), io);
  if (entry.kind === 'html_snapshot' && plan.snapshot?.sha256 === entry.sha256) {
    return { evidence: { ...entry, sha256: plan.snapshot.hidden.sha256, bytes: plan.snapshot.hidden.bytes } };
  }
  // A stitched page may show the account in every frame (fixed headers): it is not sent when anything was found.
  if (entry.kind === 'full_page' && plan.areas.length > 0) return undefined;
  return { evidence: entry };
}

async function paint(entry: Evidence, areas: HiddenArea[], io: HidingIo): Promise<{ evidence: Evidence; artefact?: Artefact }> {
  if (!areas.length) return { evidence: entry };
  const bytes = await io.read(entry.sha256);
  if (!bytes) throw new Error(`The picture ${entry.sha256.slice(0, 12)} to hide the account in is not on this computer`);
  const format = formatFor(entry.kind === 'element' ? 'element' : 'screenshot');
  const image = await hideAreas(io.kit, await io.kit.decode(bytes, entry.mediaType), areas, format);
  const sha256 = await sha256Hex(image.bytes);
  const { hidden: _earlier, ...rest } = entry;
  return {
    evidence: { ...rest, sha256, mediaType: image.mediaType, bytes: image.bytes.byteLength, width: image.width, height: image.height, hidden: areas },
    artefact: { sha256, mediaType: image.mediaType, bytes: image.bytes },
  };
}

/** The areas that fall inside `crop`, in the crop's own pixels. */
export function within(areas: readonly HiddenArea[], crop: Rect): HiddenArea[] {
  return areas.flatMap((area) => {
    const left = Math.max(area.x, crop.x);
    const top = Math.max(area.y, crop.y);
    const right = Math.min(area.x + area.width, crop.x + crop.width);
    const bottom = Math.min(area.y + area.height, crop.y + crop.height);
    return right > left && bottom > top ? [{ x: left - crop.x, y: top - crop.y, width: right - left, height: bottom - top, reason: area.reason }] : [];
  });
}

const isOwn = (handle: string | undefined) => (post: { author?: { handle?: string } } | undefined) =>
  !!handle && !!post?.author?.handle && post.author.handle.toLowerCase() === handle.toLowerCase();

function ownPostsIn(item: Item, handle: string | undefined): boolean {
  const own = isOwn(handle);
  return own(item.context?.parent) || !!item.context?.thread?.some(own);
}

/** The item without the person's own posts in its context (what it answered, the thread). */
function withoutOwnPosts(item: Item, handle: string | undefined): Item {
  if (!item.context || !ownPostsIn(item, handle)) return item;
  const own = isOwn(handle);
  const { context, ...rest } = item;
  const parent = context.parent && !own(context.parent) ? context.parent : undefined;
  const thread = context.thread?.filter((post) => !own(post));
  const kept = { ...(parent ? { parent } : {}), ...(thread?.length ? { thread } : {}) };
  return Object.keys(kept).length ? { ...rest, context: kept } : rest;
}
