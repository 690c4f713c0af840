/**
 * `add`, `replace` and `remove` of one attribute target (RFC 7644 §3.5.2.1–3) inside its container:
 * the resource data for core attributes, the extension object for extension attributes. Containers
 * belong to the engine's private copy and are changed in place.
 */
import type { AttributeDefinition } from '../schema/types.js';
import { elementFromFilter, elementMatches } from './elements.js';
import type { AttributeTarget } from './target.js';
import {
  applySubValue,
  coerceSimple,
  complexInput,
  isPlainObject,
  type JsonObject,
  jsonKey,
  multiInput,
  simpleKey,
} from './values.js';

export function writeAttribute(
  container: JsonObject,
  target: AttributeTarget,
  op: 'add' | 'replace',
  raw: unknown,
): void {
  const { def, sub, filter, label } = target;
  if (filter) writeFiltered(container, target, raw);
  else if (sub) writeSub(container, def, sub, raw, label);
  else if (def.multiValued) writeMulti(container, def, op, raw, label);
  else if (def.type === 'complex') writeComplex(container, def, raw, label);
  else setOrDelete(container, def.name, coerceSimple(def, raw, label));
}

/** A whole multi-valued attribute: `replace` sets the list, `add` appends the elements not already there. */
function writeMulti(
  container: JsonObject,
  def: AttributeDefinition,
  op: 'add' | 'replace',
  raw: unknown,
  label: string,
): void {
  const items = multiInput(def, raw, label);
  if (op === 'replace') {
    store(container, def, items);
    return;
  }
  const list = currentList(container, def);
  // A Set of keys, not a comparison of every pair: a 2 MB body lists 100,000 values, and n² is hours.
  const present = new Set(list.map(jsonKey));
  const added: unknown[] = [];
  for (const item of items) {
    const key = jsonKey(item);
    if (present.has(key)) continue;
    present.add(key);
    added.push(item);
  }
  demoteOtherPrimaries([...list, ...added], added);
  store(container, def, [...list, ...added]);
}

/**
 * `remove`. With a value and no filter, only the values given are removed: Entra's default mode
 * removes one member or email with `{"op":"Remove","path":"…","value":[{"value":"x"}]}`
 * (docs/reference/entra.md#group-membership), and removing everything instead would lose data. `[]` removes
 * nothing. @param raw the operation's value; `undefined` or `null` for none
 */
export function removeAttribute(container: JsonObject, target: AttributeTarget, raw: unknown): void {
  const { def, sub, filter } = target;
  if (filter) {
    const list = currentList(container, def) as JsonObject[];
    const kept: JsonObject[] = [];
    for (const element of list) {
      if (!elementMatches(target, element)) kept.push(element);
      else if (sub && assignSub(element, sub, undefined)) kept.push(element);
    }
    store(container, def, kept);
  } else if (sub) {
    const list = currentList(container, def) as JsonObject[];
    store(
      container,
      def,
      list.filter((element) => assignSub(element, sub, undefined)),
    );
  } else if (raw === undefined || raw === null) {
    delete container[def.name];
  } else {
    removeValues(container, def, raw, target.label);
  }
}

function removeValues(container: JsonObject, def: AttributeDefinition, raw: unknown, label: string): void {
  const given: unknown[] = def.multiValued ? multiInput(def, raw, label) : [singleInput(def, raw, label)];
  // A single-valued attribute given "no value" ("" or {}) is simply removed.
  if (!def.multiValued && given[0] === undefined) {
    delete container[def.name];
    return;
  }
  const isGiven = givenValues(def, given);
  store(
    container,
    def,
    currentList(container, def).filter((element) => !isGiven(element)),
  );
}

function singleInput(def: AttributeDefinition, raw: unknown, label: string): unknown {
  if (def.type !== 'complex') return coerceSimple(def, raw, label);
  const given = complexInput(def, raw, label);
  if (!given) return undefined;
  const element: JsonObject = {};
  for (const [key, value] of Object.entries(given)) applySubValue(def, element, key, value, label);
  return Object.keys(element).length > 0 ? element : undefined;
}

/**
 * Whether a stored element is one that a remove-with-value names: a complex element by `value` when
 * the given one has it, else by every sub-attribute given. Looked up by key rather than compared
 * with each given value, since both lists may be 100,000 long; given values are grouped by the
 * sub-attributes they name, and each group is one Set.
 */
function givenValues(def: AttributeDefinition, given: unknown[]): (element: unknown) => boolean {
  if (def.type !== 'complex') {
    const keys = new Set(given.map((g) => simpleKey(def, g)));
    return (element) => keys.has(simpleKey(def, element));
  }
  const groups = new Map<string, { names: string[]; keys: Set<string> }>();
  for (const g of given) {
    if (!isPlainObject(g)) continue;
    const names = 'value' in g ? ['value'] : Object.keys(g).sort();
    const id = names.join(',');
    const group = groups.get(id) ?? { names, keys: new Set<string>() };
    group.keys.add(subKeys(def, names, g));
    groups.set(id, group);
  }
  return (element) =>
    isPlainObject(element) &&
    [...groups.values()].some(({ names, keys }) => keys.has(subKeys(def, names, element)));
}

