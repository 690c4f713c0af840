export {
  type AttributePath,
  COMPARE_OPERATORS,
  type CompareOperator,
  type Filter,
  type FilterValue,
  type PatchPath,
} from './ast.js';
export { matchesFilter } from './evaluate.js';
export { parseAttributePath, parseFilter, parsePatchPath } from './parser.js';
