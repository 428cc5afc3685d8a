/**
 * Contact details sealed to the organisation (issue 23): the report view's words for them, and the page where a
 * moderator opens them in their own browser with the organisation's key file and its passphrase.
 */
export const sealedEn = {
  'sealed.summary': 'The reporter’s contact details are sealed to your organisation: the hub holds them only encrypted, and only your organisation’s key can open them, in your own browser.',
  'sealed.open': 'Open the contact details',
  'sealed.accessNeeds': 'Sealed with the contact details, if given',
  'sealed.title': 'Contact details for report {reference}',
  'sealed.back': 'Back to report {reference}',
  'sealed.intro': 'The reporter sealed their name, email, phone number and access needs to your organisation’s key (key {kid}). Choose your organisation’s key file and type its passphrase: this page opens the details here, in your browser.',
  'sealed.stays': 'The key file and the passphrase stay in this browser: neither is sent to the hub. The opened key is kept only while this page is open; you type the passphrase again on each report.',
  'sealed.audited': 'Opening the details is recorded in the audit log with your name, as showing contact details is.',
  'sealed.needsScript': 'Opening the contact details needs JavaScript in this browser. The details are opened with your organisation’s key here, on your computer, and the key is never sent to the hub, so the hub cannot open them for you. Turn JavaScript on for this console and reload the page.',
  'sealed.file': 'Your organisation’s key file',
  'sealed.fileHint': 'The file made with “npm run org-key -- new” (often ohr-org-key.json). It is read here and never uploaded.',
  'sealed.passphrase': 'Passphrase of the key file',
  'sealed.submit': 'Open the contact details',
  'sealed.opening': 'Opening the contact details…',
  'sealed.opened': 'The contact details are open. Leaving this page forgets the key.',
  'sealed.result': 'Contact details',
  'sealed.none': 'Not given',
  'sealed.problem.noFile': 'Choose the key file first.',
  'sealed.problem.notKeyFile': 'That file is not an organisation key file. Choose the file made with “npm run org-key -- new”.',
  'sealed.problem.otherKey': 'That key file holds key {chosen}, but this report was sealed to key {sealed}. Choose the key file of key {sealed}: keep old key files after a new key is made, to open older reports.',
  'sealed.problem.passphrase': 'That passphrase does not open this key file. Check it and try again.',
  'sealed.problem.notOpened': 'The key opened, but it does not open this report’s details: they may have been changed since the reporter sealed them. Nothing is shown.',
  'sealed.problem.notRecorded': 'The hub could not record that you opened the details, so they are not shown. Reload the page and try again.',
  'sealed.problem.noConsent': 'The reporter did not agree to share their contact details, so they are not opened here.',
  'sealed.problem.notSealed': 'This report has no sealed contact details.',
} as const;
