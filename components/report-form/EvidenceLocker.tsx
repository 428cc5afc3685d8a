import { useState } from 'preact/hooks';
import { t, type MessageKey } from '@/lib/i18n';
import type { PackProgress } from '@/lib/evidence-pack/export';
import type { ImportResult } from '@/extension/evidence-pack/import';

/** Saves bytes as a file through a temporary link: no downloads permission, and nothing kept after the click. */
export function saveFile(bytes: Uint8Array<ArrayBuffer>, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Save an evidence pack": progress is announced file by file, and a failure is said in words. */
export function ExportPack({ exportPack }: { exportPack(onProgress: (progress: PackProgress) => void): Promise<void> }) {
  const [progress, setProgress] = useState<PackProgress>();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [failed, setFailed] = useState(false);
  const start = async () => {
    setState('busy');
    setFailed(false);
    try {
      await exportPack(setProgress);
      setState('done');
    } catch (error) {
      // The reason is for whoever debugs it; the person gets words about what to do.
      console.warn('OHR evidence pack:', error);
      setFailed(true);
      setState('idle');
    }
  };
  return (
    <div class="locker">
      <button type="button" class="secondary" disabled={state === 'busy'} onClick={() => void start()}>
        {t('locker.export')}
      </button>
      <p role="status" data-testid="export-status">
        {state === 'busy' && progress && (
          <>
            <progress max={progress.total} value={progress.done} aria-hidden="true" /> {t('locker.exporting', { done: progress.done, total: progress.total })}
          </>
        )}
        {state === 'done' && t('locker.exported')}
      </p>
      {failed && <p role="alert" class="problem">{t('locker.exportFailed')}</p>}
    </div>
  );
}

/** "Open an evidence pack": the file is checked completely before anything is stored, and a refusal says why. */
export function ImportPack({ importPack, opened }: { importPack(bytes: Uint8Array): Promise<ImportResult>; opened(draftId: string): void }) {
  const [message, setMessage] = useState<{ key: MessageKey; values?: Record<string, string | number>; problem: boolean }>();
  const choose = async (file: File | undefined) => {
    if (!file) return;
    const result = await importPack(new Uint8Array(await file.arrayBuffer()));
    if (!result.ok) {
      setMessage({ key: 'locker.refused', values: { reason: t(result.refusal.key, result.refusal.values) }, problem: true });
      return;
    }
    setMessage({ key: 'locker.imported', values: { date: result.createdAt.slice(0, 10), count: result.items }, problem: false });
    opened(result.draftId);
  };
  return (
    <div class="locker">
      <label for="import-pack">{t('locker.import')}</label>
      <input id="import-pack" type="file" accept=".zip,application/zip" onChange={(event) => void choose(event.currentTarget.files?.[0])} />
      {message && (
        <p role={message.problem ? 'alert' : 'status'} class={message.problem ? 'problem' : ''} data-testid="import-status">
          {t(message.key, message.values)}
        </p>
      )}
    </div>
  );
}
