/**
 * Waits for `work` at most `timeoutMs`, never rejecting: shutdown steps must
 * not hang or abort the steps after them (e.g. a registry that is down).
 * Resolves to 'done', 'failed' or 'timeout'.
 */
export async function bounded(work: () => Promise<unknown>, timeoutMs: number): Promise<'done' | 'failed' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(work)
        .then(
          () => 'done' as const,
          () => 'failed' as const,
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
