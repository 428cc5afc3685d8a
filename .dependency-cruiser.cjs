/**
 * The layering the folders promise, checked on every `npm test` (`npm run lint:deps`).
 *
 * - lib/ is the core every product shares; it imports no product.
 * - The three products (the extension: extension/, components/, entrypoints/; the widget: widget/; the hub: hub/)
 *   never import each other. The hub serves the built widget by path (dist/widget/widget.js), it does not import it.
 * - In the hub, the domain (hub/domain/: intake, evidence, workflow, audit) sits below its two transports, the API
 *   (hub/app.ts, hub/openapi.ts) and the triage console (hub/console/). The domain imports neither; neither transport
 *   imports the other, except that the API app mounts the console through its one mount point, hub/console/index.ts.
 *   HTTP helpers both transports need live in hub/http.ts.
 * - Each console feature (hub/console/<feature>/) is a sub-app composed in hub/console/index.ts; features never import
 *   each other. What they share lives in hub/console/shared/ (page shell, labels, links, formatting) and in the
 *   sign-in layer hub/console/auth/ (accounts, sessions, the request guards).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import circles hide the layering; break them by moving the shared part down a layer. A circle made only with ' +
        '`import type` is erased at compile time and does not count (hub/db.ts <-> hub/storage/pglite.ts, for one).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-imports-no-product',
      severity: 'error',
      comment: 'lib/ is the shared core: it must not depend on the extension, the widget or the hub.',
      from: { path: '^lib/' },
      to: { path: '^(extension|components|entrypoints|widget|hub)/' },
    },
    {
      name: 'widget-imports-no-other-product',
      severity: 'error',
      comment: 'The widget takes what it shares with the extension and the hub from lib/, never from them.',
      from: { path: '^widget/' },
      to: { path: '^(extension|components|entrypoints|hub)/' },
    },
    {
      name: 'extension-imports-no-other-product',
      severity: 'error',
      comment: 'The extension (extension/, components/, entrypoints/) takes shared code from lib/, never from the widget or the hub.',
      from: { path: '^(extension|components|entrypoints)/' },
      to: { path: '^(widget|hub)/' },
    },
    {
      name: 'hub-imports-no-other-product',
      severity: 'error',
      comment: 'The hub takes shared code from lib/; it serves the built widget as a file, it does not import it.',
      from: { path: '^hub/' },
      to: { path: '^(extension|components|entrypoints|widget)/' },
    },
    {
      name: 'hub-domain-imports-no-transport',
      severity: 'error',
      comment: 'The hub domain (intake, evidence, workflow, audit) sits below the API and the console.',
      from: { path: '^hub/domain/' },
      to: { path: '^hub/(console/|app\\.ts$|openapi\\.ts$|http\\.ts$|server\\.ts$|widget\\.ts$)' },
    },
    {
      name: 'hub-console-imports-no-api',
      severity: 'error',
      comment: 'The console does not import the API app; shared HTTP helpers live in hub/http.ts.',
      from: { path: '^hub/console/' },
      to: { path: '^hub/(app\\.ts$|openapi\\.ts$|server\\.ts$|widget\\.ts$)' },
    },
    {
      name: 'hub-api-mounts-console-once',
      severity: 'error',
      comment: 'Outside the console, the hub reaches it only through its mount point, hub/console/index.ts.',
      from: { path: '^hub/', pathNot: '^hub/console/' },
      to: { path: '^hub/console/', pathNot: '^hub/console/index\\.ts$' },
    },
    {
      name: 'hub-console-features-independent',
      severity: 'error',
      comment:
        'A console feature (hub/console/<feature>/) does not import another feature. What features share lives in ' +
        'hub/console/shared/ (page shell, labels, links, formatting) and in the sign-in layer under them, ' +
        'hub/console/auth/ (moderator accounts, sessions, passwords, one-time account links, TOTP, the sign-in throttle, the request guards); the sign-in pages and ' +
        'routes there are a feature like any other.',
      from: { path: '^hub/console/([^/]+)/' },
      to: {
        path: '^hub/console/[^/]+/',
        pathNot: ['^hub/console/$1/', '^hub/console/shared/', '^hub/console/auth/(accounts|sessions|password|totp|guard|links|throttle)\\.ts$'],
      },
    },
    {
      name: 'hub-console-shared-imports-no-feature',
      severity: 'error',
      comment: 'hub/console/shared/ is below the features: it imports none of them (only the moderator type, as a type).',
      from: { path: '^hub/console/shared/' },
      to: { path: '^hub/console/', pathNot: '^hub/console/shared/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'hub-console-composed-in-one-place',
      severity: 'error',
      comment: 'Features are composed in hub/console/index.ts; nothing inside the console imports that composition.',
      from: { path: '^hub/console/[^/]+/' },
      to: { path: '^hub/console/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.output|\\.wxt)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
