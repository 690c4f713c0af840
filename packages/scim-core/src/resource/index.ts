export {
  assertRequired,
  isEmptyValue,
  type NormalizeOptions,
  normalizeAttributeValue,
  normalizeResource,
  type ResourceData,
} from './normalize.js';
export {
  isAttributeReturned,
  NO_PROJECTION,
  type Projection,
  parseProjection,
  project,
} from './projection.js';
