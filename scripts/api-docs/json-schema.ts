import { createRequire } from 'node:module';
import type Joi from 'joi';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1 and of AsyncAPI's default schema format). */
export type JsonSchema = Record<string, unknown>;

/** A joi `describe()` node, as far as the fixes below read it. */
interface JoiDescription {
  type?: string;
  keys?: Record<string, unknown>;
  flags?: { unknown?: boolean };
  rules?: Array<{ name: string; args?: { limit?: unknown } }>;
}

interface ParserInstance {
  parse(description: unknown, definitions: Record<string, JsonSchema>): JsonSchema;
}

type ParserClass = new (options?: object) => ParserInstance & {
  _setStringFieldProperties(schema: JsonSchema, description: JoiDescription): void;
  _setObjectProperties(schema: JsonSchema, description: JoiDescription, definitions: unknown, level: number): void;
};

// joi-to-json's OpenAPI 3.1 parser, extended where it does not say what joi checks: the package
// exports only `parse`, so its parser class is reached by path (pinned by the lockfile; the tests
// of the documents fail if a new version changes it).
const require = createRequire(import.meta.url);
const OpenApi31Parser = require('joi-to-json/lib/parsers/open-api-3.1.js') as ParserClass;

class ShopSchemaParser extends OpenApi31Parser {
  /** `Joi.string().length(n)` is a min and a max length. */
  override _setStringFieldProperties(schema: JsonSchema, description: JoiDescription): void {
    super._setStringFieldProperties(schema, description);
    if (schema.type !== 'string') return;
    for (const rule of description.rules ?? []) {
      if (rule.name === 'length' && typeof rule.args?.limit === 'number') schema.minLength = schema.maxLength = rule.args.limit;
    }
  }

  /** `Joi.object()` without keys takes any keys (`Joi.object({})` none); the parser closed both. */
  override _setObjectProperties(schema: JsonSchema, description: JoiDescription, definitions: unknown, level: number): void {
    super._setObjectProperties(schema, description, definitions, level);
    if (schema.type !== 'object' || description.keys !== undefined || description.flags?.unknown === false) return;
    delete schema.properties;
    delete schema.additionalProperties;
  }
}

/** Keywords whose value must be a number; joi may hold a reference to another field there. */
const NUMERIC_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'multipleOf'];

/** A limit joi takes from another field (`Joi.ref`) has no JSON Schema form: it is left out, and said in words. */
function dropReferences(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) dropReferences(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  for (const keyword of NUMERIC_KEYWORDS) {
    const value = schema[keyword] as { ref?: { path?: string[] } } | number | undefined;
    if (value === undefined || typeof value === 'number') continue;
    const field = value.ref?.path?.join('.') ?? 'another field';
    schema.description = [schema.description, `${keyword}: the value of ${field}`].filter(Boolean).join('; ');
    delete schema[keyword];
  }
  for (const child of Object.values(schema)) dropReferences(child);
}

/**
 * A joi schema as JSON Schema 2020-12 (OpenAPI 3.1), converted by joi-to-json: the document says
 * what the code checks because it is made from the same schema. Schemas a joi `link` names
 * (`.id('categoryNode')`) are added to `shared`, referenced as `#/components/schemas/<id>` (the
 * place OpenAPI and AsyncAPI documents alike keep them).
 */
export function toJsonSchema(schema: Joi.Schema, shared: Record<string, JsonSchema> = {}): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const converted = new ShopSchemaParser().parse(schema.describe(), definitions);
  delete converted.schemas;
  for (const [name, definition] of Object.entries(definitions)) shared[name] = definition;
  dropReferences(converted);
  dropReferences(shared);
  return converted;
}
