/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number>;
/** Whether nothing listens on 127.0.0.1:`port` yet. */
export function isPortFree(port: number): Promise<boolean>;
