export {
  commonAttributes,
  ENTERPRISE_USER_SCHEMA,
  enterpriseUserSchema,
  GROUP_SCHEMA,
  groupResourceType,
  groupSchema,
  USER_SCHEMA,
  userResourceType,
  userSchema,
} from './definitions.js';
export { findAttribute, findExtension, type ResolvedAttribute, resolveAttribute } from './resolve.js';
export type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  ResourceTypeDefinition,
  Returned,
  SchemaDefinition,
  Uniqueness,
} from './types.js';
