// Types of dev-server.mjs for TypeScript importers, generated from its JSDoc by `tsc -b` into types/
// (generated beside the sources, they would become inputs of the next build and block it).
export * from './types/dev-server.mjs';
