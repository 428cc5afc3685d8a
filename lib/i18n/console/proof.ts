/**
 * English words of the report's proof (signed receipt, trusted timestamps), the chain of custody in words and the
 * exhibit PDF for the police; see ./index.ts. Written for a reader who has never heard of OHR.
 */
export const proofEn = {
  'proof.heading': 'Receipt and trusted timestamps',
  'proof.intro':
    'The hub signs a receipt for every report it files. A timestamp authority, an independent service, signs that it saw the report’s SHA-256 below at the time it states. The police case file carries both, and the exhibit PDF explains them.',
  'proof.reportHash': 'SHA-256 of the report as received',
  'proof.none': 'No timestamp authority was set up when this report arrived (timestampAuthorities in the hub’s settings), so it has no trusted timestamp.',
  'proof.authority': 'Authority',
  'proof.state': 'State',
  'proof.time': 'Time (UTC)',
  'proof.serial': 'Serial number',
  'proof.granted': 'given',
  'proof.waiting': 'not asked yet',
  'proof.retrying': 'asked {attempts} times without an answer; next try {next}',
  'proof.lastError': 'Last answer: {error}',

  'custody.heading': 'Chain of custody',
  'custody.intro':
    'Everything done with this report at {organisation}, from the hub’s audit log, oldest first; times are UTC. The audit log is a hash chain: an entry edited, removed or slipped in later shows when the chain is checked (npm run hub -- verify-audit). The words of internal notes, of notes shown to the reporter and of questions, and contact details the reporter did not agree to share, are not part of this file.',
  'custody.hub': 'the hub',
  'custody.reporter': 'the person who reported it',
  'custody.received': '{at}: {hub} received the report and filed it as {reference} (SHA-256 of the report as received: {sha256}).',
  'custody.line': '{at}: {sentence}',
  'custody.evidenceView': '{actor} opened evidence file {sha256}.',
  'custody.contactReveal': '{actor} asked to see the reporter’s contact details.',
  'custody.caseFile': '{actor} exported a police case file (SHA-256 of the file: {sha256}).',
  'custody.caseFileContact': '{actor} added the reporter’s contact details, opened from their sealed block in {actor}’s browser, to a police case file (SHA-256 of the file: {sha256}).',
  'custody.dsaNotice': '{actor} prepared a notice to the platform (SHA-256 of the notice: {sha256}).',
  'custody.status': '{actor} changed its status from {before} to {after}.',
  'custody.statusOutcome': '{actor} changed its status from {before} to {after}, outcome: {outcome}.',
  'custody.duplicate': '{actor} closed it as a duplicate of {reference}.',
  'custody.withdraw': 'The person who reported it withdrew the report.',
  'custody.assigned': '{actor} assigned it to a moderator.',
  'custody.unassigned': '{actor} took it off a moderator’s list.',
  'custody.note': '{actor} wrote an internal note.',
  'custody.publicNote': '{actor} changed the note shown to the person who reported it.',
  'custody.question': '{actor} asked the person who reported it a question.',
  'custody.answer': 'The person who reported it answered a question.',
  'custody.erase': '{actor} erased the report’s personal data and evidence.',
  'custody.other': '{actor}: {action}.',

  'exhibit.title': 'Exhibit {exhibit}',
  'exhibit.subtitle': 'Online content reported as hate: what was captured, how to check it, and what was done with it',
  'exhibit.intro':
    'Prepared by {organisation} on {date} from report {reference}, which its reporting service received on {received}. The person who reported it used Online Harms Reporter, free software that records web pages as evidence. This document describes what they captured, how each file can be checked, and everything done with the report since.',
  'exhibit.itemHeading': 'Item {number}: what was captured',
  'exhibit.address': 'Web address',
  'exhibit.platform': 'Website or app',
  'exhibit.kind': 'Kind of content',
  'exhibit.author': 'Account that posted it',
  'exhibit.title.page': 'Page title',
  'exhibit.title.post': 'Title of the post',
  'exhibit.posted': 'Time shown on the page',
  'exhibit.captured': 'Captured at (UTC)',
  'exhibit.capturedWith': 'Captured with',
  'exhibit.text': 'Text as captured',
  'exhibit.method.extension': 'the browser extension, on the page itself',
  'exhibit.method.widget_upload': 'a file the person uploaded',
  'exhibit.method.manual': 'details the person typed in',
  'exhibit.signed':
    'A capture record (the address, the time and the SHA-256 of every file) was signed on the reporter’s computer when the report was sent. The signature checks out, so none of it has changed since.',
  'exhibit.unsigned': 'No capture record was signed for this item: it was uploaded or typed in, not captured from the page.',
  'exhibit.notVerified': 'WARNING: the checks of this item’s files or capture record FAILED: see verification.txt.',
  'exhibit.screenshot': 'Screenshot {n} of item {item}. SHA-256: {sha256}',
  'exhibit.notEmbedded': 'This picture ({mediaType}) is not shown here: open evidence/{file} from the case file.',
  'exhibit.filesHeading': 'Files and their SHA-256',
  'exhibit.filesIntro':
    'Each file is in the case file’s evidence folder, named by its SHA-256, a fingerprint that changes completely if a single byte changes. Compute it again (sha256sum on Linux, shasum -a 256 on macOS, Get-FileHash on Windows) and compare.',
  'exhibit.file': 'Item {item}, {kind}, {bytes} bytes: {sha256}',
  'exhibit.receiptHeading': 'Receipt signed by the reporting service',
  'exhibit.receipt':
    '{hub} signed a receipt stating that it received report {reference} at {time}, that the report as received has the SHA-256 {sha256}, and that it named the evidence files above. The signature (ECDSA P-256, key id {kid}) checks out; the service publishes its key at {url}.',
  'exhibit.noReceipt': 'No signed receipt is available for this report.',
  'exhibit.timestampsHeading': 'Trusted timestamps',
  'exhibit.timestampsIntro':
    'A timestamp authority is an independent service that signs a statement that it saw a given SHA-256 at a given time (RFC 3161). Asked for the SHA-256 of the report as received:',
  'exhibit.timestamp': '{tsa} stated that it saw it at {time}. Token serial number {serial}; file timestamps/{n}.tst in the case file.',
  'exhibit.timestampPending': '{url} has not answered yet (asked {attempts} times).',
  'exhibit.noTimestamps': 'No timestamp authority was asked for this report.',
  'exhibit.timestampCheck':
    'To check a token yourself: openssl ts -verify -token_in -in timestamps/1.tst -digest <the SHA-256 above> -CAfile <the authority’s root certificate>.',
  'exhibit.glyphs':
    'Characters the font in this document cannot show are written as their Unicode number (U+XXXX). Right-to-left text is shown letter by letter. The exact text is in report.json.',
  'exhibit.page': 'Page {n} of {total}',
  'exhibit.footer': 'Exhibit {exhibit} · report {reference}',
} as const;
