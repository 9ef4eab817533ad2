export { createTestDatabase, testBackends, testDatabaseUrl, testPostgresUrl, type BackendName, type TestDatabase } from './test-databases.js';
export { postgresClient } from '../persistence/postgres-client.js';
export { dropQueueKeys, redisAnswers } from './test-queues.js';
export { freePort } from './free-port.js';
