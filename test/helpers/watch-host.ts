/**
 * Collects what reaches the process as an uncaught exception or an unhandled
 * rejection from now until `stop()`: a test asserts `faults` is empty to show
 * that nothing was thrown into the application.
 */
export function watchHost(): { faults: unknown[]; stop: () => void } {
  const faults: unknown[] = [];
  const onFault = (err: unknown): void => void faults.push(err);
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);
  return {
    faults,
    stop: () => {
      process.off('uncaughtException', onFault);
      process.off('unhandledRejection', onFault);
    },
  };
}
