export * from './topology.js';
export * from './broker.js';
export * from './consumer.js';
export * from './backbone.js';
export * from './parking-lot.js';
export * from './metrics.js';
