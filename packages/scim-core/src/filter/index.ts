export type { AttributePath, CompareOperator, Filter, FilterValue, PatchPath } from './ast.js';
export { matchesFilter } from './evaluate.js';
export { parseAttributePath, parseFilter, parsePatchPath } from './parser.js';
