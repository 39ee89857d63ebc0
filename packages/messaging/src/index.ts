export * from './topology';
export * from './broker';
export * from './consumer';
export * from './backbone';
export * from './parking-lot';
export * from './metrics';
