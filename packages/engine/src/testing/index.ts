export { createTestDatabase, testBackends, testPostgresUrl, type BackendName, type TestDatabase } from './test-databases.js';
export { dropQueueKeys, redisAnswers } from './test-queues.js';
export { freePort } from './free-port.js';
