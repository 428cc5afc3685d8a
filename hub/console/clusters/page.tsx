/**
 * /console/clusters/:reference — a report and the reports related to it, side by side, with what they share, and one
 * form to act on several at once. The repeat-target note says how many reports came from the same person, never who.
 */
import type { VNode } from 'preact';
import { ct, ctn } from '../../../lib/i18n/console';
import { Outcome, ReportStatus } from '../../../lib/schema';
import { DEFAULT_IMAGE_MATCH_DISTANCE } from '../../domain/perceptual';
import type { Moderator } from '../auth/accounts';
import { outcomeLabel, statusLabel } from '../shared/labels';
import { ConsolePage, CsrfField, formatTime, Notice, ReferenceCell, type SessionView } from '../shared/layout';
import { clusterHref, href, referralsHref } from '../shared/links';
import { Reported } from '../shared/reported';
import { problemText, type BulkOutcome } from './actions';
import { CLUSTER_LIMIT, sharedKeys, type Cluster, type ClusterMember } from './query';

export interface ClusterPageProps {
  session: SessionView;
  reference: string;
  cluster: Cluster;
  moderators: Moderator[];
  flash?: BulkOutcome;
  /** Why a posted form could not be used, in words (answered with 400, no redirect). */
  formProblems?: string[];
  /** The hub's matching distance for fingerprinted pictures, said with the matches. */
  imageMatchDistance?: number;
}

export function ClusterPage({ session, reference, cluster, moderators, flash, formProblems, imageMatchDistance = DEFAULT_IMAGE_MATCH_DISTANCE }: ClusterPageProps): VNode {
  const others = cluster.members.filter((member) => !member.isAnchor);
  return (
    <ConsolePage title={ct('cluster.title', { reference })} session={session} current="queue">
      {formProblems && (
        <Notice kind="problem">
          {formProblems.map((problem) => (
            <p>{ct('cluster.badForm', { message: problem })}</p>
          ))}
        </Notice>
      )}
      {flash && flash.done > 0 && <Notice kind="done">{ctn('cluster.done', flash.done)}</Notice>}
      {flash && flash.problems.length > 0 && (
        <Notice kind="problem">
          {flash.problems.map((problem) => (
            <p>{problemText(problem)}</p>
          ))}
        </Notice>
      )}
      {cluster.sameReporter.length > 0 && <RepeatTarget cluster={cluster} />}
      {cluster.sameImage.length > 0 && <SameImage cluster={cluster} distance={imageMatchDistance} />}
      {others.length === 0 ? (
        <p>{ct('cluster.none')}</p>
      ) : (
        <>
          <p>{ct('cluster.intro', { reference })}</p>
          {cluster.capped && <p class="hint">{ct('cluster.capped', { count: CLUSTER_LIMIT })}</p>}
          <Shared cluster={cluster} />
        </>
      )}
      <form method="post" action={clusterHref(reference)}>
        <CsrfField />
        <Members members={cluster.members} />
        {others.length > 0 && <Actions moderators={moderators} />}
      </form>
      <p>
        <a href={referralsHref(cluster.members.map((member) => member.reference))}>
          {ctn('referral.openCluster', cluster.members.length)}
        </a>
      </p>
    </ConsolePage>
  );
}

