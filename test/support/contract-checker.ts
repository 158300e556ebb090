/**
 * Contract checking: every HTTP response the app sends in the e2e suites is compared with the
 * committed OpenAPI document (openapi/openapi.json).
 *
 * - The request is matched to an operation by method + path template (the most literal
 *   template wins, so `/gateways/pair` beats `/gateways/{id}`).
 * - Objects that list their properties are closed: a response field the spec does not list is
 *   a violation (an undocumented contract, or a leak).
 * - The status must be documented for that operation (exact code, then `4XX`, then `default`).
 * - A documented response without content (204) must have an empty body; a documented body
 *   must come with one of the documented media types; `application/json` bodies are validated
 *   with ajv against the documented schema ($refs resolved from components.schemas).
 * - A request that matches no operation must be answered with the app's "no such route"
 *   answer: 404 and a body that is a NotFoundError. Anything else there is a violation.
 * - Swagger UI (`/docs`, `/docs/...`) and WebSocket upgrades are not API responses: skipped.
 * Responses reach the checker through contract-recorder.ts (in-process apps) or
 * checked-fetch.ts (services run as processes).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const COMMITTED_SPEC_PATH = join(__dirname, '..', '..', 'openapi', 'openapi.json');

type Json = Record<string, unknown>;
interface MediaTypeObject {
  schema?: Json;
}
interface ResponseObject {
  description?: string;
  content?: Record<string, MediaTypeObject>;
}
interface OperationObject {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject | unknown>>;
  components?: { schemas?: Record<string, Json> };
}

/** One response as the checker sees it. */
export interface ObservedResponse {
  method: string;
  /** Request URL as received: path plus optional query. */
  url: string;
  status: number;
  /** The Content-Type header of the response, if any. */
  contentType?: string;
  body: Buffer | string;
}

export interface ContractViolation {
  method: string;
  path: string;
  status: number;
  /** operationId, or undefined when no operation matched. */
  operation?: string;
  problem: string;
  /** The start of the body, for the report. */
  body: string;
}

export type CheckOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'checked'; operation: string | undefined; violations: ContractViolation[] };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SCHEMA_BASE = 'https://contract.test/openapi.json';

interface CompiledOperation {
  method: string;
  template: string;
  regex: RegExp;
  literalSegments: number;
  operationId: string;
  responses: Record<string, ResponseObject>;
}

/** Rewrites `#/components/schemas/X` to an absolute ref into the one schema holding them all. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) {
      if (k === '$ref' && typeof v === 'string') {
        if (!v.startsWith('#/components/schemas/')) throw new Error(`contract: unsupported $ref ${v}`);
        out[k] = `${SCHEMA_BASE}#/$defs/${v.slice('#/components/schemas/'.length)}`;
      } else if (k === 'example' || k === 'examples') {
        out[k] = v; // annotations: kept verbatim, never walked
      } else {
        out[k] = rewriteRefs(v);
      }
    }
    return out;
  }
  return value;
}

/**
 * An object schema that lists its properties and says nothing about others gets
 * `additionalProperties: false`: a response field the spec does not document is an undocumented
 * contract (and may be a leak), so it is reported. Maps (`additionalProperties` given) and
 * objects without `properties` are left as they are.
 */
function closeObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closeObjects);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) out[k] = k === 'example' || k === 'examples' ? v : closeObjects(v);
    if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  }
  return value;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function isJson(media: string | undefined): boolean {
  return media === 'application/json' || (media?.endsWith('+json') ?? false);
}

function preview(body: string): string {
  return body.length > 300 ? `${body.slice(0, 300)}…` : body;
}

export class ContractChecker {
  private readonly ajv: Ajv;
  private readonly operations: CompiledOperation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly notFound: ValidateFunction;

