import { basicAuthorization } from './basic-credentials.js';

/**
 * A registry URL with its `user:pass@` taken out: how Spring Cloud Netflix and
 * eureka-js-client users write Basic auth (`http://user:pass@host:8761/eureka`).
 * Node's fetch refuses a URL with credentials, and a URL with a password must
 * never reach a log line: the credentials travel as an `Authorization` header
 * and the URL kept for requests and messages has none.
 */
export interface CredentialedUrl {
  /** The URL without user info. */
  readonly url: string;
  /** `Basic base64(user:pass)`, user and password percent-decoded; undefined without credentials. */
  readonly authorization: string | undefined;
}

export function splitUrlCredentials(text: string): CredentialedUrl {
  const parsed = new URL(text);
  if (parsed.username === '' && parsed.password === '') return { url: text, authorization: undefined };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  // URL serialises a bare origin with a trailing slash the caller did not write.
  const url = text.endsWith('/') || parsed.pathname !== '/' ? parsed.href : parsed.href.replace(/\/$/, '');
  return { url, authorization: basicAuthorization(`${user}:${password}`) };
}

/** `text` with any `user:pass@` replaced by `***@`, for messages about a URL as the user wrote it. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}
