import { defineConformance } from './define-conformance.js';

defineConformance(1, 2);
