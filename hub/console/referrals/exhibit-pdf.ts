/**
 * The exhibit PDF in a police case file (pdf-lib): one A4 document per report that an officer who has never heard of
 * OHR can read and print: what was captured (address, website, account, titles, the time shown on the page, the
 * captured text as text), the screenshots, every file's SHA-256, when and with what it was captured, the hub's signed
 * receipt and the trusted timestamps (authority, time, serial), and the chain of custody in words.
 *
 * Text is drawn in DejaVu Sans when the machine has it (Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic
 * letters), embedded as a subset, else in Helvetica (Latin only). A character the font cannot show is written as its
 * Unicode number (U+1F600) and the document says so; right-to-left text is drawn letter by letter, unshaped. The
 * report.json beside it holds the exact text. Captured text goes through `visible`, so bidi overrides and invisible
 * characters are shown rather than obeyed. Deterministic: the document's dates are the case file's own time.
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { ct } from '../../../lib/i18n/console';
import type { ReportVerdict } from '../../../lib/integrity/verify';
import type { Report, SignedReceipt } from '../../../lib/schema';
import { visible } from '../../../lib/text/reported';
import type { StoredTimestamp } from '../../domain/timestamps';
import { platformLabel } from '../shared/labels';
import type { StoredEvidence } from './sources';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const WIDTH = A4[0] - 2 * MARGIN;
const BODY = 10.5;
const SMALL = 9;

/** Fonts looked for on the machine, regular and bold; the first pair found is embedded. */
const FONT_FILES: ReadonlyArray<readonly [string, string]> = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'],
];

function fontBytes(): [Uint8Array, Uint8Array] | undefined {
  for (const [regular, bold] of FONT_FILES) {
    try {
      return [readFileSync(regular), readFileSync(bold)];
    } catch {
      // not on this machine: try the next
    }
  }
  return undefined;
}

export interface ExhibitInput {
  exhibit: string;
  organisation: string;
  generatedAt: string;
  reference: string;
  receivedAt: string;
  /** The report as it goes to the police (contact details withheld unless agreed). */
  report: Report;
  verdict: ReportVerdict;
  evidence: readonly StoredEvidence[];
  /** SHA-256 of the report as received (its canonical JSON). */
  reportSha256: string;
  receipt?: SignedReceipt | undefined;
  /** Where the hub publishes its receipt keys (its discovery address). */
  keysUrl: string;
  timestamps: readonly StoredTimestamp[];
  /** The chain of custody, one sentence a line (custody-words.ts). */
  custody: readonly string[];
}

