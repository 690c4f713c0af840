/**
 * fast-check arbitraries for the PATCH property tests: valid stored resources, and PatchOp bodies
 * that range from valid to hostile (unknown ops, malformed and prototype-polluting paths and keys,
 * values of the wrong type, long arrays, JSON nested deeper than the stack).
 */
import fc from 'fast-check';
import { PATCH_OP_SCHEMA } from '../patch/request.js';
import { normalizeResource, type ResourceData } from '../resource/normalize.js';
import { groupResourceType, userResourceType } from '../schema/index.js';
import { anyText, CONFUSABLES, ENTERPRISE, patchPath } from './filter-arbitraries.js';

/** Names that reach `Object.prototype` when a plain object is indexed with them. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * An object with exactly these own, enumerable properties, `__proto__` included: what JSON.parse
 * makes of `{"__proto__": …}`. An object literal would set the prototype instead.
 */
export function ownObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/**
 * `[[[…]]]` nested `depth` deep, built without recursion; JSON.parse reads this from a small body.
 * It prints as `deepArray(n)` in fast-check reports, whose printer would overflow the stack too.
 */
export function deepArray(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < depth; i++) value = [value];
  Object.defineProperty(value, fc.toStringMethod, { value: () => `deepArray(${depth})` });
  return value;
}

const nonBlank = fc.oneof(anyText(20), fc.constantFrom(...CONFUSABLES)).filter((s) => s.trim() !== '');
const text = fc.oneof(anyText(20), fc.constantFrom(...CONFUSABLES, ''));

