/** nginx for tests: skips a suite with a notice where nginx is not installed. */
import { NGINX_BIN, nginxAvailable } from '../../src/cluster/nginx.js';
import { requireInstalled } from './shared.js';

/** Whether `suite` can run: false (after a notice) without nginx, an error in CI. */
export function requireNginx(suite: string): boolean {
  return requireInstalled(suite, nginxAvailable() ? null : `nginx not found at ${NGINX_BIN}`);
}
