/** Words of the report app's page and manifest (hub/report-app.ts); the form's own words are the widget's. */
export const reportAppEn = {
  'app.shortName': 'Report hate',
  'app.description': 'Report online hate, with the links and screenshots that show it, from your phone.',
  'app.noScript': 'This form needs JavaScript, which is turned off in this browser.',
  'app.status': 'Check on a report you sent, or answer its questions',
  'app.install':
    'To keep this on your phone: in Chrome on Android, open the menu and choose Install app (then you can share posts to it from other apps). On an iPhone or iPad, in Safari, tap Share, then Add to Home Screen.',
} as const;
