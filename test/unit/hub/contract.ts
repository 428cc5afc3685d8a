/**
 * Checks a response against the hub's OpenAPI document with a JSON Schema 2020-12 validator (Ajv), and records which
 * (path, method, status) answers the tests have seen, so the contract test can tell whether each one was exercised.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../../hub/openapi';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
type PathItem = Record<string, Operation | unknown>;

const BASE = 'https://ohr.invalid/schemas/';
const document = JSON.parse(JSON.stringify(openApiDocument()).replaceAll('#/components/schemas/', BASE)) as {
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, object> };
};

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
for (const [name, schema] of Object.entries(document.components.schemas)) ajv.addSchema(schema, BASE + name);

const routes = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

const validators = new Map<string, ValidateFunction>();

/** `path method status` keys seen in this test file. */
export const seen = new Set<string>();

/** Every documented `path method status`. */
export function documentedAnswers(): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method !== 'parameters')
      .flatMap(([method, operation]) => Object.keys((operation as Operation).responses).map((status) => `${path} ${method} ${status}`)),
  );
}

/** Throws if a documented route answered with an undocumented status or a body that does not fit its schema. */
export async function assertMatchesContract(method: string, pathname: string, response: Response): Promise<void> {
  const route = routes.find(({ pattern }) => pattern.test(pathname));
  if (!route || method === 'options' || method === 'head') return; // unknown routes (JSON 404) and CORS preflights
  const operation = document.paths[route.template]?.[method] as Operation | undefined;
  if (!operation) return; // a method the route does not have: Hono's JSON 404
  const status = String(response.status);
  const documented = operation.responses[status];
  if (!documented) throw new Error(`Contract: ${method.toUpperCase()} ${route.template} answered ${status}, which is not documented`);
  seen.add(`${route.template} ${method} ${status}`);
  const schema = documented.content?.['application/json']?.schema;
  if (!schema) return;
  const key = `${route.template} ${method} ${status}`;
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(schema)));
  const body: unknown = await response.json();
  if (!validate(body)) {
    throw new Error(`Contract: ${method.toUpperCase()} ${route.template} ${status} body does not match: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
