import { databaseTests } from '../../vitest.base.js';

export default databaseTests;
