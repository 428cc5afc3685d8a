/**
 * What the report view needs from two other features, as the report view names it: features never import each
 * other, so hub/console/index.ts (where features are composed) hands these in. The cluster feature's `clusterOf` fits
 * `RelatedReports`; the queue feature's `queueNeighbours` answers `neighbours` in the queue's own order and filters.
 */
import type { ReportStatus } from '../../../lib/schema';
import type { Queryable } from '../../db';

/** Reports related to this one by what they are about, and those from the same reporter contact. */
export interface RelatedReports {
  members: Array<{ reference: string; urgent: boolean; status: ReportStatus; isAnchor: boolean; sameUrl: boolean; sameAuthor: boolean; sameEvidence: boolean }>;
  capped: boolean;
  sameReporter: Array<{ reference: string }>;
}

/** A report of a queue, with the queue's query string for its own page (so moving on keeps the queue's place). */
export interface InQueue {
  reference: string;
  query: string;
}

export interface QueuePosition {
  previous: InQueue | undefined;
  next: InQueue | undefined;
}

export interface ReportPorts {
  related(db: Queryable, reference: string): Promise<RelatedReports | undefined>;
  /**
   * The reports before and after `reference` in the queue described by `query` (the queue page's query string) as
   * `moderatorId` sees it; undefined when the query is not a queue the queue page would show.
   */
  neighbours(db: Queryable, query: string, reference: string, moderatorId: string): Promise<QueuePosition | undefined>;
}
