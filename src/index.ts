export * from './options';
export * from './app-build-options';
export * from './project';
export * from './constructs/pipeline';
export * from './constructs/source';
export * from './platform/platform';
export * from './platform/platform-options';
