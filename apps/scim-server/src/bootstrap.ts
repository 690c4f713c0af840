/** What a process hosting the SCIM service needs: the app factory and its configuration. */
export { createScimApp } from './app.js';
export { type Config, loadConfig } from './config.js';
