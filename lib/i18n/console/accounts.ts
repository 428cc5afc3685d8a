/** English words of the console's accounts pages; see ./index.ts. */
export const accountsEn = {
} as const;
