import { expect } from 'chai';
import Joi from 'joi';
import { toJsonSchema, type JsonSchema } from '../../../scripts/api-docs/json-schema';

describe('API documents: joi schemas as JSON Schema (joi-to-json, OpenAPI 3.1)', () => {
  it('when a string has an exact length, then it has that min and max length', () => {
    expect(toJsonSchema(Joi.string().length(2))).to.include({ type: 'string', minLength: 2, maxLength: 2 });
  });

  it('when an object has no keys, then it takes any keys; an object of keys takes only those', () => {
    expect(toJsonSchema(Joi.object())).to.not.have.property('additionalProperties');
    expect(toJsonSchema(Joi.object({ a: Joi.string() }))).to.include({ additionalProperties: false });
    expect(toJsonSchema(Joi.object({ a: Joi.string() }).unknown(true))).to.include({ additionalProperties: true });
  });

  it('when a limit is another field of the object, then it is said in words, never written as a non-number', () => {
    const schema = toJsonSchema(Joi.object({ min: Joi.number(), max: Joi.number().min(Joi.ref('min')) })) as { properties: { max: JsonSchema } };
    expect(schema.properties.max).to.not.have.property('minimum');
    expect(schema.properties.max.description).to.include('min');
  });

  it('when a schema links to a named one (a tree), then the named one goes to the shared schemas and is referenced', () => {
    const node = Joi.object({ name: Joi.string().required(), children: Joi.array().items(Joi.link('#node')).required() }).id('node');
    const shared: Record<string, JsonSchema> = {};
    const schema = toJsonSchema(Joi.object({ items: Joi.array().items(node) }), shared) as { properties: { items: { items: JsonSchema } } };
    expect(schema.properties.items.items).to.deep.equal({ $ref: '#/components/schemas/node' });
    expect(shared.node).to.have.property('type', 'object');
  });

  it('when keys are required together or one of two, then the relation is kept (or, xor)', () => {
    expect(toJsonSchema(Joi.object({ a: Joi.string(), b: Joi.string() }).or('a', 'b'))).to.have.property('anyOf');
    expect(JSON.stringify(toJsonSchema(Joi.object({ a: Joi.string(), b: Joi.string() }).xor('a', 'b')))).to.include('oneOf');
  });
});
