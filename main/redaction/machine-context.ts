import { homedir, hostname, userInfo } from 'node:os';
import type { RedactionContext } from './redaction-policy.js';

/** This machine's home folder, user and host name: what the redactor replaces by `~`, `<user>`, `<host>`. */
export function machineContext(): Pick<RedactionContext, 'homeDir' | 'userName' | 'hostName'> {
  let user: string | null = null;
  try {
    user = userInfo().username;
  } catch {
    user = null; // no passwd entry (containers): the home-path patterns still apply
  }
  return { homeDir: homedir(), userName: user, hostName: hostname() };
}