class Writer {
  private page!: PDFPage;
  private y = 0;
  readonly pages: PDFPage[] = [];
  private readonly supported: Set<number>;

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.supported = new Set(regular.getCharacterSet());
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN;
  }

  private room(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }

  /** The text with what the font cannot draw written as U+XXXX, and line breaks as spaces. */
  private drawable(text: string): string {
    let out = '';
    for (const char of text.replace(/[\r\n\t]+/g, ' ')) {
      const code = char.codePointAt(0)!;
      out += this.supported.has(code) ? char : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
    return out;
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= width;
    for (const word of this.drawable(text).split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      // A word wider than the line (a long address) is broken where it must be.
      let rest = word;
      while (!fits(rest)) {
        let cut = rest.length - 1;
        while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    if (line) lines.push(line);
    return lines.length ? lines : [''];
  }

  text(text: string, options: { size?: number; bold?: boolean; indent?: number; gap?: number } = {}): void {
    const size = options.size ?? BODY;
    const font = options.bold ? this.bold : this.regular;
    const indent = options.indent ?? 0;
    for (const paragraph of text.split('\n')) {
      for (const line of this.wrap(paragraph, font, size, WIDTH - indent)) {
        this.room(size * 1.4);
        this.y -= size * 1.4;
        this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: rgb(0, 0, 0) });
      }
    }
    this.y -= options.gap ?? size * 0.5;
  }

  heading(text: string, size = 14): void {
    this.room(size * 3);
    this.y -= size * 0.6;
    this.text(text, { size, bold: true, gap: size * 0.3 });
  }

  field(label: string, value: string | undefined): void {
    if (value === undefined || value === '') return;
    this.text(label, { size: SMALL, bold: true, gap: 1 });
    this.text(value, { indent: 12, gap: 5 });
  }

  image(image: PDFImage, caption: string): void {
    const maxHeight = A4[1] - 2 * MARGIN - 60;
    const scale = Math.min(WIDTH / image.width, maxHeight / image.height, 1);
    const width = image.width * scale;
    const height = image.height * scale;
    this.room(height + 30);
    this.y -= height;
    this.page.drawImage(image, { x: MARGIN, y: this.y, width, height });
    this.page.drawRectangle({ x: MARGIN, y: this.y, width, height, borderColor: rgb(0.4, 0.4, 0.4), borderWidth: 0.5 });
    this.y -= 4;
    this.text(caption, { size: SMALL, gap: 10 });
  }

  footer(exhibit: string, reference: string): void {
    this.pages.forEach((page, index) => {
      const words = `${this.drawable(ct('exhibit.footer', { exhibit, reference }))} · ${ct('exhibit.page', { n: index + 1, total: this.pages.length })}`;
      page.drawText(words, { x: MARGIN, y: MARGIN - 24, size: SMALL, font: this.regular, color: rgb(0.25, 0.25, 0.25) });
    });
  }
}

