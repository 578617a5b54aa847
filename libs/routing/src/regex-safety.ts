/**
 * Why a route regex could backtrack catastrophically, or undefined. Node's
 * regex engine backtracks; Envoy's safe_regex is RE2, linear by construction.
 * A route table is read once at start-up, so its patterns are checked there
 * for the shapes that make a backtracking engine exponential on a hostile
 * path: an unbounded quantifier over a group that itself holds an unbounded
 * quantifier (`(a+)+`) or an alternation (`(a|a)*`), plus what RE2 refuses
 * anyway (backreferences, lookaround). Conservative: a rejected pattern can
 * always be rewritten without the nesting.
 */
export function regexHazard(source: string): string | undefined {
  interface Group {
    unbounded: boolean;
    alternation: boolean;
  }
  const stack: Group[] = [{ unbounded: false, alternation: false }];
  let closed: Group | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const quantifier = unboundedQuantifierAt(source, i);
    if (quantifier > 0) {
      if (closed && (closed.unbounded || closed.alternation)) {
        return closed.unbounded
          ? 'nested unbounded quantifiers (like (a+)+) backtrack catastrophically; RE2 would not, Node does'
          : 'an unbounded quantifier over an alternation (like (a|b)*) can backtrack catastrophically; list the repeats without the group';
      }
      stack[stack.length - 1]!.unbounded = true;
      i += quantifier - 1;
      closed = undefined;
      continue;
    }
    closed = undefined;
    if (c === '\\') {
      if (/[1-9k]/.test(source[i + 1] ?? '')) return 'backreferences are not supported (Envoy safe_regex is RE2)';
      i++;
    } else if (c === '[') {
      i = classEnd(source, i);
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) return 'lookaround is not supported (Envoy safe_regex is RE2)';
      stack.push({ unbounded: false, alternation: false });
    } else if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : stack[0]!;
      const parent = stack[stack.length - 1]!;
      parent.unbounded ||= group.unbounded;
      closed = group;
    } else if (c === '|') {
      stack[stack.length - 1]!.alternation = true;
    }
  }
  return undefined;
}

/** Length of an unbounded quantifier (`*`, `+`, `{n,}`, lazy or not) starting at `i`, else 0. */
function unboundedQuantifierAt(source: string, i: number): number {
  const c = source[i];
  if (c === '*' || c === '+') return source[i + 1] === '?' || source[i + 1] === '+' ? 2 : 1;
  const braces = /^\{\d+,\}\??/.exec(source.slice(i));
  return braces ? braces[0].length : 0;
}

/** Index of the `]` closing the character class opened at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return source.length;
}
