export * from './alarms';
export * from './container';
export * from './copilot';
export * from './deployment-strategy';
export * from './secrets-egress';
export * from './service';
export * from './settings';
export * from './stage';
