/** @module Mock-ups on the edge: the public image proxy to core. */
export { type MockupImageRoutesOptions, mockupImageRoutes } from './image-proxy.ts'
