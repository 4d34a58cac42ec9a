// Client code shared by the extension, the partner CLI and tests: not part of the contract, and never
// imported by the worker. The contract (parser, schemas, formats, signing statements) is ../index.ts.
export * from './http';
export * from './local-list';
export * from './prefix-copy';
export * from './sync-engine';
export * from './sync-error';
export * from './verify-page';
export * from './key-pin';
