import type { Item, Platform } from '@/lib/schema';

/**
 * What a page's DOM can say about one captured thing: the schema's `Item` without what only the capture step knows
 * (time, method, evidence), plus the post's image URLs so the background can offer to keep them.
 */
export type ExtractedItem = Omit<Item, 'capturedAt' | 'captureMethod' | 'evidence'> & { imageUrls?: string[] };
export type ExtractedAuthor = NonNullable<Item['author']>;
export type ExtractedContextPost = NonNullable<NonNullable<Item['context']>['parent']>;

/** The post-level fields one extractor reads; page-level ones (url, platform, title) are filled in by `extractItem`. */
export type PostFields = Partial<
  Pick<ExtractedItem, 'kind' | 'author' | 'postedAt' | 'title' | 'text' | 'permalink' | 'lang' | 'context' | 'imageUrls'>
>;

/** The page a post sits on: what every extractor may read besides the post's own subtree. */
export interface PageContext {
  document: Document;
  /** The page's address (absolute). */
  url: string;
  /** Base for relative links. */
  base: string;
  canonicalUrl?: string;
}

/** One platform's knowledge: how to find a post around the right-clicked element and read it. */
export interface PlatformExtractor {
  platform: Platform;
  /** Does the page look like this platform even when its address does not say so (Mastodon instances, saved pages)? */
  detect?(page: PageContext): boolean;
  /** The post's root element around `target`, or null when this platform's markers are not there. */
  findRoot(target: Element, page: PageContext): Element | null;
  /** Read the post at `root`. Absent fields are left out; nothing is guessed. */
  extract(root: Element, page: PageContext): PostFields;
  /** A post read from page metadata when no post element is under the cursor (meta-only shells). */
  extractPage?(page: PageContext): PostFields;
}
