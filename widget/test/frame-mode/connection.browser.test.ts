// connection.browser.test.ts again, with every widget it mounts in an isolation frame (isolation="frame").
import { mountInFrames } from '../stack-helpers.js';

mountInFrames();
await import('../connection.browser.test.js');
