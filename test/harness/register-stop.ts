/**
 * The stop of something a test started, registered with the cleanups: it runs once (a second
 * call waits for the first), and a stop the test makes itself takes it off the cleanup list.
 */
import { registerCleanup } from './cleanup';

export function registerStop(
  what: string,
  stop: () => Promise<void>,
  runSync: () => void,
): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const once = () => {
    stopping ??= (async () => {
      unregister();
      await stop();
    })();
    return stopping;
  };
  const unregister = registerCleanup({ what, run: once, runSync });
  return once;
}
