import type { Delivery } from '@/extension/db';
import type { DoneResponse } from '@/extension/messages';
import type { Draft } from '@/extension/drafts';
import type { PackProgress } from '@/lib/evidence-pack/export';
import type { ImportResult } from '@/extension/evidence-pack/import';
import type { ReportDetails } from '@/lib/report/details';
import type { HiddenArea, MonitoringAnswers } from '@/lib/schema';
import type { Settings } from '@/extension/settings';
import type { ItemPreview } from './types';

/**
 * What the form needs from its host. The extension page implements it over IndexedDB and runtime messages; tests
 * implement it in memory; the widget will implement it over its own storage.
 */
export interface ReportFormApi {
  /** The draft if it is still being written; undefined when it is gone or already sent. */
  load(draftId: string): Promise<{ draft: Draft; items: ItemPreview[] } | undefined>;
  saveAnswers(draftId: string, details: ReportDetails, summary: string): Promise<void>;
  removeItem(draftId: string, index: number): Promise<void>;
  /** Keeps the areas to black out of one capture's pictures if the report is anonymous (`screenshot`: its hash). */
  setHiddenAreas?(draftId: string, screenshot: string, areas: HiddenArea[]): Promise<void>;
  loadSettings(): Promise<Settings>;
  send(draftId: string, summary: string, endpoints: string[]): Promise<DoneResponse>;
  /** Where a sent report has got to, one delivery per organisation; undefined once it has left this computer. */
  deliveries(draftId: string): Promise<Delivery[] | undefined>;
  /** Sets "keep nothing on this computer after a report is sent". */
  setKeepNothing(on: boolean): Promise<void>;
  /** Builds the report's evidence pack and hands it to the person as a file. */
  exportPack(draftId: string, onProgress: (progress: PackProgress) => void): Promise<void>;
  importPack(bytes: Uint8Array): Promise<ImportResult>;
  /** Opens the form on another draft (an evidence pack just imported). */
  openDraft(draftId: string): void;
  openReports(): void;
  /**
   * Sends the optional equality monitoring answers for a sent report to every organisation it went to. Optional: a
   * host that cannot send them does not offer the questions.
   */
  answerMonitoring?(draftId: string, answers: MonitoringAnswers): Promise<DoneResponse>;
  /** Replaces the page with a neutral one, leaving nothing in its history to go back to. */
  quickExit(): void;
}