const subKeys = (def: AttributeDefinition, names: string[], element: JsonObject) =>
  JSON.stringify(names.map((name) => simpleKey(subDefinition(def, name), element[name])));

const subDefinition = (def: AttributeDefinition, name: string) =>
  def.subAttributes?.find((s) => s.name === name);

/**
 * A single-valued complex attribute: the sub-attributes given are set, the others kept (RFC 7644
 * §3.5.2.3). A reference such as `manager` is identified by its `value`, so a new `value` replaces
 * the whole object (no `$ref` of the previous manager survives) and an empty one removes it: the
 * Microsoft validation and SCIM Validator "remove manager" tests send `""` and `{"value":""}`.
 */
function writeComplex(container: JsonObject, def: AttributeDefinition, raw: unknown, label: string): void {
  const given = complexInput(def, raw, label);
  if (!given) {
    delete container[def.name];
    return;
  }
  const existing = container[def.name];
  const replacesReference = subDefinition(def, 'value') !== undefined && hasKey(given, 'value');
  const next: JsonObject = !replacesReference && isPlainObject(existing) ? existing : {};
  for (const [key, value] of Object.entries(given)) applySubValue(def, next, key, value, label);
  if (replacesReference && next.value === undefined) delete container[def.name];
  else setOrDelete(container, def.name, Object.keys(next).length > 0 ? next : undefined);
}

/** `name.familyName` or `emails.value`: the sub-attribute of the object, or of every element. */
function writeSub(
  container: JsonObject,
  def: AttributeDefinition,
  sub: AttributeDefinition,
  raw: unknown,
  label: string,
): void {
  const value = coerceSimple(sub, raw, label);
  const list = currentList(container, def) as JsonObject[];
  if (list.length === 0) list.push({});
  store(
    container,
    def,
    list.filter((element) => assignSub(element, sub, value)),
  );
}

/**
 * `emails[type eq "work"].value` or `emails[type eq "work"]` in `add`/`replace`: the matching elements
 * get the value. When none matches, the element is created from the filter, as Entra expects: it
 * sends `Add`/`Replace emails[type eq "work"].value` for a work email the user may not have yet
 * (docs/reference/entra.md#patch-in-default-mode), and the SCIM Validator checks the element appears.
 */
function writeFiltered(container: JsonObject, target: AttributeTarget, raw: unknown): void {
  const { def, sub, label } = target;
  let list = currentList(container, def) as JsonObject[];
  let touched = list.filter((element) => elementMatches(target, element));
  if (touched.length === 0) {
    const created = elementFromFilter(target);
    // A single-valued complex attribute is a one-element list: the new element takes the place of the old one.
    list = def.multiValued ? [...list, created] : [created];
    touched = [created];
  }
  const dropped = new Set<JsonObject>();
  for (const element of touched) {
    const keep = sub
      ? assignSub(element, sub, coerceSimple(sub, raw, label))
      : mergeElement(def, element, raw, label);
    if (!keep) dropped.add(element);
  }
  const next = list.filter((element) => !dropped.has(element));
  demoteOtherPrimaries(
    next,
    touched.filter((element) => !dropped.has(element)),
  );
  store(container, def, next);
}

/** Merges the given sub-attributes into an element; returns whether the element still has content. */
function mergeElement(def: AttributeDefinition, element: JsonObject, raw: unknown, label: string): boolean {
  const given = complexInput(def, raw, label);
  if (!given) return false;
  for (const [key, value] of Object.entries(given)) {
    const name = applySubValue(def, element, key, value, label);
    if (name === 'value' && element.value === undefined) return false;
  }
  return Object.keys(element).length > 0;
}

/**
 * Sets or deletes one sub-attribute of an element; returns whether the element should be kept. An
 * element whose `value` is emptied is dropped: the value is what a reference or an email *is*, and
 * `replace emails[type eq "work"].value ""` means "no work email".
 */
function assignSub(element: JsonObject, sub: AttributeDefinition, value: unknown): boolean {
  if (value === undefined) delete element[sub.name];
  else element[sub.name] = value;
  if (value === undefined && sub.name === 'value') return false;
  return Object.keys(element).length > 0;
}

/** RFC 7643 §2.4: at most one element may be primary, so a newly primary element demotes the others. */
function demoteOtherPrimaries(list: unknown[], changed: unknown[]): void {
  if (!changed.some((element) => isPlainObject(element) && element.primary === true)) return;
  const kept = new Set(changed);
  for (const element of list) {
    if (isPlainObject(element) && element.primary === true && !kept.has(element)) element.primary = false;
  }
}

/** The attribute's current value as a list; a single-valued complex attribute is a list of zero or one. */
function currentList(container: JsonObject, def: AttributeDefinition): unknown[] {
  const value = container[def.name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function store(container: JsonObject, def: AttributeDefinition, list: unknown[]): void {
  setOrDelete(container, def.name, def.multiValued ? (list.length > 0 ? list : undefined) : list[0]);
}

function setOrDelete(container: JsonObject, name: string, value: unknown): void {
  if (value === undefined) delete container[name];
  else container[name] = value;
}

function hasKey(object: JsonObject, name: string): boolean {
  return Object.keys(object).some((key) => key.toLowerCase() === name);
}
