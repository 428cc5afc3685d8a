/**
 * The hub's OpenAPI 3.1 document, generated from the shared zod schemas (zod 4's `z.toJSONSchema`, JSON Schema
 * 2020-12, which is OpenAPI 3.1's dialect), so the document cannot drift from what the hub and its clients validate.
 * Only the routes, statuses and headers are written here; every body shape comes from `lib/schema`.
 */
import { z } from 'zod';
import {
  Answer,
  AnswerReceipt,
  ApiError,
  Discovery,
  EvidenceReceipt,
  Health,
  MissingEvidenceError,
  MonitoringAnswers,
  MonitoringReceipt,
  PATHS,
  Receipt,
  Report,
  SatisfactionAnswer,
  SatisfactionReceipt,
  StatusResponse,
  EVIDENCE_MEDIA_TYPES,
} from '../lib/schema';

export const OPENAPI_PATH = PATHS.openapi;

const SCHEMAS = {
  AnswerReceipt,
  ApiError,
  Discovery,
  EvidenceReceipt,
  Health,
  MissingEvidenceError,
  MonitoringReceipt,
  Receipt,
  Report,
  SatisfactionReceipt,
  StatusResponse,
} as const;
type SchemaName = keyof typeof SCHEMAS;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // `$schema` is implied by the document's jsonSchemaDialect.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  return rest;
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('ApiError')) });
const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};

/** Answers every rate-limited route can give besides its own. */
const COMMON = {
  '429': { description: 'Too many requests from this client; wait for Retry-After', headers: retryAfter, ...json(ref('ApiError')) },
  '500': error('An unexpected failure on the hub (never caused by the request itself)'),
};

/** Answers every route that uses the database can give besides its own. */
const STORED = {
  ...COMMON,
  '503': {
    description:
      'The hub cannot take work for a moment (its disk is full, its database is restarting, it is shutting down, or it is ' +
      'already receiving as many evidence files as it writes at once). Nothing was kept: send the same request again after Retry-After',
    headers: retryAfter,
    ...json(ref('ApiError')),
  },
};

const reference = {
  name: 'reference',
  in: 'path',
  required: true,
  description: 'The reference from the receipt, e.g. OHR-7K3M-9QF2',
  schema: { type: 'string' },
};
const bearer = [{ statusToken: [] }];

const statusAnswers = {
  '200': { description: 'The report’s status as the reporter may see it', ...json(ref('StatusResponse')) },
  '401': error('No or malformed `Authorization: Bearer <statusToken>`'),
  '404': error('Unknown reference or wrong token (the same answer for both)'),
  ...STORED,
};

