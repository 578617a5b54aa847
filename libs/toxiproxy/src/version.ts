/** The Toxiproxy release whose API this server reproduces (GET /version). */
export const TOXIPROXY_VERSION = '2.12.0';