function RepeatTarget({ cluster }: { cluster: Cluster }): VNode {
  return (
    <section aria-labelledby="repeat-heading">
      <h2 id="repeat-heading">{ct('cluster.why.reporter')}</h2>
      <p>
        <strong class="urgent">{ct('cluster.repeat', { count: cluster.sameReporter.length + 1 })}</strong>
      </p>
      <ul class="plain">
        {cluster.sameReporter.map((report) => (
          <li>
            <a href={href.report(report.reference)}>{report.reference}</a> · {statusLabel(report.status)} · {formatTime(report.receivedAt)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The same fingerprinted picture reported before (and after): said in words, with how close each match is, never the
 * picture (the hub has none) nor its fingerprint (which would let anyone holding the picture confirm it was reported).
 */
function SameImage({ cluster, distance }: { cluster: Cluster; distance: number }): VNode {
  const earlier = cluster.sameImage.filter((match) => match.earlier).length;
  const later = cluster.sameImage.length - earlier;
  return (
    <section aria-labelledby="image-heading">
      <h2 id="image-heading">{ct('cluster.image.heading')}</h2>
      <p>
        <strong>
          {earlier === 0 ? ct('cluster.image.earlierNone') : ctn('cluster.image.earlier', earlier)}
        </strong>
        {later > 0 && <> {ctn('cluster.image.later', later)}</>}
      </p>
      <ul class="plain">
        {cluster.sameImage.map((match) => (
          <li>
            <a href={href.report(match.reference)}>{ct('cluster.image.distance', { reference: match.reference, distance: match.distance })}</a> · {formatTime(match.receivedAt)}
          </li>
        ))}
      </ul>
      <p class="hint">{ct('cluster.image.hint', { distance })}</p>
    </section>
  );
}

function Shared({ cluster }: { cluster: Cluster }): VNode | null {
  const shared = sharedKeys(cluster);
  // Reports related only by the same image share no key to list.
  if (shared.urls.length + shared.authors.length + shared.evidence.length === 0) return null;
  const group = (title: string, values: string[]) =>
    values.length > 0 && (
      <>
        <dt>{title}</dt>
        <dd>
          <ul class="plain">
            {values.map((value) => (
              <li>
                <code>
                  <Reported text={value} />
                </code>
              </li>
            ))}
          </ul>
        </dd>
      </>
    );
  return (
    <section aria-labelledby="shared-heading">
      <h2 id="shared-heading">{ct('cluster.shared')}</h2>
      <dl class="fields">
        {group(ct('cluster.sharedUrls'), shared.urls)}
        {group(ct('cluster.sharedAuthors'), shared.authors)}
        {group(ct('cluster.sharedEvidence'), shared.evidence)}
      </dl>
    </section>
  );
}

function why(member: ClusterMember): string {
  if (member.isAnchor) return ct('cluster.this');
  const reasons: string[] = [];
  if (member.sameUrl) reasons.push(ct('cluster.why.url'));
  if (member.sameAuthor) reasons.push(ct('cluster.why.author'));
  if (member.sameEvidence) reasons.push(ct('cluster.why.evidence'));
  if (member.sameReporter) reasons.push(ct('cluster.why.reporter'));
  if (member.sameImage) reasons.push(ct('cluster.why.image'));
  return reasons.join(', ');
}

function Members({ members }: { members: ClusterMember[] }): VNode {
  const several = members.length > 1;
  return (
    <table>
      <caption>{ct('cluster.caption')}</caption>
      <thead>
        <tr>
          {several && <th scope="col">{ct('cluster.col.choose')}</th>}
          {several && <th scope="col">{ct('cluster.col.original')}</th>}
          <th scope="col">{ct('queue.col.reference')}</th>
          <th scope="col">{ct('cluster.col.why')}</th>
          <th scope="col">{ct('queue.col.received')}</th>
          <th scope="col">{ct('queue.col.status')}</th>
          <th scope="col">{ct('queue.col.assignee')}</th>
        </tr>
      </thead>
      <tbody>
        {members.map((member) => (
          <tr>
            {several && (
              <td>
                <input type="checkbox" name="reference" value={member.reference} aria-label={ct('cluster.choose', { reference: member.reference })} />
              </td>
            )}
            {several && (
              <td>
                <input
                  type="radio"
                  name="original"
                  value={member.reference}
                  checked={member.isAnchor}
                  aria-label={ct('cluster.original', { reference: member.reference })}
                />
              </td>
            )}
            <ReferenceCell reference={member.reference} urgent={member.urgent} />
            <td>{why(member)}</td>
            <td>{formatTime(member.receivedAt)}</td>
            <td>
              {statusLabel(member.status)}
              {member.outcome && ` · ${outcomeLabel(member.outcome)}`}
              {member.duplicateOf && (
                <>
                  {' · '}
                  {ct('cluster.duplicateOf', { reference: member.duplicateOf })}
                </>
              )}
            </td>
            <td>{member.assigneeEmail ?? ct('queue.unassigned')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Actions({ moderators }: { moderators: Moderator[] }): VNode {
  return (
    <fieldset>
      <legend>{ct('cluster.actions')}</legend>
      <div class="inline">
        <label for="bulk-assignee">{ct('cluster.assign')}</label>{' '}
        <select id="bulk-assignee" name="assignee">
          <option value="">{ct('queue.unassigned')}</option>
          {moderators.map((moderator) => (
            <option value={moderator.id}>{moderator.email}</option>
          ))}
        </select>{' '}
        <button type="submit" name="action" value="assign">
          {ct('cluster.assignSubmit')}
        </button>
      </div>
      <div class="inline">
        <label for="bulk-to">{ct('cluster.moveTo')}</label>{' '}
        <select id="bulk-to" name="to">
          {ReportStatus.options.map((status) => (
            <option value={status}>{statusLabel(status)}</option>
          ))}
        </select>{' '}
        <label for="bulk-outcome">{ct('cluster.outcome')}</label>{' '}
        <select id="bulk-outcome" name="outcome">
          <option value="">{ct('cluster.outcomeNone')}</option>
          {Outcome.options.map((outcome) => (
            <option value={outcome}>{outcomeLabel(outcome)}</option>
          ))}
        </select>{' '}
        <button type="submit" name="action" value="status">
          {ct('cluster.statusSubmit')}
        </button>
      </div>
      <p>
        <button type="submit" name="action" value="duplicate" aria-describedby="duplicate-hint">
          {ct('cluster.duplicateSubmit')}
        </button>
      </p>
      <p id="duplicate-hint" class="hint">
        {ct('cluster.duplicateHint')}
      </p>
    </fieldset>
  );
}
