/**
 * @module sources/http
 * What the HTTP sources (Prometheus, direct scrapes) share: credentials kept out of messages and
 * transport failures named in plain words.
 */
export { redactUrl, splitCredentials } from './redact-url.ts';
export { describeTransportFailure, discard, formatMs, type TransportFailureKind } from './transport-failure.ts';
