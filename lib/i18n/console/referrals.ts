/** English words of the console's referrals pages; see ./index.ts. */
export const referralsEn = {
} as const;
