export * from './options';
export * from './project';
export * from './constructs/pipeline';
export * from './constructs/source';
