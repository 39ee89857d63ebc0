export * from './envelope';
export * from './define';
export * from './common';
export * from './customer.events';
