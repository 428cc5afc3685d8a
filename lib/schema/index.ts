export * from './report';
export * from './protocol';
export * from './monitoring';
