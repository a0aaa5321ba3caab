// What a running host says that its files do not (docs/architecture.md, the live layer): the
// read-only script, its readers, the comparison with the host model.
export * from './parse';
export * from './script';
export * from './state';
export * from './compare';
export * from './read';
