/** @module Tenants and admins: who a caller is and what it may see. */
export {
  type AccessPolicy,
  type AccessPolicyOptions,
  type Caller,
  canSee,
  createAccessPolicy,
  tenantScope,
} from './policy.ts'