const utc = (value: string) => `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

async function embedPicture(doc: PDFDocument, file: StoredEvidence): Promise<PDFImage | undefined> {
  try {
    if (file.mediaType === 'image/png') return await doc.embedPng(file.bytes);
    if (file.mediaType === 'image/jpeg') return await doc.embedJpg(file.bytes);
  } catch {
    // A file the PDF library cannot read is listed by its hash instead of shown.
  }
  return undefined;
}

function itemPart(writer: Writer, input: ExhibitInput, item: Report['items'][number], index: number): void {
  writer.heading(ct('exhibit.itemHeading', { number: index + 1 }), 13);
  const author = [item.author?.displayName, item.author?.handle && `@${item.author.handle}`, item.author?.profileUrl].filter(Boolean).join('  ');
  writer.field(ct('exhibit.address'), item.url);
  writer.field(ct('exhibit.platform'), platformLabel(item.platform));
  writer.field(ct('exhibit.kind'), item.kind);
  writer.field(ct('exhibit.author'), author ? visible(author) : undefined);
  writer.field(ct('exhibit.title.page'), item.pageTitle && visible(item.pageTitle));
  writer.field(ct('exhibit.title.post'), item.title && visible(item.title));
  writer.field(ct('exhibit.posted'), item.postedAt);
  writer.field(ct('exhibit.captured'), utc(item.capturedAt));
  const manifest = input.report.captureManifests?.find((entry) => entry.itemIndex === index);
  writer.field(ct('exhibit.capturedWith'), [ct(`exhibit.method.${item.captureMethod}`), manifest && `${manifest.tool.app} ${manifest.tool.version}, ${manifest.browser}`].filter(Boolean).join('; '));
  writer.field(ct('exhibit.text'), item.text && visible(item.text));
  const verdict = input.verdict.items.find((entry) => entry.itemIndex === index);
  writer.text(verdict && !verdict.ok ? ct('exhibit.notVerified') : manifest?.signature ? ct('exhibit.signed') : ct('exhibit.unsigned'), { size: SMALL, bold: !!verdict && !verdict.ok, gap: 8 });
}

export async function exhibitPdf(input: ExhibitInput): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create();
  const when = new Date(input.generatedAt);
  doc.setTitle(ct('exhibit.title', { exhibit: input.exhibit }));
  doc.setSubject(ct('exhibit.subtitle'));
  doc.setProducer('Online Harms Reporter hub');
  doc.setCreator(input.organisation);
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  const bytes = fontBytes();
  let regular: PDFFont;
  let bold: PDFFont;
  if (bytes) {
    doc.registerFontkit(fontkit);
    regular = await doc.embedFont(bytes[0], { subset: true });
    bold = await doc.embedFont(bytes[1], { subset: true });
  } else {
    regular = await doc.embedFont(StandardFonts.Helvetica);
    bold = await doc.embedFont(StandardFonts.HelveticaBold);
  }
  const writer = new Writer(doc, regular, bold);
  writer.text(ct('exhibit.title', { exhibit: input.exhibit }), { size: 20, bold: true, gap: 4 });
  writer.text(ct('exhibit.subtitle'), { size: 12, gap: 10 });
  writer.text(ct('exhibit.intro', { organisation: input.organisation, date: utc(input.generatedAt), reference: input.reference, received: utc(input.receivedAt) }), { gap: 6 });
  writer.text(ct('exhibit.glyphs'), { size: SMALL, gap: 8 });

  input.report.items.forEach((item, index) => itemPart(writer, input, item, index));

  const byHash = new Map(input.evidence.map((file) => [file.sha256, file]));
  for (const [index, item] of input.report.items.entries()) {
    let n = 0;
    for (const entry of item.evidence) {
      const file = byHash.get(entry.sha256);
      if (!file || entry.mediaType === 'text/html') continue;
      n++;
      const picture = await embedPicture(doc, file);
      const caption = ct('exhibit.screenshot', { n, item: index + 1, sha256: entry.sha256 });
      if (picture) writer.image(picture, caption);
      else writer.text(`${caption}. ${ct('exhibit.notEmbedded', { mediaType: entry.mediaType, file: entry.sha256 })}`, { size: SMALL, gap: 8 });
    }
  }

  writer.heading(ct('exhibit.filesHeading'));
  writer.text(ct('exhibit.filesIntro'), { size: SMALL, gap: 6 });
  for (const [index, item] of input.report.items.entries()) {
    for (const entry of item.evidence) writer.text(ct('exhibit.file', { item: index + 1, kind: entry.kind, bytes: entry.bytes, sha256: entry.sha256 }), { size: SMALL, gap: 3 });
  }

  writer.heading(ct('exhibit.receiptHeading'));
  const receipt = input.receipt;
  writer.text(
    receipt
      ? ct('exhibit.receipt', { hub: receipt.payload.hub, reference: receipt.payload.reference, time: utc(receipt.payload.receivedAt), sha256: receipt.payload.reportSha256, kid: receipt.publicKey.kid, url: input.keysUrl })
      : ct('exhibit.noReceipt'),
  );

  writer.heading(ct('exhibit.timestampsHeading'));
  if (input.timestamps.length === 0) writer.text(ct('exhibit.noTimestamps'));
  else {
    writer.text(`${ct('exhibit.timestampsIntro')} ${input.reportSha256}`, { gap: 6 });
    let n = 0;
    for (const stamp of input.timestamps) {
      if (stamp.state === 'granted' && stamp.genTime) {
        n++;
        writer.text(ct('exhibit.timestamp', { tsa: stamp.tsa ?? stamp.tsaUrl, time: utc(stamp.genTime), serial: stamp.serial ?? '?', n }), { indent: 12, gap: 4 });
      } else writer.text(ct('exhibit.timestampPending', { url: stamp.tsaUrl, attempts: stamp.attempts }), { indent: 12, gap: 4 });
    }
    writer.text(ct('exhibit.timestampCheck'), { size: SMALL, gap: 8 });
  }

  writer.heading(ct('custody.heading'));
  writer.text(ct('custody.intro', { organisation: input.organisation }), { size: SMALL, gap: 6 });
  for (const line of input.custody) writer.text(line, { size: SMALL, gap: 3 });

  writer.footer(input.exhibit, input.reference);
  return (await doc.save({ useObjectStreams: false })) as Uint8Array<ArrayBuffer>;
}
