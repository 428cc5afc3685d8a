export * from './report';
export * from './protocol';
export * from './monitoring';
export * from './sealed';
