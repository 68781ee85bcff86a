/** @module API-key authentication: parsing `API_KEYS` and the bearer middleware. */
export { type ApiKeyAuthOptions, apiKeyAuth, apiKeyResolver } from './api-key.ts'
export { type ApiKey, MIN_SECRET_LENGTH, parseApiKeys } from './keys.ts'
