/** Words the hub writes around the form on its report page (`/report`: hub/report-app.ts; hub/widget.ts's older page). */
export const demoEn = {
  'demo.title': 'Report online hate to {name}',
  'demo.intro': 'If you have been targeted by hate online, or have seen it happen to someone else, you can tell us here. You do not have to give your name.',
} as const;
