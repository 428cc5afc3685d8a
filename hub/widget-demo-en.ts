/** Words of the demo page the hub serves at `/` (hub/widget.ts): a plain organisation's page with the widget embedded. */
export const demoEn = {
  'demo.title': 'Report online hate to {name}',
  'demo.intro': 'If you have been targeted by hate online, or have seen it happen to someone else, you can tell us here. You do not have to give your name.',
  'demo.embedHeading': 'Put this form on your own website',
  'demo.embed': 'Add these two lines to any page. The form reports to this service; its operator must list your site’s address in corsOrigins.',
  'demo.staff': 'Staff sign-in',
} as const;