/** A stored user, in the canonical form normalizeResource gives a POST body. */
export const storedUser: fc.Arbitrary<ResourceData> = fc
  .record(
    {
      userName: nonBlank,
      externalId: text,
      displayName: text,
      title: text,
      active: fc.constantFrom(true, false, 'True', 'false'),
      name: fc.record({ givenName: text, familyName: text, formatted: text }, { requiredKeys: [] }),
      emails: fc.array(
        fc.record(
          {
            value: nonBlank,
            type: fc.constantFrom('work', 'home', 'other'),
            primary: fc.boolean(),
            display: text,
          },
          { requiredKeys: ['value'] },
        ),
        { maxLength: 4 },
      ),
      addresses: fc.array(
        fc.record(
          { locality: text, country: text, type: fc.constantFrom('work', 'home'), primary: fc.boolean() },
          { requiredKeys: [] },
        ),
        { maxLength: 2 },
      ),
      [ENTERPRISE]: fc.record(
        { department: text, employeeNumber: text, manager: fc.record({ value: nonBlank }) },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['userName'] },
  )
  .map((body) => normalizeResource(userResourceType, body));

export const storedGroup: fc.Arbitrary<ResourceData> = fc
  .record({ displayName: nonBlank, externalId: text }, { requiredKeys: ['displayName'] })
  .map((body) => normalizeResource(groupResourceType, body));

const casing = (words: readonly string[]) =>
  fc.constantFrom(...words).chain((w) => fc.mixedCase(fc.constant(w)));

const opName = fc.oneof(
  { weight: 6, arbitrary: casing(['add', 'replace', 'remove']) },
  fc.constantFrom('', 'delete', 'move', 'copy', 'test', ' add ', 'add\u0000', 'аdd', 'ADD;', 'remove--'),
  fc.constantFrom<unknown>(null, 5, true, ['add'], { op: 'add' }),
);

/** Paths the resource types know, some read-only, written in any case. */
const KNOWN_PATHS = [
  'userName',
  'displayName',
  'title',
  'nickName',
  'active',
  'externalId',
  'password',
  'name',
  'name.givenName',
  'name.familyName',
  'emails',
  'emails.value',
  'emails.primary',
  'phoneNumbers',
  'addresses',
  'addresses.locality',
  'roles',
  'x509Certificates',
  'members',
  'members.value',
  'id',
  'meta',
  'meta.created',
  'groups',
  ENTERPRISE,
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:manager.value`,
  `${ENTERPRISE}.manager`,
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
];

/** `attr[filter]` and `attr[filter].sub` on the multi-valued attributes, with sub-attributes they have. */
const filteredPath = fc
  .tuple(
    fc.constantFrom('emails', 'addresses', 'members', 'roles', `${ENTERPRISE}:manager`, 'name'),
    fc.constantFrom('value', 'type', 'primary', 'display', 'locality', 'nope'),
    fc.constantFrom('eq', 'ne', 'co', 'pr'),
    fc.oneof(text, fc.constantFrom('work', 'home', 'True')).map((v) => JSON.stringify(v)),
    fc.constantFrom('', '.value', '.type', '.primary', '.display', '.locality', '.nope'),
  )
  .map(([attr, sub, op, value, after]) => `${attr}[${sub} ${op}${op === 'pr' ? '' : ` ${value}`}]${after}`);

export const HOSTILE_PATHS = [
  ...PROTOTYPE_KEYS,
  'constructor.prototype',
  '__proto__.polluted',
  'name.__proto__',
  'name.constructor',
  'emails[__proto__ eq "x"]',
  'emails[constructor pr]',
  'emails[type eq "work"].__proto__',
  `${ENTERPRISE}:__proto__`,
  'toString',
  'hasOwnProperty',
  '..',
  'name..givenName',
  '../userName',
  'userName%00',
  'userName\u0000',
  'user\u200BName',
  'userNаme', // Cyrillic а
  'ｕserName', // fullwidth u
  'a'.repeat(20_000),
];

const path = fc.oneof(
  { weight: 6, arbitrary: casing(KNOWN_PATHS) },
  { weight: 4, arbitrary: filteredPath },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_PATHS) },
  { weight: 1, arbitrary: patchPath.map((p) => p.text) },
  { weight: 1, arbitrary: anyText(30) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, '', ' ', 5, true, [], {}) },
);

/** Keys of path-less values: attribute names in any case, URN-qualified ones, hostile ones. */
const valueKey = fc.oneof(
  casing(KNOWN_PATHS),
  fc.constantFrom(...PROTOTYPE_KEYS, 'value', 'type', 'primary', 'givenName', 'department', 'polluted'),
  anyText(10),
);

const scalar = fc.oneof(
  text,
  fc.constantFrom('True', 'FALSE', 'work', '5'),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  // 9007199254740993 as a body carries it: JSON.parse has already rounded it to 2^53.
  fc.constantFrom(1e308, -0, JSON.parse('9007199254740993') as number, 0.1),
  fc.boolean(),
  fc.constant(null),
);

/** JSON values with own `__proto__`/`constructor`/`prototype` keys at any level. */
const { value: jsonWithHostileKeys } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(valueKey, tie('value')), { maxLength: 4 }).map(ownObject),
  ),
}));

const value = fc.oneof(
  { weight: 8, arbitrary: jsonWithHostileKeys },
  { weight: 1, arbitrary: fc.array(scalar, { minLength: 50, maxLength: 300 }) },
  // Nested deeper than JSON.stringify can recurse (a few thousand levels); a 40 kB body is enough.
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 20_000 }).map(deepArray) },
);

const operation = fc
  .record({ op: opName, path, value }, { requiredKeys: [] })
  .chain((op) =>
    fc
      .subarray([...PROTOTYPE_KEYS])
      .map((extra) =>
        ownObject([
          ...Object.entries(op),
          ...extra.map((k) => [k, { path: 'userName', polluted: 1 }] as const),
        ]),
      ),
  );

/** A PatchOp body: mostly well-shaped with random operations, sometimes broken as a whole. */
export const patchBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        fc.array(operation, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('Operations', 'operations', 'OPERATIONS'),
        fc.constantFrom<unknown>(undefined, [PATCH_OP_SCHEMA], PATCH_OP_SCHEMA, ['urn:wrong'], []),
      )
      .map(([operations, key, schemas]) =>
        ownObject(
          schemas === undefined
            ? [[key, operations]]
            : [
                ['schemas', schemas],
                [key, operations],
              ],
        ),
      ),
  },
  { weight: 1, arbitrary: jsonWithHostileKeys },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      ownObject([['__proto__', { Operations: [{ op: 'add', path: 'userName', value: 'x' }] }]]),
      { Operations: [] },
      { Operations: 'add' },
      { Operations: Array(1_001).fill({ op: 'remove', path: 'title' }) },
    ),
  },
);
