export { createTestDatabase, testBackends, testPostgresUrl, type BackendName, type TestDatabase } from './test-databases.js';
