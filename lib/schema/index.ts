export * from './report';
export * from './protocol';