/** The whole document; built once per app. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Online Harms Reporter hub (ohr/1)',
      version: '1',
      description: 'Receives reports of online hate and their evidence. Every 4xx/5xx body is `{error: {code, message, fields?}}`.',
    },
    paths: {
      [PATHS.discovery]: {
        get: {
          operationId: 'discovery',
          summary: 'What this endpoint is, what it accepts and where to send things',
          responses: { '200': { description: 'The discovery document', ...json(ref('Discovery')) }, ...COMMON },
        },
      },
      [PATHS.evidence('{sha256}')]: {
        put: {
          operationId: 'putEvidence',
          summary: 'Upload one piece of evidence under its SHA-256 (repeating it is harmless)',
          parameters: [
            { name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
          ],
          requestBody: {
            required: true,
            content: Object.fromEntries(
              EVIDENCE_MEDIA_TYPES.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]),
            ),
          },
          responses: {
            '200': { description: 'These bytes were already stored', ...json(ref('EvidenceReceipt')) },
            '201': { description: 'Stored', ...json(ref('EvidenceReceipt')) },
            '400': error('Malformed hash in the address, or an empty body'),
            '413': error('Larger than maxEvidenceBytes, or an image of more pixels than the hub takes'),
            '415': error('Not one of the evidence media types, or the bytes are not of the declared type'),
            '422': error('The bytes do not hash to the address (`hash_mismatch`)'),
            ...STORED,
          },
        },
      },
      [PATHS.reports]: {
        post: {
          operationId: 'submitReport',
          summary: 'File a report whose evidence is already uploaded',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: 'The report’s `id`. The same key and body again get the same answer.',
              schema: { type: 'string' },
            },
            {
              name: 'include',
              in: 'query',
              required: false,
              description:
                '`signedReceipt`: also send the hub’s signed receipt (`signedReceipt`: the reference, time received, SHA-256 of the report’s canonical JSON and every evidence hash, signed ES256 with a key listed in discovery’s `receiptKeys`)',
              schema: { type: 'string', examples: ['signedReceipt'] },
            },
          ],
          requestBody: { required: true, ...json(jsonSchema(Report, 'input')) },
          responses: {
            '201': { description: 'Filed (or filed before under this key with this body): the receipt', ...json(ref('Receipt')) },
            '400': error('No Idempotency-Key, a key other than the report id, or a body that is not JSON'),
            '409': {
              description: 'Evidence not uploaded yet (`missing_evidence`, listing the hashes) or a request with this key still in flight (`request_in_flight`)',
              headers: retryAfter,
              ...json({ anyOf: [ref('MissingEvidenceError'), ref('ApiError')] }),
            },
            '413': error('Larger than maxJsonBytes'),
            '415': error('Not sent as application/json'),
            '422': error('Invalid report (`invalid_report`, with field paths) or this key was used for a different body (`idempotency_key_reused`)'),
            ...STORED,
          },
        },
      },
      [PATHS.status('{reference}').replace('%7Breference%7D', '{reference}')]: {
        parameters: [reference],
        get: {
          operationId: 'getStatus',
          summary: 'The report’s status',
          security: bearer,
          parameters: [
            {
              name: 'include',
              in: 'query',
              required: false,
              description:
                'A comma-separated list. `questions`: also send the moderators’ questions and the answers given (`questions` in the answer); ' +
                '`satisfaction`: also say whether the satisfaction question is open (`satisfaction`: `open` once the report is closed, not withdrawn, and not yet answered; `answered` after); ' +
                '`timestamps`: also send the RFC 3161 tokens the hub holds over the report’s SHA-256 (`timestamps`: authority, time, serial, base64 DER token)',
              schema: { type: 'string', examples: ['questions', 'questions,satisfaction', 'questions,satisfaction,timestamps'] },
            },
          ],
          responses: statusAnswers,
        },
        delete: { operationId: 'withdrawReportAtStatus', summary: 'Withdraw the report (same as DELETE on the report)', security: bearer, responses: statusAnswers },
      },
      [`${PATHS.reports}/{reference}/questions/{questionId}/answer`]: {
        parameters: [reference, { name: 'questionId', in: 'path', required: true, description: 'The question’s id from the status answer', schema: { type: 'string', format: 'uuid' } }],
        post: {
          operationId: 'answerQuestion',
          summary: 'The reporter answers a moderator’s question, perhaps adding items whose evidence is already uploaded',
          security: bearer,
          requestBody: { required: true, ...json(jsonSchema(Answer, 'input')) },
          responses: {
            '201': { description: 'Answered (or answered before with this answer id and body): the receipt', ...json(ref('AnswerReceipt')) },
            '400': error('A body that is not JSON'),
            '401': error('No or malformed `Authorization: Bearer <statusToken>`'),
            '404': error('Unknown reference, wrong token, or no such question on this report (the same answer for all)'),
            '409': {
              description:
                'Evidence of an added item not uploaded yet (`missing_evidence`, listing the hashes), the question already has another answer (`already_answered`), or the report is closed (`report_closed`)',
              ...json({ anyOf: [ref('MissingEvidenceError'), ref('ApiError')] }),
            },
            '413': error('Larger than maxJsonBytes'),
            '415': error('Not sent as application/json'),
            '422': error('Invalid answer (`invalid_request`, with field paths) or this answer id was used for a different answer (`idempotency_key_reused`)'),
            ...STORED,
          },
        },
      },
      [`${PATHS.reports}/{reference}/satisfaction`]: {
        parameters: [reference],
        post: {
          operationId: 'answerSatisfaction',
          summary: 'The reporter answers “How satisfied are you with how your report was handled?” (1–5, optional comment), once the report is closed; once per report',
          security: bearer,
          requestBody: { required: true, ...json(jsonSchema(SatisfactionAnswer, 'input')) },
          responses: {
            '201': { description: 'Answered: the receipt', ...json(ref('SatisfactionReceipt')) },
            '200': { description: 'The same answer was already given: the first receipt', ...json(ref('SatisfactionReceipt')) },
            '400': error('A body that is not JSON'),
            '401': error('No or malformed `Authorization: Bearer <statusToken>`'),
            '404': error('Unknown reference or wrong token (the same answer for both)'),
            '409': error('The report is not closed, or was withdrawn (`not_closed`), or a different answer was already given (`already_answered`)'),
            '413': error('Larger than maxJsonBytes'),
            '415': error('Not sent as application/json'),
            '422': error('Invalid answer (`invalid_request`, with field paths)'),
            ...STORED,
          },
        },
      },
      [`${PATHS.reports}/{reference}/monitoring`]: {
        parameters: [reference],
        post: {
          operationId: 'answerMonitoring',
          summary: 'The reporter’s optional equality monitoring answers (ONS 2021 categories, each optional, each with prefer_not_to_say), any time after sending; once per report',
          security: bearer,
          requestBody: { required: true, ...json(jsonSchema(MonitoringAnswers, 'input')) },
          responses: {
            '201': { description: 'Answered: the receipt', ...json(ref('MonitoringReceipt')) },
            '200': { description: 'The same answers were already given: the first receipt', ...json(ref('MonitoringReceipt')) },
            '400': error('A body that is not JSON'),
            '401': error('No or malformed `Authorization: Bearer <statusToken>`'),
            '404': error('Unknown reference or wrong token (the same answer for both)'),
            '409': error('Different answers were already given (`already_answered`)'),
            '413': error('Larger than maxJsonBytes'),
            '415': error('Not sent as application/json'),
            '422': error('Invalid answers (`invalid_request`, with field paths)'),
            ...STORED,
          },
        },
      },
      [`${PATHS.reports}/{reference}`]: {
        parameters: [reference],
        delete: { operationId: 'withdrawReport', summary: 'The reporter withdraws the report', security: bearer, responses: statusAnswers },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness and readiness (database reachable, not shutting down); never rate limited',
          responses: {
            '200': { description: 'Ready', ...json(ref('Health')) },
            '503': { description: 'Shutting down or the database is unreachable', ...json(ref('Health')) },
          },
        },
      },
      [OPENAPI_PATH]: {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', ...json({ type: 'object' }) }, ...COMMON },
        },
      },
    },
    components: {
      schemas: Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, jsonSchema(schema, 'output')])),
      securitySchemes: {
        statusToken: { type: 'http', scheme: 'bearer', description: 'The statusToken from the receipt' },
      },
    },
  };
}