  constructor(readonly spec: OpenApiDocument) {
    // strict: unknown keywords in the spec are an error, not silently ignored. `nullable`
    // (OpenAPI 3.0) is understood by ajv 8 itself; `example` is an annotation.
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    this.ajv.addVocabulary(['example']);
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SCHEMA_BASE, $defs: closeObjects(rewriteRefs(spec.components?.schemas ?? {})) as Json });
    for (const [template, item] of Object.entries(spec.paths)) {
      const segments = template.split('/').filter(Boolean);
      const pattern = segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : escapeRegex(s))).join('/');
      for (const [method, op] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(method)) continue;
        const operation = op as OperationObject;
        this.operations.push({
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^/${pattern}$`),
          literalSegments: segments.filter((s) => !s.startsWith('{')).length,
          operationId: operation.operationId ?? `${method.toUpperCase()} ${template}`,
          responses: operation.responses ?? {},
        });
      }
    }
    if (this.operations.length === 0) throw new Error('contract: the spec has no operations');
    const nf = spec.components?.schemas?.NotFoundError;
    if (!nf) throw new Error('contract: the spec has no NotFoundError schema');
    this.notFound = this.ajv.compile({ $ref: `${SCHEMA_BASE}#/$defs/NotFoundError` });
    // Compile every documented schema up front: a schema ajv cannot read fails here, loudly.
    for (const op of this.operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [media, content] of Object.entries(response.content ?? {})) {
          if (content.schema && isJson(media)) this.validatorFor(op, status, media, content.schema);
        }
      }
    }
  }

  get operationCount(): number {
    return this.operations.length;
  }

  /** The operation a request is routed to, by method and path template. */
  match(method: string, path: string): CompiledOperation | undefined {
    const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
    const candidates = this.operations.filter((op) => op.method === m && op.regex.test(normalised));
    candidates.sort((a, b) => b.literalSegments - a.literalSegments);
    return candidates[0];
  }

  /** Checks one response; `skipped` for what is not an API response. */
  check(observed: ObservedResponse): CheckOutcome {
    const path = observed.url.split('?')[0] ?? '/';
    if (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-')) {
      return { kind: 'skipped', reason: 'swagger-ui' };
    }
    const method = observed.method.toUpperCase();
    const text = Buffer.isBuffer(observed.body) ? observed.body.toString('utf8') : observed.body;
    const media = mediaType(observed.contentType);
    const violations: ContractViolation[] = [];
    const fail = (problem: string, operation?: string) =>
      violations.push({ method, path, status: observed.status, operation, problem, body: preview(text) });

    const op = this.match(method, path);
    if (!op) {
      // No documented operation: the only acceptable answer is "no such route".
      if (observed.status !== 404) {
        fail(`no operation in the spec for ${method} ${path} (answered ${observed.status}; only a 404 not_found may answer an undocumented route)`);
      } else {
        const parsed = this.parseJson(text, media);
        if (!parsed.ok) fail(`no operation for ${method} ${path}; its 404 is not a JSON NotFoundError: ${parsed.problem}`);
        else if (!this.notFound(parsed.value)) {
          fail(`no operation for ${method} ${path}; its 404 body is not a NotFoundError: ${this.ajv.errorsText(this.notFound.errors)}`);
        }
      }
      return { kind: 'checked', operation: undefined, violations };
    }

    const status = String(observed.status);
    const key = op.responses[status] ? status : op.responses[`${status[0]}XX`] ? `${status[0]}XX` : op.responses.default ? 'default' : undefined;
    if (!key) {
      fail(`status ${status} is not documented for ${op.operationId} (documented: ${Object.keys(op.responses).join(', ')})`, op.operationId);
      return { kind: 'checked', operation: op.operationId, violations };
    }
    const response = op.responses[key]!;
    const content = response.content ?? {};
    const documentedMedia = Object.keys(content);
    const empty = text.length === 0;

    if (observed.status === 204 || observed.status === 304 || documentedMedia.length === 0) {
      if (!empty) fail(`${status} must have an empty body (documented without content), got ${text.length} bytes`, op.operationId);
      return { kind: 'checked', operation: op.operationId, violations };
    }
    if (method === 'HEAD') return { kind: 'checked', operation: op.operationId, violations };
    if (empty) {
      fail(`${status} has an empty body; documented: ${documentedMedia.join(', ')}`, op.operationId);
      return { kind: 'checked', operation: op.operationId, violations };
    }
    const documented = documentedMedia.find(
      (d) => d.toLowerCase() === media || d === '*/*' || (d.endsWith('/*') && media?.startsWith(d.slice(0, -1))),
    );
    if (!documented) {
      fail(`Content-Type ${observed.contentType ?? '(none)'} is not documented for ${status} (documented: ${documentedMedia.join(', ')})`, op.operationId);
      return { kind: 'checked', operation: op.operationId, violations };
    }
    const schema = content[documented]?.schema;
    if (isJson(media) && schema) {
      const parsed = this.parseJson(text, media);
      if (!parsed.ok) {
        fail(parsed.problem, op.operationId);
      } else {
        const validate = this.validatorFor(op, key, documented, schema);
        if (!validate(parsed.value)) {
          fail(`body does not match the ${status} schema: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`, op.operationId);
        }
      }
    }
    return { kind: 'checked', operation: op.operationId, violations };
  }

  private parseJson(text: string, media: string | undefined): { ok: true; value: unknown } | { ok: false; problem: string } {
    if (!isJson(media)) return { ok: false, problem: `Content-Type is ${media ?? '(none)'}, not application/json` };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (e) {
      return { ok: false, problem: `body is not valid JSON: ${(e as Error).message}` };
    }
  }

  private validatorFor(op: CompiledOperation, status: string, media: string, schema: Json): ValidateFunction {
    const key = `${op.method} ${op.template} ${status} ${media}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(closeObjects(rewriteRefs(schema)) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

let committed: ContractChecker | undefined;

/** The checker for the committed openapi/openapi.json (read and compiled once per process). */
export function committedContract(): ContractChecker {
  committed ??= new ContractChecker(JSON.parse(readFileSync(COMMITTED_SPEC_PATH, 'utf8')) as OpenApiDocument);
  return committed;
}

export function formatViolation(v: ContractViolation): string {
  return `${v.method} ${v.path} → ${v.status}${v.operation ? ` [${v.operation}]` : ''}: ${v.problem}${v.body ? `\n      body: ${v.body}` : ''}`;
}
