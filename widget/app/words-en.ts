/**
 * The report app's own words (widget/app/): the screen that shows what another app shared before the form starts.
 * The form's words are the widget's (`../words-en.ts`); the page around it is the hub's (hub/report-app-en.ts).
 */
export const appEn = {
  /** The widget's `quickExit.button`, word for word (a unit test holds them equal): the app's bundle carries no catalogue. */
  'app.exit': 'Leave this page quickly',
  'app.share.opening': 'Opening what you shared…',
  'app.share.lost': 'What you shared did not reach this app. Share it again, or paste its address in the form.',
  'app.share.title': 'What you shared',
  'app.share.intro': 'Nothing has been sent. It stays on this phone until you send the report.',
  'app.share.address': 'Address',
  'app.share.noAddress': 'No address came with it. You can paste one in the form.',
  'app.share.words': 'The post’s words',
  'app.share.keepWords': 'Send these words with the address',
  'app.share.pictures': 'Pictures (not shown here)',
  /** The widget's `widget.items.stripped`, word for word. */
  'app.share.stripped': 'Hidden details in the picture, such as where it was taken, were removed.',
  'app.share.start': 'Start the report',
} as const;

export type AppMessageKey = keyof typeof appEn;
