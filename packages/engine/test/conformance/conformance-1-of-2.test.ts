import { defineConformance } from './define-conformance.js';

defineConformance(0, 2);
