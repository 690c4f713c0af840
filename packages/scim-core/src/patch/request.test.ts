import { describe, expect, it } from 'vitest';
import { scimErrorOf } from '../testing/scim-error-of.js';
import { MAX_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from './request.js';

const body = (...operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: operations });

describe('parsePatchRequest', () => {
  it('lower-cases the capitalized ops Entra sends in default mode', () => {
    const operations = parsePatchRequest(
      body(
        { op: 'Add', path: 'nickName', value: 'Babs' },
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Remove', path: 'members', value: [{ value: 'u1' }] },
      ),
    );
    expect(operations).toEqual([
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'remove', path: 'members', value: [{ value: 'u1' }] },
    ]);
  });

  it('matches the Operations key case-insensitively and allows schemas to be absent', () => {
    expect(parsePatchRequest({ operations: [{ op: 'replace', path: 'title', value: 'x' }] })).toEqual([
      { op: 'replace', path: 'title', value: 'x' },
    ]);
  });

  it('treats a null or blank path as no path', () => {
    const operations = parsePatchRequest(
      body({ op: 'replace', path: null, value: { displayName: 'x' } }, { op: 'add', path: ' ', value: {} }),
    );
    expect(operations).toEqual([
      { op: 'replace', value: { displayName: 'x' } },
      { op: 'add', value: {} },
    ]);
  });

  it('keeps an explicit null value, which means "no value"', () => {
    expect(parsePatchRequest(body({ op: 'replace', path: 'nickName', value: null }))).toEqual([
      { op: 'replace', path: 'nickName', value: null },
    ]);
  });

  it.each([
    ['a non-object body', [], 'must be a JSON object'],
    ['a missing Operations array', { schemas: [PATCH_OP_SCHEMA] }, 'no "Operations" array'],
    ['Operations that is not an array', { Operations: { op: 'add' } }, 'must be an array'],
    ['empty Operations', body(), 'is empty'],
    [
      'schemas without the PatchOp URN',
      { schemas: ['urn:x'], Operations: [{ op: 'remove', path: 'x' }] },
      'PatchOp',
    ],
    ['an operation that is not an object', body('add'), 'Operation 1 must be an object'],
    [
      'an unknown op',
      body({ op: 'remove', path: 'x' }, { op: 'update', path: 'x', value: 1 }),
      'Operation 2: "op"',
    ],
    ['a missing op', body({ path: 'x', value: 1 }), 'got nothing'],
    ['a non-string path', body({ op: 'add', path: 7, value: 1 }), '"path" must be a string'],
    ['add without value', body({ op: 'add', path: 'nickName' }), '"add" needs a "value"'],
    ['replace without value', body({ op: 'Replace', path: 'nickName' }), '"replace" needs a "value"'],
    ['a path-less add with a string value', body({ op: 'add', value: 'x' }), 'needs a "value" object'],
  ])('rejects %s with invalidSyntax', (_, input, detail) => {
    const error = scimErrorOf(() => parsePatchRequest(input));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.detail).toContain(detail);
  });

  it('rejects more than the maximum number of operations', () => {
    const many = Array.from({ length: MAX_OPERATIONS + 1 }, () => ({ op: 'remove', path: 'title' }));
    expect(scimErrorOf(() => parsePatchRequest(body(...many))).detail).toContain(`at most ${MAX_OPERATIONS}`);
    expect(parsePatchRequest(body(...many.slice(1)))).toHaveLength(MAX_OPERATIONS);
  });

  it.each([[{ op: 'remove' }], [{ op: 'Remove', value: null }], [{ op: 'remove', path: '' }]])(
    'rejects a remove without a target (%j) with noTarget',
    (operation) => {
      const error = scimErrorOf(() => parsePatchRequest(body(operation)));
      expect(error.scimType).toBe('noTarget');
      expect(error.detail).toBe('Operation 1: "remove" needs a "path" naming what to remove.');
    },
  );

  it('accepts a path-less remove whose value names the attributes', () => {
    expect(parsePatchRequest(body({ op: 'remove', value: { members: [{ value: 'u1' }] } }))).toEqual([
      { op: 'remove', value: { members: [{ value: 'u1' }] } },
    ]);
  });
});
