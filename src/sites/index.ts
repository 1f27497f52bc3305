export { ExchangeClient } from './agent/exchange-client.js';
export { SiteAgent, type SiteAgentOptions } from './agent/site-agent.js';
export * from './executors/index.js';
