// Components come back on the port they had last time, so kubeconfigs written then stay valid.

/** starts on the port used last time when it is free, else on a new one */
export async function startOnPort<T>(port: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  if (port) {
    try {
      return await start(port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  return start(0);
}
