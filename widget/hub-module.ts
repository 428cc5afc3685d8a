import type { Discovery } from '@/lib/schema';

/** A module of the widget's that the hub serves beside its script (`pdq.js`, `seal.js`), loaded only when needed. */
export const hubModule = <T>({ submitUrl }: Pick<Discovery, 'submitUrl'>, file: string) =>
  import(/* @vite-ignore */ new URL(`/widget/${file}`, submitUrl).href) as Promise<T>;
