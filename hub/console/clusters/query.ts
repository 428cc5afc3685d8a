/**
 * Clusters: the reports related to one report by what they are about — the same page (normalised URL), the same
 * author profile, a shared piece of evidence, or the same picture by its fingerprint (intimate-image abuse, where the
 * picture itself is never sent) — and, apart from those, the reports from the same reporter contact
 * (a repeat target), found by a keyed hash so the contact itself is never read.
 *
 * A cluster is the report and its direct neighbours, not the transitive closure: "related to this report" is what a
 * moderator can check by eye, and a chain (A shares a page with B, B an author with C) would pull in reports that
 * share nothing with the one being looked at. Members are found through the btree of report_keys; why each is a
 * member comes from the key arrays (003_triage.sql).
 */
import type { Outcome, ReportStatus } from '../../../lib/schema';
import type { Queryable } from '../../db';
import { DEFAULT_IMAGE_MATCH_DISTANCE, imageMatches, type ImageMatch } from '../../domain/perceptual';

/** At most this many members are listed (and acted on) at once. */
export const CLUSTER_LIMIT = 200;

export interface ClusterMember {
  reference: string;
  urgent: boolean;
  receivedAt: Date;
  status: ReportStatus;
  outcome: Outcome | null;
  assigneeEmail: string | null;
  duplicateOf: string | null;
  isAnchor: boolean;
  sameUrl: boolean;
  sameAuthor: boolean;
  sameEvidence: boolean;
  sameReporter: boolean;
  /** A fingerprinted picture of this member matches one of the anchor's (hub/domain/perceptual.ts). */
  sameImage: boolean;
  /** The keys this member shares with the anchor. */
  urls: string[];
  authors: string[];
  evidence: string[];
}

export interface Cluster {
  /** The anchor first among equals: every member in queue order (urgent first, then oldest first). */
  members: ClusterMember[];
  /** More than CLUSTER_LIMIT members exist. */
  capped: boolean;
  /** Other reports from the anchor's reporter contact, in queue order; not members unless related by content too. */
  sameReporter: Array<Pick<ClusterMember, 'reference' | 'status' | 'receivedAt'>>;
  /** Reports whose fingerprinted pictures match the anchor's, earliest first (members too, up to the limit). */
  sameImage: ImageMatch[];
}

/**
 * The cluster around `reference`, or undefined if there is no such report. Reports showing the same fingerprinted
 * picture (within `imageMatchDistance` bits) are members as well as those sharing a key.
 */
export async function clusterOf(db: Queryable, reference: string, imageMatchDistance = DEFAULT_IMAGE_MATCH_DISTANCE): Promise<Cluster | undefined> {
  const sameImage = await imageMatches(db, reference, imageMatchDistance, CLUSTER_LIMIT);
  const members = await db.query<ClusterMember>(
    `SELECT o.reference, o.urgent, o.received_at AS "receivedAt", o.status, o.outcome, m.email AS "assigneeEmail",
            o.duplicate_of AS "duplicateOf", o.reference = a.reference AS "isAnchor",
            o.url_keys && a.url_keys AS "sameUrl", o.author_keys && a.author_keys AS "sameAuthor",
            o.evidence_hashes && a.evidence_hashes AS "sameEvidence", o.contact_keys && a.contact_keys AS "sameReporter",
            o.reference <> a.reference AND o.reference = ANY($2::text[]) AS "sameImage",
            ARRAY(SELECT unnest(o.url_keys) INTERSECT SELECT unnest(a.url_keys) ORDER BY 1) AS urls,
            ARRAY(SELECT unnest(o.author_keys) INTERSECT SELECT unnest(a.author_keys) ORDER BY 1) AS authors,
            ARRAY(SELECT unnest(o.evidence_hashes) INTERSECT SELECT unnest(a.evidence_hashes) ORDER BY 1) AS evidence
       FROM reports a
       JOIN LATERAL (SELECT a.reference UNION ${sharing('a', "ohr_report_keys(a.url_keys, a.author_keys, a.evidence_hashes, '{}')")}
                     UNION SELECT unnest($2::text[])) AS found ON true
       JOIN reports o ON o.reference = found.reference
       LEFT JOIN moderators m ON m.id = o.assigned_to
      WHERE a.reference = $1
      ORDER BY o.urgent DESC, o.received_at, o.reference
      LIMIT ${CLUSTER_LIMIT + 1}`,
    [reference, sameImage.map((match) => match.reference)],
  );
  if (members.length === 0) return undefined;
  const sameReporter = await db.query<Cluster['sameReporter'][number]>(
    `SELECT o.reference, o.status, o.received_at AS "receivedAt"
       FROM reports a
       JOIN LATERAL (${sharing('a', "(SELECT 'c ' || k FROM unnest(a.contact_keys) AS k)")}) AS found ON true
       JOIN reports o ON o.reference = found.reference AND o.reference <> a.reference
      WHERE a.reference = $1
      ORDER BY o.urgent DESC, o.received_at, o.reference
      LIMIT ${CLUSTER_LIMIT}`,
    [reference],
  );
  return { members: members.slice(0, CLUSTER_LIMIT), capped: members.length > CLUSTER_LIMIT, sameReporter, sameImage };
}

/**
 * SQL for the references sharing one of `keys` (a set of report_keys keys) with `alias`'s report, at most
 * CLUSTER_LIMIT + 1 per key: each key is a short index-only range of report_keys, however common it is.
 */
function sharing(alias: string, keys: string): string {
  return `SELECT other.reference FROM ${keys} AS mine (key)
            CROSS JOIN LATERAL (SELECT k.reference FROM report_keys k WHERE k.key = mine.key AND k.reference <> ${alias}.reference
                                 LIMIT ${CLUSTER_LIMIT + 1}) AS other`;
}

/** What the anchor shares with at least one other member, for the page's summary. */
export function sharedKeys(cluster: Cluster): { urls: string[]; authors: string[]; evidence: string[] } {
  const others = cluster.members.filter((member) => !member.isAnchor);
  const union = (pick: (member: ClusterMember) => string[]) => [...new Set(others.flatMap(pick))].sort();
  return { urls: union((m) => m.urls), authors: union((m) => m.authors), evidence: union((m) => m.evidence) };
}
