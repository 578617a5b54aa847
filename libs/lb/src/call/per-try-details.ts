/** How a try cut by its per-try timeout ends (DEADLINE_EXCEEDED): the retry budget recognises it by this prefix. */
export const PER_TRY_TIMEOUT_DETAILS = 'per-try timeout: ';
