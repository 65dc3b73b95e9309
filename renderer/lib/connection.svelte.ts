/** Whether the main process is reachable (always true under Electron once loaded). */
class Connection {
  connected = $state(false);
  everConnected = $state(false);
  /** Consecutive failed attempts: after a few, the shell explains how to get a valid link. */
  failures = $state(0);

  set(up: boolean): void {
    this.connected = up;
    if (up) {
      this.everConnected = true;
      this.failures = 0;
    } else {
      this.failures++;
    }
  }
}

export const connection = new Connection();
