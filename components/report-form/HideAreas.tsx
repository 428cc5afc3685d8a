import { useEffect, useRef, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/lib/i18n';
import { LIMITS, type HiddenArea } from '@/lib/schema';

type Box = Pick<HiddenArea, 'x' | 'y' | 'width' | 'height'>;

interface HideAreasProps {
  /** The viewport screenshot as captured. */
  image: Blob;
  size: { width: number; height: number };
  areas: readonly HiddenArea[];
  onChange(areas: HiddenArea[]): void;
}

/** Smallest area worth marking, in the picture's pixels: a stray click is not an area. */
const MIN_SIDE = 8;
/** How far one arrow key press moves or resizes the marker, as a share of the picture's side. */
const STEP = 0.02;

/**
 * An anonymous report's picture as it will be sent: the areas that will be blacked out drawn black over it (the sent
 * picture is painted over exactly these rectangles), a list of them that the person can undo, and a way to mark
 * more, by dragging across the picture or with the keyboard. Blurred until the person chooses to look.
 */
export function HideAreas({ image, size, areas, onChange }: HideAreasProps) {
  const [url, setUrl] = useState<string>();
  const [revealed, setRevealed] = useState(false);
  const [marker, setMarker] = useState<Box>();
  const stage = useRef<HTMLDivElement>(null);
  const markerRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number } | undefined>(undefined);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(image);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [image]);
  useEffect(() => {
    if (marker && !drag.current) markerRef.current?.focus();
  }, [marker !== undefined]);

  const full = areas.length >= LIMITS.hiddenAreas;
  const add = (box: Box) => {
    if (full || box.width < MIN_SIDE || box.height < MIN_SIDE) return;
    onChange([...areas, { ...rounded(box), reason: 'marked' }]);
    setMarker(undefined);
  };
  const startMarking = () => {
    setRevealed(true);
    setMarker({ x: size.width * 0.4, y: size.height * 0.4, width: size.width * 0.2, height: size.height * 0.2 });
  };

  const pointAt = (event: PointerEvent) => {
    const box = stage.current!.getBoundingClientRect();
    return {
      x: clamp(((event.clientX - box.left) / box.width) * size.width, 0, size.width),
      y: clamp(((event.clientY - box.top) / box.height) * size.height, 0, size.height),
    };
  };
  const onPointerDown = (event: PointerEvent) => {
    if (!revealed || full) return;
    drag.current = pointAt(event);
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    setMarker({ ...drag.current, width: 0, height: 0 });
  };
  const onPointerMove = (event: PointerEvent) => {
    if (!drag.current) return;
    const at = pointAt(event);
    const from = drag.current;
    setMarker({ x: Math.min(from.x, at.x), y: Math.min(from.y, at.y), width: Math.abs(at.x - from.x), height: Math.abs(at.y - from.y) });
  };
  const onPointerUp = () => {
    if (!drag.current) return;
    drag.current = undefined;
    if (marker && marker.width >= MIN_SIDE && marker.height >= MIN_SIDE) add(marker);
    else setMarker(undefined);
  };
  const onMarkerKey = (event: KeyboardEvent) => {
    if (!marker) return;
    if (event.key === 'Enter') return void (event.preventDefault(), add(marker));
    if (event.key === 'Escape') return void (event.preventDefault(), setMarker(undefined));
    const delta = arrowDelta(event.key);
    if (!delta) return;
    event.preventDefault();
    setMarker(event.shiftKey ? resized(marker, delta, size) : moved(marker, delta, size));
  };

  if (!url) return null;
  return (
    <section class="hide-areas" data-testid="hide-areas">
      <h3>{t('hide.heading')}</h3>
      <p>{t(areas.length ? 'hide.intro' : 'hide.nothingFound')}</p>
      <figure class="screenshot">
        <figcaption>{t('popup.contentWarning')}</figcaption>
        <div class="hide-stage" ref={stage} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp}>
          <img src={url} alt={t('hide.pictureAlt')} class={revealed ? '' : 'blurred'} draggable={false} />
          {areas.map((area, index) => (
            <div key={index} class="hidden-area" style={placed(area, size)} aria-hidden="true" data-testid="hidden-area" />
          ))}
          {marker && (
            <div ref={markerRef} class="hide-marker" style={placed(marker, size)} tabIndex={0} role="img" aria-label={t('hide.marker')}
              onKeyDown={onMarkerKey} data-testid="hide-marker" />
          )}
        </div>
        <button type="button" class="secondary" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
          {revealed ? t('popup.hidePicture') : t('popup.showPicture')}
        </button>
      </figure>
      {areas.length > 0 && (
        <>
          <h4>{t('hide.listHeading')}</h4>
          <ol class="hidden-areas">
            {areas.map((area, index) => (
              <li key={index}>
                <span>{t(`hide.reason.${area.reason}` as MessageKey, { number: index + 1 })}</span>
                <button type="button" class="secondary" onClick={() => onChange(areas.filter((_area, at) => at !== index))}>
                  {t('hide.unhide', { number: index + 1 })}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {full && <p class="hint">{t('hide.tooMany')}</p>}
      {marker ? (
        <div class="hide-marking">
          <p class="hint">{t('hide.markHelp')}</p>
          <div class="actions">
            <button type="button" onClick={() => add(marker)}>{t('hide.add')}</button>
            <button type="button" class="secondary" onClick={() => setMarker(undefined)}>{t('hide.cancel')}</button>
          </div>
        </div>
      ) : (
        !full && <button type="button" class="secondary" onClick={startMarking}>{t('hide.mark')}</button>
      )}
    </section>
  );
}

function placed(box: Box, size: { width: number; height: number }) {
  const percent = (value: number, of: number) => `${(100 * value) / of}%`;
  return { left: percent(box.x, size.width), top: percent(box.y, size.height), width: percent(box.width, size.width), height: percent(box.height, size.height) };
}

function rounded(box: Box): Box {
  return { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function arrowDelta(key: string): { x: number; y: number } | undefined {
  return ({ ArrowLeft: { x: -1, y: 0 }, ArrowRight: { x: 1, y: 0 }, ArrowUp: { x: 0, y: -1 }, ArrowDown: { x: 0, y: 1 } } as const)[key as 'ArrowLeft'];
}

function moved(box: Box, delta: { x: number; y: number }, size: { width: number; height: number }): Box {
  return {
    ...box,
    x: clamp(box.x + delta.x * STEP * size.width, 0, size.width - box.width),
    y: clamp(box.y + delta.y * STEP * size.height, 0, size.height - box.height),
  };
}

function resized(box: Box, delta: { x: number; y: number }, size: { width: number; height: number }): Box {
  return {
    ...box,
    width: clamp(box.width + delta.x * STEP * size.width, MIN_SIDE, size.width - box.x),
    height: clamp(box.height + delta.y * STEP * size.height, MIN_SIDE, size.height - box.y),
  };
}
