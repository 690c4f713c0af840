export { applyPatch, type MemberReference, type MembershipChange, type PatchResult } from './apply.js';
export { memberReferences } from './members.js';
export { PATCH_OP_SCHEMA, type PatchOperation, parsePatchRequest } from './request.js';
