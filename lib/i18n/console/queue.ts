/** English words of the console's queue pages; see ./index.ts. */
export const queueEn = {
} as const;
