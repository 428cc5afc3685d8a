/**
 * English messages: the source catalogue. Other locales are typed against it, so a missing key is a type error.
 * Placeholders are written {name} and filled by `t`.
 */
export const en = {
  appName: 'Online Harms Reporter',
  'popup.heading': 'Report online hate',
  'popup.intro': 'Keep a copy of this page as evidence, then send it to your chosen organisation.',
  'popup.reportPage': 'Report this page',
  'popup.capturing': 'Keeping a copy of this page…',
  'popup.captured': 'Saved on this computer. Nothing has been sent yet.',
  'popup.summaryLabel': 'What happened? (a few words)',
  'popup.summaryHint': 'You can add more later. Up to {max} characters.',
  'popup.send': 'Send report',
  'popup.sending': 'Sending…',
  'popup.sentHeading': 'Report sent',
  'popup.referenceLabel': 'Your reference number:',
  'popup.referenceKeep': 'Keep it to check on your report with {endpoint}.',
  'popup.destination': 'Sending to {endpoint}',
  'popup.openSettings': 'Change where reports go',
  'popup.screenshotAlt': 'Screenshot of the page, blurred. Select “Show screenshot” to see it.',
  'popup.showScreenshot': 'Show screenshot',
  'popup.hideScreenshot': 'Blur screenshot',
  'popup.contentWarning': 'The screenshot may show upsetting content.',
  'options.heading': 'Settings',
  'options.endpointLabel': 'Where reports are sent (web address)',
  'options.endpointHint': 'The address of the organisation’s reporting service, for example {example}.',
  'options.save': 'Save',
  'options.saved': 'Saved. Reports will go to {endpoint}.',
  'error.captureFailed': 'The page could not be captured: {reason}',
  'error.noTab': 'There is no page to capture in this window.',
  'error.restrictedPage': 'Browser pages and the extension’s own pages cannot be captured. Open the page with the post and try again.',
  'error.tabNotShowing': 'The page must be showing in its window to be captured. Switch to it and try again.',
  'error.sendFailed': 'The report could not be sent: {reason}',
  'error.network': 'The reporting service could not be reached. Your report is kept on this computer; try again when you are online.',
  'error.server': 'The reporting service answered “{message}”.',
  'error.fields': '{field}: {message}',
  'error.invalidEndpoint': 'Enter a full web address starting with http:// or https://, for example {example}.',
  'error.invalidMessage': 'The extension received a request it does not understand.',
  'error.draftMissing': 'This report is no longer on this computer.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
